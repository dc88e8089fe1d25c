import MediaIngest

/// How detection keeps pace with a stream's decoder.
public enum Pacing: Sendable {
    /// Every frame is detected; the decoder waits for detection (files, offline analysis).
    case everyFrame
    /// A live camera: while the stream is less than `maxLag` seconds behind real time every frame
    /// is detected, as offline; further behind, newer frames replace waiting ones, so the ratings
    /// follow the camera instead of drifting from it.
    case live(maxLag: Double)

    var delivery: FrameDelivery {
        switch self {
        case .everyFrame: .everyFrame
        case .live(let maxLag): .live(maxLag: maxLag)
        }
    }

    /// Frames decoded ahead of detection. Live streams keep one, so a picture waits at most one
    /// frame's time and sixteen streams do not hold sixteen backlogs of pictures.
    var lookahead: Int {
        switch self {
        case .everyFrame: 2
        case .live: 1
        }
    }
}

/// How hard the hand tracker searches on each frame.
public enum Effort: Sendable {
    /// The wider search for hands whenever the tracker wants it.
    case full
    /// A stream that had frames skipped in the last `window` seconds of media time sheds the wider
    /// search, so that more of its frames (and other streams') get detected.
    case reducedWhileBehind(window: Double)

    /// Whether the frame at `time`, which came after `skipped` skipped ones, gets reduced effort;
    /// `lastBehind` is the stream's memory of when it last skipped.
    func reduces(at time: Double, afterSkipping skipped: Int, lastBehind: inout Double?) -> Bool {
        guard case .reducedWhileBehind(let window) = self else { return false }
        if skipped > 0 { lastBehind = time }
        return lastBehind.map { time >= $0 && time - $0 < window } ?? false
    }
}

/// Which pictures are searched for hands.
public enum Detection: Sendable, Equatable {
    /// Every picture: what every stream did before the scene gate, kept for comparison.
    case everyFrame
    /// Every picture while a hand is tracked; with none, as a `SceneGate` with this
    /// configuration decides.
    case followingScene(SceneGate.Configuration)

    var gate: SceneGate? {
        switch self {
        case .everyFrame: nil
        case .followingScene(let configuration): SceneGate(configuration: configuration)
        }
    }
}
