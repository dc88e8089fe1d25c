/// Which pair of MediaPipe hand models to run: `lite` is faster, `full` is MediaPipe's default.
public enum ModelVariant: String, Sendable, CaseIterable, Codable {
    case lite
    case full

    /// What every command and the daemon run unless told otherwise: on the gesture set the lite
    /// pair is as accurate as the full one and twice as fast.
    public static let standard = ModelVariant.lite
}

/// One of the four model files SnapRate runs.
public enum ModelFile: String, Sendable, CaseIterable {
    case palmLite = "palm_detection_lite.tflite"
    case palmFull = "palm_detection_full.tflite"
    case landmarkLite = "hand_landmark_lite.tflite"
    case landmarkFull = "hand_landmark_full.tflite"

    public static func palm(_ variant: ModelVariant) -> ModelFile {
        variant == .lite ? .palmLite : .palmFull
    }

    public static func landmark(_ variant: ModelVariant) -> ModelFile {
        variant == .lite ? .landmarkLite : .landmarkFull
    }

    /// Where the file sits inside the `mediapipe==0.10.21` wheel.
    public var wheelPath: String {
        switch self {
        case .palmLite, .palmFull: "mediapipe/modules/palm_detection/\(rawValue)"
        case .landmarkLite, .landmarkFull: "mediapipe/modules/hand_landmark/\(rawValue)"
        }
    }

    /// The sha256 of the file in `mediapipe==0.10.21`; setup refuses anything else.
    public var sha256: String {
        switch self {
        case .palmLite: "e9a4aaddf90dda56a87235303cf00e4c2d3fb28725f68fd88772997dac905c18"
        case .palmFull: "1b14e9422c6ad006cde6581a46c8b90dd573c07ab7f3934b5589e7cea3f89a54"
        case .landmarkLite: "048edd3645c9bf7397d19a9f6e3a42957d6e414c9bea6598030a2e9b624156e6"
        case .landmarkFull: "11c272b891e1a99ab034208e23937a8008388cf11ed2a9d776ed3d01d0ba00e3"
        }
    }
}
