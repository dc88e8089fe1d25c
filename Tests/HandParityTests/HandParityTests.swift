import Foundation
import HandEngine
import Logging
import Testing
import TestSupport

extension ParityRuns {
    /// SnapRate's hand pipeline against MediaPipe Hands 0.10.21 on the shared photos, with MediaPipe's
    /// own semantics (static image mode, no rescue search): where MediaPipe finds a hand SnapRate must
    /// find one on at least 95% of the photos, and matched hands' landmarks must lie within 2% of the
    /// image's larger side on average.
    @Suite(.timeLimit(.minutes(15)), .serialized, .enabled(if: ParityEnvironment.shouldRun, ParityEnvironment.skipReason))
    struct HandParityTests {
        @Test(arguments: ModelVariant.allCases)
        func matchesMediaPipe(_ variant: ModelVariant) throws {
            let gestures = try TestData.requireGestures()
            let reference = try MediaPipeReference.load(from: gestures)
            let expected = try #require(reference.models[variant.rawValue], "no \(variant) results in the reference")
            let tracker = try HandTracker(variant: variant, options: .mediaPipePhoto, logger: Logger(label: "parity"))

            var agreement = LandmarkAgreement()
            for photo in try ParityEnvironment.photos(in: gestures) {
                let photoReference = try #require(expected[photo], "\(photo) missing from the reference")
                let image = try PhotoLoader.load(gestures.appendingPathComponent("images/\(photo)"))
                agreement.add(photo: photo, reference: photoReference, found: tracker.process(image))
            }

            print("""
                parity \(variant): detection \(agreement.photosFound)/\(agreement.referencePhotos) \
                = \(percent(agreement.detectionRate)), mean landmark error \(percent(agreement.meanError, digits: 2)) \
                of the larger side over \(agreement.handErrors.count) hands \
                (worst \(percent(agreement.worst?.error ?? 0, digits: 2)) on \(agreement.worst?.photo ?? "-")), \
                handedness agrees on \(agreement.handednessAgreements)/\(agreement.handErrors.count), \
                hands on \(agreement.extraPhotos.count) photos where MediaPipe finds none; \
                missed: \(agreement.missedPhotos.joined(separator: " ")); extra: \(agreement.extraPhotos.joined(separator: " "))
                """)
            #expect(agreement.detectionRate >= 0.95)
            #expect(agreement.meanError <= 0.02)
        }
    }
}

func percent(_ value: Double, digits: Int = 1) -> String {
    String(format: "%.\(digits)f%%", value * 100)
}
