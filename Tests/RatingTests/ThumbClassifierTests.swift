import HandEngine
import Rating
import Testing

@Suite(.timeLimit(.minutes(15))) struct ThumbClassifierTests {
    let classifier = ThumbClassifier()

    private func thumb(_ sketch: HandSketch) -> ThumbClass {
        classifier.classify(sketch.hand(), width: 640, height: 640).thumb
    }

    @Test func thumbsUpAndDown() {
        #expect(thumb(HandSketch(thumbAngle: 0)) == .up)
        #expect(thumb(HandSketch(thumbAngle: 180)) == .down)
        // Mirrored hands (fingers to the left) are the same gestures.
        #expect(thumb(HandSketch(thumbAngle: 0, fingerAngle: 270)) == .up)
        #expect(thumb(HandSketch(thumbAngle: 180, fingerAngle: 270)) == .down)
    }

    @Test(arguments: [0, 20, 40, -40] as [Float])
    func aThumbWithin45DegreesOfVerticalCounts(tilt: Float) {
        #expect(thumb(HandSketch(thumbAngle: tilt, fingerAngle: 90 + tilt)) == .up)
        #expect(thumb(HandSketch(thumbAngle: 180 + tilt, fingerAngle: 90 + tilt)) == .down)
    }

    @Test(arguments: [65, 90, 115] as [Float])
    func aSidewaysThumbIsNone(angle: Float) {
        #expect(thumb(HandSketch(thumbAngle: angle, fingerAngle: angle + 90)) == .none)
    }

    @Test func otherGesturesAreNone() {
        let fist = HandSketch(thumbAngle: 0, thumbExtended: false)
        let openPalm = HandSketch(fingersExtended: [true, true, true, true], thumbAngle: 0, fingerAngle: 90)
        let uprightPalm = HandSketch(fingersExtended: [true, true, true, true], thumbAngle: 270, fingerAngle: 0)
        let vSign = HandSketch(fingersExtended: [true, true, false, false], thumbAngle: 270, thumbExtended: false, fingerAngle: 0)
        let okSign = HandSketch(fingersExtended: [false, true, true, true], thumbAngle: 270, thumbExtended: false, fingerAngle: 0)
        let pointingDown = HandSketch(fingersExtended: [true, false, false, false], thumbAngle: 90, thumbExtended: false, fingerAngle: 180)
        let thumbAndIndexOut = HandSketch(fingersExtended: [true, false, false, false], thumbAngle: 0, fingerAngle: 90)
        for (name, sketch) in [("fist", fist), ("open palm", openPalm), ("upright palm", uprightPalm), ("V sign", vSign),
                               ("OK sign", okSign), ("pointing down", pointingDown), ("L shape", thumbAndIndexOut)] {
            #expect(thumb(sketch) == .none, "\(name)")
        }
    }

    @Test func confidenceIsHigherForAClearGesture() {
        let clear = classifier.classify(HandSketch(thumbAngle: 0).hand(), width: 640, height: 640)
        let tilted = classifier.classify(HandSketch(thumbAngle: 40, fingerAngle: 130).hand(), width: 640, height: 640)
        #expect(clear.confidence > tilted.confidence)
        #expect((0.5...1).contains(tilted.confidence))
    }

    @Test func anglesAreMeasuredInPixelsNotNormalisedUnits() {
        // A thumb 40 degrees off vertical in a square image; the same normalised landmarks in a wide
        // image are over 60 degrees off, and no longer a rating.
        let hand = HandSketch(thumbAngle: 40, fingerAngle: 130).hand()
        #expect(classifier.classify(hand, width: 640, height: 640).thumb == .up)
        #expect(classifier.classify(hand, width: 1280, height: 640).thumb == .none)
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
}
