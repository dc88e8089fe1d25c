import SnapRateCore
import ThumbRating
import Testing

@Suite(.timeLimit(.minutes(15))) struct RatingSmootherTests {
    /// Feeds `(time, class)` pairs and returns the ratings with their times.
    private func run(_ frames: [(Double, ThumbClass)], smoother: RatingSmoother = RatingSmoother()) -> [(Rating, Double)] {
        var smoother = smoother
        return frames.compactMap { time, thumb in
            let hands = thumb == .none ? 0 : 1
            return smoother.observe(FrameClass(thumb: thumb, confidence: 0.9, hands: hands), at: time).map { ($0.rating, $0.time) }
        }
    }

    /// `seconds` of one class at `fps`, starting at `from`.
    private func hold(_ thumb: ThumbClass, from start: Double, seconds: Double, fps: Double = 30) -> [(Double, ThumbClass)] {
        stride(from: start, to: start + seconds - 1e-9, by: 1 / fps).map { ($0, thumb) }
    }

    @Test func aRatingNeedsHalfASecondOfMediaTime() {
        let short = run(hold(.up, from: 0, seconds: 0.45))
        #expect(short.isEmpty)
        let long = run(hold(.up, from: 0, seconds: 0.6))
        #expect(long.map(\.0) == [.up])
        #expect(abs(long[0].1 - 0.5) < 1 / 30 + 1e-9)
    }

    @Test func variableFrameRatesCountTimeNotFrames() {
        // Three frames spread over 0.6 s are a held gesture; twenty frames in 0.2 s are not.
        #expect(run([(0, .up), (0.3, .up), (0.6, .up)]).map(\.0) == [.up])
        #expect(run(hold(.up, from: 0, seconds: 0.2, fps: 100)).isEmpty)
    }

    @Test func holdingLongerGivesOneRating() {
        #expect(run(hold(.up, from: 0, seconds: 5)).count == 1)
    }

    @Test func theSameRatingAgainNeedsAPauseOfAtLeast0_75s() {
        let tooSoon = hold(.up, from: 0, seconds: 1) + hold(.none, from: 1, seconds: 0.5) + hold(.up, from: 1.5, seconds: 1)
        #expect(run(tooSoon).map(\.0) == [.up])
        let rearmed = hold(.up, from: 0, seconds: 1) + hold(.none, from: 1, seconds: 0.8) + hold(.up, from: 1.8, seconds: 1)
        #expect(run(rearmed).map(\.0) == [.up, .up])
    }

    @Test func switchingStraightToTheOtherRatingIsARatingRecord() {
        let frames = hold(.up, from: 0, seconds: 1) + hold(.down, from: 1, seconds: 1) + hold(.up, from: 2, seconds: 1)
        let ratings = run(frames)
        #expect(ratings.map(\.0) == [.up, .down, .up])
        #expect(abs(ratings[1].1 - 1.5) < 0.04)
    }

    @Test func shortDropoutsNeitherEndNorRestartAGesture() {
        // A hand lost for 0.3 s in the middle of a hold: the hold still completes at 0.5 s...
        let bridged = hold(.up, from: 0, seconds: 0.2) + hold(.none, from: 0.2, seconds: 0.3) + hold(.up, from: 0.5, seconds: 0.3)
        let ratings = run(bridged)
        #expect(ratings.map(\.0) == [.up])
        #expect(abs(ratings[0].1 - 0.5) < 0.04)
        // ...and a dropout after a rating does not make the same gesture count twice.
        let after = hold(.up, from: 0, seconds: 1) + hold(.none, from: 1, seconds: 0.5) + hold(.up, from: 1.5, seconds: 1)
        #expect(run(after).count == 1)
    }

    @Test func aGestureThatLapsesIntoAShortGapStillCompletesItsHold() {
        // Seen for 0.4 s (say, a stream that starts mid-gesture), then the hand blurs away: the hold
        // runs on through the gap and completes at 0.5 s.
        let lapsing = hold(.down, from: 0, seconds: 0.4) + hold(.none, from: 0.4, seconds: 0.6)
        let ratings = run(lapsing)
        #expect(ratings.map(\.0) == [.down])
        #expect(abs(ratings[0].1 - 0.5) < 0.04)
        // A flicker of 0.2 s is not enough evidence, however long the gap after it.
        let flicker = hold(.up, from: 0, seconds: 0.2) + hold(.none, from: 0.2, seconds: 1)
        #expect(run(flicker).isEmpty)
    }

    @Test func aLongDropoutEndsTheGesture() {
        // 0.3 s of up, a second without a hand, 0.3 s of up: neither piece is a held gesture.
        let frames = hold(.up, from: 0, seconds: 0.3) + hold(.none, from: 0.3, seconds: 1) + hold(.up, from: 1.3, seconds: 0.3)
        #expect(run(frames).isEmpty)
    }

    @Test func aBlipOfTheOtherRatingDoesNotCountTwice() {
        let frames = hold(.up, from: 0, seconds: 1) + [(1.0, .down)] + hold(.up, from: 1.034, seconds: 1)
        #expect(run(frames).map(\.0) == [.up])
    }

    @Test func configurationChangesTheTimings() {
        let quick = RatingSmoother(configuration: .init(hold: 0.2, rearm: 0.3, dropout: 0.3))
        let frames = hold(.down, from: 0, seconds: 0.3) + hold(.none, from: 0.3, seconds: 0.4) + hold(.down, from: 0.7, seconds: 0.3)
        #expect(run(frames, smoother: quick).map(\.0) == [.down, .down])
    }

    @Test func eventsCarryTheMeanConfidenceOfTheHold() {
        var smoother = RatingSmoother()
        var event: RatingEvent?
        for (index, time) in stride(from: 0.0, through: 0.5, by: 0.1).enumerated() {
            let confidence: Float = index.isMultiple(of: 2) ? 0.6 : 1.0
            event = smoother.observe(FrameClass(thumb: .down, confidence: confidence, hands: 1), at: time, detectionSeconds: 0.01) ?? event
        }
        let emitted = try! #require(event)
        #expect(abs(emitted.confidence - 0.8) < 1e-5)
        #expect(emitted.detectionSeconds == 0.01)
    }
}
