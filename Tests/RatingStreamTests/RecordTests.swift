import Foundation
import Rating
import RatingStream
import Testing

@Suite(.timeLimit(.minutes(15))) struct RecordTests {
    private func roundTrip<T: RingCodable>(_ value: T) -> T {
        withUnsafeTemporaryAllocation(of: UInt64.self, capacity: T.wordCount) { words in
            words.initialize(repeating: 0xDEAD_BEEF)
            value.encode(into: words)
            return T(words: UnsafeBufferPointer(words))
        }
    }

    @Test(arguments: ["a", "kiosk-01_B", String(repeating: "Z", count: 64), "0123456_", "--"])
    func validKioskIDsAreAccepted(_ id: String) {
        #expect(KioskID(id)?.value == id)
    }

    @Test(arguments: ["", String(repeating: "a", count: 65), "a b", "ü", "a/b", "a.b", "a\u{0}", "kiosk?x=1"])
    func invalidKioskIDsAreRefused(_ id: String) {
        #expect(KioskID(id) == nil)
    }

    @Test(arguments: ["k", "kiosk-7", "abcdefgh", "abcdefghi", String(repeating: "x", count: 64)])
    func detectedRatingsSurviveTheRing(kiosk: String) throws {
        let rating = DetectedRating(
            kiosk: try #require(KioskID(kiosk)), session: UUID(), rating: .down, confidence: 0.8125,
            mediaTime: 3.366, wallTime: Date(timeIntervalSince1970: 1_800_000_123.25), latencyMilliseconds: 17.5,
            model: "full")
        #expect(roundTrip(rating) == rating)
        let stored = StoredRating(sequence: 42, rating: rating)
        #expect(roundTrip(stored) == stored)
        var up = rating
        up.rating = .up
        #expect(roundTrip(up).rating == .up)
    }

    @Test func statusSurvivesTheRing() throws {
        let status = StreamStatus(kiosk: try #require(KioskID("door")), session: UUID(), state: .ended,
                                  framesDecoded: 154, framesDetected: 150, decodeErrors: 2,
                                  wallTime: Date(timeIntervalSince1970: 1_800_000_000))
        #expect(roundTrip(status) == status)
    }

    @Test func recordsFlowThroughARingInOrder() async throws {
        let ring = RingBuffer<DetectedRating>(capacity: 8)
        let cursor = ring.makeCursor(gating: true)
        let kiosk = try #require(KioskID("hall"))
        let session = UUID()
        let producer = Task {
            for index in 0..<100 {
                await ring.publish(DetectedRating(kiosk: kiosk, session: session, rating: index % 2 == 0 ? .up : .down,
                                                  confidence: 0.5, mediaTime: Double(index), wallTime: Date(),
                                                  latencyMilliseconds: 1, model: "lite"))
            }
        }
        var times: [Double] = []
        while times.count < 100, let read = await cursor.next() {
            guard case .element(_, let rating) = read else { Issue.record("gap on a gating cursor"); break }
            #expect(rating.kiosk == kiosk && rating.session == session)
            times.append(rating.mediaTime)
        }
        await producer.value
        #expect(times == (0..<100).map(Double.init))
    }
}
