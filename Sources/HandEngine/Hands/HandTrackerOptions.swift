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
    /// Extra search when the palm detector finds nothing (beyond MediaPipe); nil keeps plain
    /// MediaPipe semantics.
    public var rescue: HandRescue.Options?
    /// Video: while at least one hand is tracked, look for more with the palm detector only this
    /// often (media seconds) instead of on every frame. nil is MediaPipe's every frame.
    public var palmSearchInterval: Double?
    /// Video: with no hand in sight, run the rescue search at most this often (media seconds), and
    /// not within this long of losing a tracked hand (`HandRescue.lookAgain` looks for it then)...
    public var rescueInterval: Double = 0.5
    /// ...and after each search that finds nothing wait twice as long, up to this: an empty
    /// kiosk stops paying for a search it keeps losing, a visitor's hand resets the pace.
    public var maxRescueInterval: Double = 4
    /// Video: with no hand tracked, every other palm search looks at the next of the zoomed-in
    /// squares of this side (`ZoomInSquares`) instead of the whole picture, so a small, distant
    /// hand is found within a few frames at no extra cost per frame. nil: the whole picture always.
    public var zoomInSide: Float?

    public init(mode: Mode, rescue: HandRescue.Options? = nil, palmSearchInterval: Double? = nil) {
        self.mode = mode
        self.rescue = rescue
        self.palmSearchInterval = palmSearchInterval
    }

    /// MediaPipe Hands exactly, as the parity test runs it.
    public static let mediaPipePhoto = HandTrackerOptions(mode: .photo)
    public static let mediaPipeVideo = HandTrackerOptions(mode: .video)
    /// SnapRate's default for photos: MediaPipe plus the rescue search.
    public static let photo = HandTrackerOptions(mode: .photo, rescue: HandRescue.Options())
    /// SnapRate's default for video: a tracked hand is followed by the landmark model alone, and a
    /// second hand is looked for five times a second rather than on every frame (the smoother
    /// needs half a second of a gesture anyway); a light rescue search runs twice a second while
    /// no hand is in sight, the first half second after a hand is lost taken by one look where it
    /// was. With no hand tracked, the palm search alternates between the whole picture and squares
    /// of half its size, for visitors far from the camera.
    public static let video: HandTrackerOptions = {
        var options = HandTrackerOptions(mode: .video, rescue: .video, palmSearchInterval: 0.2)
        options.zoomInSide = 0.5
        return options
    }()
}
