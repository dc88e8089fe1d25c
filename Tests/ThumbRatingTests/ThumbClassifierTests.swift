import Foundation
import HandEngine
import SnapRateCore
import ThumbRating
import Testing

/// The classifier's two questions apart: the shape, learned (here from sketched hands, so these
/// tests do not depend on the committed weights), and the direction, a fixed rule.
@Suite(.timeLimit(.minutes(15))) struct ThumbClassifierTests {
    /// Thumb gestures at many tilts, both hands, against the other shapes, each jittered.
    static let sketchModel: ThumbShapeModel = {
        var samples: [ThumbShapeModel.Sample] = []
        var jitter = SeededGenerator(state: 42)
        func add(_ sketch: HandSketch, _ positive: Bool) {
            for _ in 0..<6 {
                let hand = sketch.hand()
                let moved = hand.landmarks.map { $0 + SIMD3(Float.random(in: -0.004...0.004, using: &jitter),
                                                            Float.random(in: -0.004...0.004, using: &jitter), 0) }
                let pose = HandPose(Hand(landmarks: moved, score: 1, handedness: .right, handednessScore: 1, roi: hand.roi),
                                    width: 640, height: 640)
                samples.append(.init(features: pose.shapeFeatures, isThumbGesture: positive))
            }
        }
        for angle in stride(from: Float(0), to: 360, by: 15) {
            add(HandSketch(thumbAngle: angle, fingerAngle: angle + 90), true)
            add(HandSketch(thumbAngle: angle, fingerAngle: angle - 90), true)
            for other in otherGestures(turnedBy: angle) { add(other.sketch, false) }
        }
        return ThumbShapeModel.fit(samples)
    }()

    static func otherGestures(turnedBy turn: Float = 0) -> [(name: String, sketch: HandSketch)] {
        [("fist", HandSketch(thumbAngle: turn, thumbExtended: false, fingerAngle: turn + 90)),
         ("open palm", HandSketch(fingersExtended: [true, true, true, true], thumbAngle: turn, fingerAngle: turn + 90)),
         ("V sign", HandSketch(fingersExtended: [true, true, false, false], thumbAngle: turn + 270, thumbExtended: false, fingerAngle: turn)),
         ("OK sign", HandSketch(fingersExtended: [false, true, true, true], thumbAngle: turn + 270, thumbExtended: false, fingerAngle: turn)),
         ("pointing", HandSketch(fingersExtended: [true, false, false, false], thumbAngle: turn + 90, thumbExtended: false, fingerAngle: turn + 180)),
         ("L shape", HandSketch(fingersExtended: [true, false, false, false], thumbAngle: turn, fingerAngle: turn + 90))]
    }

    let classifier = ThumbClassifier(configuration: .init(shape: ThumbClassifierTests.sketchModel))

    private func thumb(_ sketch: HandSketch, width: Int = 640, height: Int = 640) -> ThumbClass {
        classifier.classify(sketch.hand(), width: width, height: height).thumb
    }

    @Test func thumbsUpAndDownWithEitherHand() {
        #expect(thumb(HandSketch(thumbAngle: 0)) == .up)
        #expect(thumb(HandSketch(thumbAngle: 180)) == .down)
        #expect(thumb(HandSketch(thumbAngle: 0, fingerAngle: 270)) == .up)
        #expect(thumb(HandSketch(thumbAngle: 180, fingerAngle: 270)) == .down)
    }

    /// Visitors tilt the thumb: up to 60 degrees from vertical still counts.
    @Test(arguments: [0, 20, 45, 60, -30, -60] as [Float])
    func aThumbWithin60DegreesOfVerticalCounts(tilt: Float) {
        #expect(thumb(HandSketch(thumbAngle: tilt, fingerAngle: 90 + tilt)) == .up)
        #expect(thumb(HandSketch(thumbAngle: 180 + tilt, fingerAngle: 90 + tilt)) == .down)
    }

    @Test(arguments: [80, 90, 100, 260, 275] as [Float])
    func aSidewaysThumbIsNone(angle: Float) {
        #expect(thumb(HandSketch(thumbAngle: angle, fingerAngle: angle + 90)) == .none)
    }

    @Test(arguments: [0, 30, 180] as [Float])
    func otherGesturesAreNoneHoweverTurned(turn: Float) {
        for (name, sketch) in Self.otherGestures(turnedBy: turn) {
            #expect(thumb(sketch) == .none, "\(name) turned by \(turn)")
        }
    }

    /// The shape is judged in the hand's own frame: turning, mirroring or shrinking the hand
    /// changes no shape feature.
    @Test func theShapeIgnoresRotationMirrorAndSize() {
        let sketches = [HandSketch(thumbAngle: 10, fingerAngle: 100)] + Self.otherGestures(turnedBy: 10).map(\.sketch)
        for sketch in sketches {
            let points = sketch.hand().landmarks.map { SIMD2<Float>($0.x * 640, $0.y * 640) }
            let reference = HandPose(pixels: points).shapeFeatures
            let angle: Float = 0.7
            let turned = points.map { SIMD2($0.x * cos(angle) - $0.y * sin(angle), $0.x * sin(angle) + $0.y * cos(angle)) }
            let mirrored = points.map { SIMD2(640 - $0.x, $0.y) }
            let smaller = points.map { $0 / 3 + SIMD2(100, 50) }
            for variant in [turned, mirrored, smaller] {
                let features = HandPose(pixels: variant).shapeFeatures
                #expect(zip(features, reference).allSatisfy { abs($0 - $1) < 1e-3 }, "\(features) vs \(reference)")
            }
        }
    }

    @Test func anglesAreMeasuredInPixelsNotNormalisedUnits() {
        // 55 degrees off vertical in a square picture; the same normalised landmarks in a picture
        // twice as wide are over 70 degrees off, sideways.
        let hand = HandSketch(thumbAngle: 55, fingerAngle: 145).hand()
        #expect(classifier.classify(hand, width: 640, height: 640).thumb == .up)
        #expect(classifier.classify(hand, width: 1280, height: 640).thumb == .none)
    }

    @Test func aRatingsConfidenceIsItsShapeProbability() {
        let verdict = classifier.classify(HandSketch(thumbAngle: 0).hand(), width: 640, height: 640)
        #expect((0.5...1).contains(verdict.confidence))
        let pose = HandPose(HandSketch(thumbAngle: 0).hand(), width: 640, height: 640)
        #expect(verdict.confidence == Self.sketchModel.probability(pose.shapeFeatures))
    }

    @Test func severalHands() {
        let up = HandSketch(thumbAngle: 0, centre: [0.3, 0.5]).hand()
        let down = HandSketch(thumbAngle: 180, centre: [0.7, 0.5]).hand()
        let fist = HandSketch(thumbAngle: 0, thumbExtended: false, centre: [0.7, 0.5]).hand()
        #expect(classifier.classify([up, fist], width: 640, height: 640).thumb == .up)
        #expect(classifier.classify([fist, down], width: 640, height: 640).thumb == .down)
        #expect(classifier.classify([up, down], width: 640, height: 640).thumb == .none)
        let none = classifier.classify([Hand](), width: 640, height: 640)
        #expect(none.thumb == .none && none.hands == 0)
        #expect(classifier.classify([up, fist], width: 640, height: 640).hands == 2)
    }

    /// Fitting is deterministic and learns a separable problem.
    @Test func fittingSeparatesAndRepeats() {
        let samples = (0..<40).map { i -> ThumbShapeModel.Sample in
            var features = [Float](repeating: 0, count: HandPose.featureCount)
            features[3] = Float(i % 2 == 0 ? 1 : -1) + Float(i) * 0.01
            features[7] = Float(i % 5)
            return .init(features: features, isThumbGesture: i % 2 == 0)
        }
        let model = ThumbShapeModel.fit(samples)
        #expect(model == ThumbShapeModel.fit(samples))
        for sample in samples {
            #expect((model.probability(sample.features) > 0.5) == sample.isThumbGesture)
        }
    }
}

/// The same jitter every run (a linear congruential generator).
struct SeededGenerator: RandomNumberGenerator {
    var state: UInt64

    mutating func next() -> UInt64 {
        state = state &* 6_364_136_223_846_793_005 &+ 1_442_695_040_888_963_407
        return state
    }
}
