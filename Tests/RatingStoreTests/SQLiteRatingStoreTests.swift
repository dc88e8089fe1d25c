import Foundation
import Rating
import RatingStore
import Testing

@Suite struct SQLiteRatingStoreTests {
    let folder = FileManager.default.temporaryDirectory.appendingPathComponent("snaprate-store-\(UUID().uuidString)")
    var path: String { folder.appendingPathComponent("ratings.sqlite").path }

    init() throws {
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
    }

    private func rating(_ kiosk: String, _ value: Rating, at mediaTime: Double = 1, event: String = "expo",
                        wall: Date = Date(timeIntervalSince1970: 1_800_000_000)) -> NewRating {
        NewRating(event: event, kiosk: kiosk, session: UUID(), rating: value, confidence: 0.875, mediaTime: mediaTime,
                  wallTime: wall, latencyMilliseconds: 12.5, model: "lite")
    }

    @Test func appendedRatingsComeBackWithGrowingSequenceNumbers() async throws {
        let store = try SQLiteRatingStore(path: path)
        let stored = try await store.append([rating("a", .up), rating("b", .down, at: 2.5), rating("a", .down)])
        #expect(stored.map(\.sequence) == [1, 2, 3])
        let all = try await store.ratings(after: 0, kiosk: nil, limit: 100)
        #expect(all == stored)
        #expect(try await store.ratings(after: 1, kiosk: "a", limit: 100).map(\.sequence) == [3])
        #expect(try await store.ratings(after: 0, kiosk: nil, limit: 2).count == 2)
        #expect(try await store.latestSequence() == 3)
        #expect(all[1].rating.mediaTime == 2.5 && all[1].rating.confidence == 0.875 && all[1].rating.model == "lite")
    }

    @Test func theFileKeepsEverythingAcrossReopeningAndSequencesGoOn() async throws {
        do {
            let store = try SQLiteRatingStore(path: path)
            _ = try await store.append([rating("a", .up), rating("a", .up)])
        }
        let reopened = try SQLiteRatingStore(path: path)
        #expect(try await reopened.latestSequence() == 2)
        #expect(try await reopened.append([rating("a", .down)]).map(\.sequence) == [3])
        #expect(try await reopened.appliedMigrations() == ["v1 ratings and sessions"])
    }

    @Test func summaryCountsUpAndDownPerKiosk() async throws {
        let store = try SQLiteRatingStore(path: path)
        _ = try await store.append([rating("a", .up), rating("a", .up), rating("a", .down), rating("b", .down),
                                    rating("c", .up, event: "other")])
        #expect(try await store.summary(event: "expo") == [KioskSummary(kiosk: "a", up: 2, down: 1), KioskSummary(kiosk: "b", up: 0, down: 1)])
        #expect(try await store.summary(event: nil).count == 3)
    }

    @Test func sessionsRecordTheirLife() async throws {
        let store = try SQLiteRatingStore(path: path)
        let id = UUID()
        let started = Date(timeIntervalSince1970: 1_800_000_000)
        try await store.startSession(StreamSessionRecord(id: id, event: "expo", kiosk: "k1", started: started))
        #expect(try await store.sessions(kiosk: "k1") == [StreamSessionRecord(id: id, event: "expo", kiosk: "k1", started: started)])
        try await store.endSession(id: id, ended: started + 60, framesDecoded: 1800, decodeErrors: 2, reason: "disconnected")
        let ended = try #require(try await store.sessions(kiosk: nil).first)
        #expect(ended.ended == started + 60 && ended.framesDecoded == 1800 && ended.decodeErrors == 2 && ended.endReason == "disconnected")
    }

    @Test func concurrentWritersNeverShareASequenceNumber() async throws {
        let store = try SQLiteRatingStore(path: path)
        let sequences = try await withThrowingTaskGroup(of: [Int64].self) { group in
            for writer in 0..<4 {
                group.addTask {
                    var mine: [Int64] = []
                    for index in 0..<25 {
                        mine += try await store.append([rating("k\(writer)", index.isMultiple(of: 2) ? .up : .down)]).map(\.sequence)
                    }
                    return mine
                }
            }
            return try await group.reduce(into: [Int64]()) { $0 += $1 }
        }
        #expect(Set(sequences).count == 100 && sequences.max() == 100)
    }

    @Test func purgeRemovesOldRatingsButNeverReusesTheirNumbers() async throws {
        let store = try SQLiteRatingStore(path: path)
        let old = Date(timeIntervalSince1970: 1_700_000_000)
        _ = try await store.append([rating("a", .up, wall: old), rating("a", .down)])
        #expect(try await store.purge(before: Date(timeIntervalSince1970: 1_750_000_000)) == 1)
        #expect(try await store.ratings(after: 0, kiosk: nil, limit: 10).map(\.sequence) == [2])
        #expect(try await store.append([rating("a", .up)]).map(\.sequence) == [3])
    }
}
