import Foundation
import HandEngine
import Logging
import Testing
import TestSupport

/// The wider photo search (SnapRate's default for photos) against MediaPipe: how many more photos
/// get a hand, and that photos without any hand stay empty.
@Suite(.serialized, .enabled(if: ParityEnvironment.shouldRun, ParityEnvironment.skipReason))
struct HandRescueTests {
    /// Photos in `images/none` that show no hand at all (checked by eye: an empty wall, a face).
    /// The other none-photos MediaPipe finds nothing on show fists or open palms, where a hand is right.
    static let handless = ["none/MBSL_empty_0.jpg", "none/MBSL_empty_2.jpg", "none/MBSL_empty_50.jpg",
                           "none/MBSL_empty_76.jpg", "none/ISHA_up_0.jpg"]

    @Test(arguments: ModelVariant.allCases)
    func findsMoreHandsWithoutInventingAny(_ variant: ModelVariant) throws {
        let gestures = try TestData.requireGestures()
        let reference = try MediaPipeReference.load(from: gestures)
        let expected = try #require(reference.models[variant.rawValue])
        let tracker = try HandTracker(variant: variant, options: .photo, logger: Logger(label: "rescue"))

        var agreement = LandmarkAgreement()
        var invented: [String] = []
        var scores: [String] = []
        for photo in try ParityEnvironment.photos(in: gestures) {
            let photoReference = try #require(expected[photo])
            let hands = tracker.process(try PhotoLoader.load(gestures.appendingPathComponent("images/\(photo)")))
            agreement.add(photo: photo, reference: photoReference, found: hands)
            if photoReference.hands.isEmpty, let best = hands.first {
                scores.append("\(photo)=\(String(format: "%.3f", best.score))")
            }
            if Self.handless.contains(photo), !hands.isEmpty { invented.append(photo) }
        }
        let extra = agreement.extraPhotos
        let byLabel = Dictionary(grouping: extra) { String($0.prefix { $0 != "/" }) }.mapValues(\.count)
        let missedByMediaPipe = expected.values.filter(\.hands.isEmpty).count
        print("""
            rescue \(variant): hands on \(extra.count) of the \(missedByMediaPipe) photos where MediaPipe finds none \
            (up \(byLabel["up"] ?? 0), down \(byLabel["down"] ?? 0), none \(byLabel["none"] ?? 0)); \
            on photos with no hand at all: \(invented.count) \(invented); \
            MediaPipe's photos still found \(agreement.photosFound)/\(agreement.referencePhotos), \
            mean error \(percent(agreement.meanError, digits: 2)); found: \(scores.joined(separator: " "))
            """)
        #expect(invented.isEmpty)
        #expect(agreement.detectionRate >= 0.95)
    }
}
