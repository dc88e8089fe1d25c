import Foundation
import SnapRateCore
import AnalyticsStore
import Testing

/// Opens a store on the database (or file) of one test; each call opens another handle on the
/// same one, as a second node or a restart would.
typealias OpenStore = () async throws -> any RatingStore

/// One behaviour every store has, run against each store by its own suite: the PostgreSQL store
/// matches the SQLite store because both pass exactly these cases.
struct StoreCase: Sendable, CustomTestStringConvertible {
    let name: String
    let run: @Sendable (OpenStore) async throws -> Void

    var testDescription: String { name }
}

enum StoreConformance {
    static func rating(_ kiosk: KioskID, _ value: Rating, at mediaTime: Double = 1, event: String = "expo",
                       wall: Date = Date(timeIntervalSince1970: 1_800_000_000)) -> RatingRecord {
        RatingRecord(event: event, kiosk: kiosk, session: UUID(), rating: value, confidence: 0.875, mediaTime: mediaTime,
                  wallTime: wall, latencyMilliseconds: 12.5, model: "lite")
    }

    static let cases: [StoreCase] = [
        StoreCase(name: "appended ratings come back with growing sequence numbers") { open in
            let store = try await open()
            #expect(try await store.latestSequence() == 0)
            let stored = try await store.append([rating("a", .up), rating("b", .down, at: 2.5), rating("a", .down)])
            #expect(stored.map(\.storedSequence) == [1, 2, 3])
            let all = try await store.ratings(after: 0, kiosk: nil, limit: 100)
            #expect(all == stored)
            #expect(try await store.ratings(after: 1, kiosk: "a", limit: 100).map(\.storedSequence) == [3])
            #expect(try await store.ratings(after: 0, kiosk: nil, limit: 2).map(\.storedSequence) == [1, 2])
            #expect(try await store.ratings(after: 3, kiosk: nil, limit: 100).isEmpty)
            #expect(try await store.latestSequence() == 3)
            #expect(all[1].mediaTime == 2.5 && all[1].confidence == 0.875 && all[1].model == "lite")
            #expect(all[1].latencyMilliseconds == 12.5 && all[1].event == "expo")
            #expect(try await store.append([]).isEmpty)
        },
        StoreCase(name: "everything is kept across reopening and sequence numbers go on") { open in
            _ = try await open().append([rating("a", .up), rating("a", .up)])
            let reopened = try await open()
            #expect(try await reopened.latestSequence() == 2)
            #expect(try await reopened.append([rating("a", .down)]).map(\.storedSequence) == [3])
            #expect(try await reopened.appliedMigrations() == ["v1 ratings and sessions", "v2 idempotent appends",
                                                                 "v3 webhook cursors"])
        },
        StoreCase(name: "summary counts up and down per kiosk") { open in
            let store = try await open()
            _ = try await store.append([rating("b", .down), rating("a", .up), rating("a", .up), rating("a", .down),
                                        rating("c", .up, event: "other"), rating("B", .up)])
            #expect(try await store.summary(event: "expo") == [
                KioskSummary(kiosk: "B", up: 1, down: 0), KioskSummary(kiosk: "a", up: 2, down: 1),
                KioskSummary(kiosk: "b", up: 0, down: 1),
            ])
            #expect(try await store.summary(event: nil).map(\.kiosk) == ["B", "a", "b", "c"])
            #expect(try await store.summary(event: "none").isEmpty)
        },
        StoreCase(name: "sessions record their life") { open in
            let store = try await open()
            let id = UUID(), other = UUID()
            let started = Date(timeIntervalSince1970: 1_800_000_000)
            try await store.startSession(StreamSessionRecord(id: id, event: "expo", kiosk: "k1", started: started))
            try await store.startSession(StreamSessionRecord(id: other, event: "expo", kiosk: "k2", started: started + 5))
            #expect(try await store.sessions(kiosk: "k1") == [StreamSessionRecord(id: id, event: "expo", kiosk: "k1", started: started)])
            try await store.endSession(id: id, ended: started + 60, framesDecoded: 1800, decodeErrors: 2, reason: "disconnected")
            let all = try await store.sessions(kiosk: nil)
            #expect(all.map(\.id) == [id, other])
            #expect(all[0] == StreamSessionRecord(id: id, event: "expo", kiosk: "k1", started: started, ended: started + 60,
                                                  framesDecoded: 1800, decodeErrors: 2, endReason: "disconnected"))
            #expect(all[1].ended == nil && all[1].endReason == nil)
            await #expect(throws: (any Error).self, "a session id is recorded once") {
                try await store.startSession(StreamSessionRecord(id: id, event: "expo", kiosk: "k1", started: started))
            }
        },
        StoreCase(name: "two handles writing at once never share a sequence number nor leave a gap") { open in
            let handles = [try await open(), try await open()]
            let sequences = try await withThrowingTaskGroup(of: [Int64].self) { group in
                for writer in 0..<4 {
                    let store = handles[writer % 2]
                    group.addTask {
                        var mine: [Int64] = []
                        for index in 0..<25 {
                            let batch = (0...(index % 3)).map { _ in rating(KioskID("k\(writer)")!, index.isMultiple(of: 2) ? .up : .down) }
                            let stored = try await store.append(batch)
                            // A batch's numbers are consecutive.
                            #expect(stored.map(\.storedSequence) == Array(stored[0].storedSequence...stored[0].storedSequence + Int64(batch.count - 1)))
                            mine += stored.map(\.storedSequence)
                        }
                        return mine
                    }
                }
                return try await group.reduce(into: [Int64]()) { $0 += $1 }
            }
            let total = 4 * (0..<25).reduce(0) { $0 + $1 % 3 + 1 }
            #expect(sequences.sorted() == Array(1...Int64(total)))
            #expect(try await handles[0].ratings(after: 0, kiosk: nil, limit: 1000).map(\.storedSequence) == Array(1...Int64(total)))
        },
        StoreCase(name: "a write retried under its id is stored once") { open in
            let store = try await open()
            let write = UUID()
            let batch = [rating("a", .up, at: 1), rating("a", .down, at: 2)]
            let first = try await store.append(batch, write: write)
            _ = try await store.append([rating("b", .up)])
            let again = try await store.append(batch, write: write)
            #expect(again == first)
            #expect(try await store.ratings(after: 0, kiosk: nil, limit: 100).map(\.storedSequence) == [1, 2, 3])
            #expect(try await store.append([rating("a", .up)]).map(\.storedSequence) == [4])
        },
        StoreCase(name: "purge removes old ratings but never reuses their numbers") { open in
            let store = try await open()
            let old = Date(timeIntervalSince1970: 1_700_000_000)
            try await store.startSession(StreamSessionRecord(id: UUID(), event: "expo", kiosk: "k", started: old))
            let ended = UUID()
            try await store.startSession(StreamSessionRecord(id: ended, event: "expo", kiosk: "k", started: old))
            try await store.endSession(id: ended, ended: old + 10, framesDecoded: 1, decodeErrors: 0, reason: "finished")
            _ = try await store.append([rating("a", .up, wall: old), rating("a", .down)])
            #expect(try await store.purge(before: Date(timeIntervalSince1970: 1_750_000_000)) == 1)
            #expect(try await store.ratings(after: 0, kiosk: nil, limit: 10).map(\.storedSequence) == [2])
            #expect(try await store.append([rating("a", .up)]).map(\.storedSequence) == [3])
            // Sessions still open are kept, however old.
            #expect(try await store.sessions(kiosk: "k").map(\.endReason) == [nil])
        },
        StoreCase(name: "purge takes what is older than the date only, and again nothing") { open in
            // What a retention sweep relies on: the cutoff itself stays, sessions go by their end.
            let store = try await open()
            let cutoff = Date(timeIntervalSince1970: 1_750_000_000)
            let early = UUID(), late = UUID()
            try await store.startSession(StreamSessionRecord(id: early, event: "expo", kiosk: "k", started: cutoff - 100))
            try await store.endSession(id: early, ended: cutoff - 1, framesDecoded: 1, decodeErrors: 0, reason: "finished")
            try await store.startSession(StreamSessionRecord(id: late, event: "expo", kiosk: "k", started: cutoff - 100))
            try await store.endSession(id: late, ended: cutoff + 1, framesDecoded: 1, decodeErrors: 0, reason: "finished")
            _ = try await store.append([rating("a", .up, wall: cutoff - 0.5), rating("b", .up, wall: cutoff),
                                        rating("c", .down, wall: cutoff + 86_400)])
            #expect(try await store.purge(before: cutoff) == 1)
            #expect(try await store.purge(before: cutoff) == 0)
            #expect(try await store.summary(event: nil).map(\.kiosk) == ["b", "c"])
            #expect(try await store.sessions(kiosk: "k").map(\.id) == [late])
        },
        StoreCase(name: "a webhook cursor starts where asked, only moves forward and outlives the handle") { open in
            let store = try await open()
            let node = UUID()
            #expect(try await store.webhookCursor(target: "crm") == nil)
            #expect(try await store.leaseWebhookCursor(target: "crm", holder: node, for: .seconds(60), startingAt: 7) == 7)
            #expect(try await store.leaseWebhookCursor(target: "chat", holder: node, for: .seconds(60), startingAt: 0) == 0)
            #expect(try await store.advanceWebhookCursor(target: "crm", holder: node, to: 9))
            #expect(try await store.advanceWebhookCursor(target: "crm", holder: node, to: 8), "an older acknowledgement")
            #expect(try await store.webhookCursor(target: "crm") == 9)
            #expect(try await store.webhookCursor(target: "chat") == 0)
            // A restart: the cursor, not the new start, is where delivery resumes.
            let reopened = try await open()
            #expect(try await reopened.leaseWebhookCursor(target: "crm", holder: node, for: .seconds(60), startingAt: 100) == 9)
        },
        StoreCase(name: "one holder at a time delivers to a webhook target") { open in
            let nodeA = try await open(), nodeB = try await open()
            let a = UUID(), b = UUID()
            // A lease that outlasts any test: under the full suite's load a minute can pass
            // between two statements, and a shorter one would run out while held.
            let held = Duration.seconds(86_400)
            #expect(try await nodeA.leaseWebhookCursor(target: "crm", holder: a, for: held, startingAt: 0) == 0)
            #expect(try await nodeB.leaseWebhookCursor(target: "crm", holder: b, for: held, startingAt: 0) == nil)
            #expect(try await nodeB.advanceWebhookCursor(target: "crm", holder: b, to: 5) == false)
            #expect(try await nodeA.advanceWebhookCursor(target: "crm", holder: a, to: 3))
            // A's lease runs out (renewed for no time at all): B takes over from A's cursor, and A's
            // late acknowledgement no longer moves it.
            #expect(try await nodeA.leaseWebhookCursor(target: "crm", holder: a, for: .zero, startingAt: 0) == 3)
            #expect(try await nodeB.leaseWebhookCursor(target: "crm", holder: b, for: held, startingAt: 0) == 3)
            #expect(try await nodeA.advanceWebhookCursor(target: "crm", holder: a, to: 4) == false)
            #expect(try await nodeA.leaseWebhookCursor(target: "crm", holder: a, for: held, startingAt: 0) == nil)
            // Released at B's shutdown: A takes over at once.
            try await nodeB.releaseWebhookCursor(target: "crm", holder: b)
            #expect(try await nodeA.leaseWebhookCursor(target: "crm", holder: a, for: held, startingAt: 0) == 3)
        },
    ]
}
