import Foundation

/// `mediapipe-landmarks.json`: what MediaPipe Hands 0.10.21 (static image mode) reports for every
/// photo of the shared gesture set, per model variant.
struct MediaPipeReference: Decodable {
    struct Photo: Decodable {
        let width: Int
        let height: Int
        let hands: [ReferenceHand]
    }

    struct ReferenceHand: Decodable {
        let handedness: String
        let landmarks: [[Double]]
    }

    /// Variant ("lite", "full") → photo path relative to `images/` ("up/ARYA_thumbs_up_0.jpg") → result.
    let models: [String: [String: Photo]]

    static func load(from gestures: URL) throws -> MediaPipeReference {
        let data = try Data(contentsOf: gestures.appendingPathComponent("mediapipe-landmarks.json"))
        return try JSONDecoder().decode(MediaPipeReference.self, from: data)
    }
}
