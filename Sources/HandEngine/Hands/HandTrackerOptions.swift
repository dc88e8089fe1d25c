/// How a `HandTracker` runs. The defaults are MediaPipe Hands' (`max_num_hands` 2,
/// `min_detection_confidence` 0.5, `min_tracking_confidence` 0.5).
public struct HandTrackerOptions: Sendable {
    /// Photos: every image is unrelated, so the palm detector runs on each (MediaPipe's
    /// `static_image_mode`). Video: hands found in one frame give the next frame's ROIs.
    public enum Mode: Sendable {
        case photo
        case video
    }

    public var mode: Mode
    public var maxHands = 2
    /// The palm detector's minimum score.
    public var minDetectionScore: Float = 0.5
    /// A hand whose presence score is not above this is dropped (and stops being tracked).
    public var minPresence: Float = 0.5
    /// Overlapping hand ROIs (IoU above this, rotation ignored) are the same hand; the later one wins.
    public var duplicateIoU: Float = 0.5
    /// Extra search when the palm detector finds nothing in a photo (beyond MediaPipe); nil keeps
    /// plain MediaPipe semantics.
    public var rescue: HandRescue.Options?

    public init(mode: Mode, rescue: HandRescue.Options? = nil) {
        self.mode = mode
        self.rescue = rescue
    }

    /// MediaPipe Hands exactly, as the parity test runs it.
    public static let mediaPipePhoto = HandTrackerOptions(mode: .photo)
    public static let mediaPipeVideo = HandTrackerOptions(mode: .video)
    /// SnapRate's default for photos: MediaPipe plus the rescue search.
    public static let photo = HandTrackerOptions(mode: .photo, rescue: HandRescue.Options())
}
