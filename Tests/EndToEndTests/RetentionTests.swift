import Foundation
import Logging
import SnapRateCore
import ThumbRating
import AnalyticsStore
import Testing
import TestSupport
@testable import SnapRateServer

/// `--retain-days`: the sweeper deletes ratings and ended sessions older than the retention from a
/// real SQLite file, at start and then on its interval, and keeps going when the store fails.
@Suite(.timeLimit(.minutes(15))) struct RetentionTests {
    static let day: TimeInterval = 86_400

    static func rating(_ kiosk: KioskID, at wall: Date) -> RatingRecord {
        RatingRecord(event: "expo", kiosk: kiosk, session: UUID(), rating: .up, confidence: 0.9, mediaTime: 1, wallTime: wall,
                  latencyMilliseconds: 5, model: "lite")
    }

    static func store() throws -> (SQLiteRatingStore, String) {
        let path = try Clips.temporaryFolder().appendingPathComponent("retention.sqlite").path
        return (try SQLiteRatingStore(path: path), path)
    }

    static func sweeper(_ store: any RatingStore, days: Double, interval: Duration = .seconds(3600)) -> RetentionSweeper {
        let retention = Duration.seconds(days * day)
        var configuration = ServerConfiguration()
        configuration.retention = retention
        configuration.retentionSweepInterval = interval
        let context = ServerContext(configuration: configuration, store: store, logger: Logger(label: "test.retention"))
        return RetentionSweeper(context: context, retention: retention, interval: interval)
    }

    @Test func aSweepDeletesWhatIsOlderThanTheRetentionAndKeepsTheRest() async throws {
        let (store, _) = try Self.store()
        let now = Date()
        let old = now.addingTimeInterval(-3 * Self.day)
        _ = try await store.append([Self.rating("a", at: old), Self.rating("a", at: now.addingTimeInterval(-3600)),
                                    Self.rating("b", at: old.addingTimeInterval(-60))])
        let ended = UUID(), running = UUID()
        try await store.startSession(StreamSessionRecord(id: ended, event: "expo", kiosk: "a", started: old))
        try await store.endSession(id: ended, ended: old.addingTimeInterval(60), framesDecoded: 10, decodeErrors: 0, reason: "finished")
        try await store.startSession(StreamSessionRecord(id: running, event: "expo", kiosk: "a", started: old))

        let sweeper = Self.sweeper(store, days: 2)
        #expect(await sweeper.sweep(now: now) == 2)
        #expect(try await store.ratings(after: 0, kiosk: nil, limit: 10).map(\.storedSequence) == [2])
        #expect(try await store.sessions(kiosk: nil).map(\.id) == [running], "a session still open is kept")
        #expect(await sweeper.sweep(now: now) == 0)
        // A day later the remaining rating is still young enough; three days later it goes.
        #expect(await sweeper.sweep(now: now.addingTimeInterval(Self.day)) == 0)
        #expect(await sweeper.sweep(now: now.addingTimeInterval(3 * Self.day)) == 1)
    }

    @Test func theSweeperRunsAtStartAndThenOnItsInterval() async throws {
        let (store, _) = try Self.store()
        let now = Date()
        _ = try await store.append([Self.rating("old", at: now.addingTimeInterval(-2 * Self.day)), Self.rating("new", at: now)])
        let running = Task { try await Self.sweeper(store, days: 1, interval: .milliseconds(100)).run() }
        defer { running.cancel() }
        try await eventually("the sweep at start") { try await store.summary(event: nil).map(\.kiosk) == ["new"] }
        _ = try await store.append([Self.rating("later", at: now.addingTimeInterval(-5 * Self.day))])
        try await eventually("the next sweep") { try await store.summary(event: nil).map(\.kiosk) == ["new"] }
        running.cancel()
        try await running.value
        #expect(try await store.ratings(after: 0, kiosk: nil, limit: 10).map(\.kiosk) == ["new"])
    }

    @Test func aStoreThatFailsASweepIsTriedAgainAndTheServiceGoesOn() async throws {
        let (inner, _) = try Self.store()
        let store = FlakyPurgeStore(inner, failures: 2)
        _ = try await inner.append([Self.rating("old", at: Date().addingTimeInterval(-2 * Self.day))])
        let sweeper = Self.sweeper(store, days: 1, interval: .milliseconds(50))
        #expect(await sweeper.sweep(now: Date()) == nil)
        let running = Task { try await sweeper.run() }
        defer { running.cancel() }
        try await eventually("a sweep after the failures") { store.purges >= 3 }
        try await eventually("the old rating gone") { try await inner.ratings(after: 0, kiosk: nil, limit: 1).isEmpty }
        running.cancel()
        try await running.value
    }

    @Test func serveWithRetainDaysPurgesAtStart() async throws {
        let (store, path) = try Self.store()
        let now = Date()
        _ = try await store.append([Self.rating("past", at: now.addingTimeInterval(-10 * Self.day)),
                                    Self.rating("past", at: now.addingTimeInterval(-6 * Self.day)),
                                    Self.rating("now", at: now.addingTimeInterval(-3600))])
        let session = UUID()
        try await store.startSession(StreamSessionRecord(id: session, event: "expo", kiosk: "past", started: now.addingTimeInterval(-9 * Self.day)))
        try await store.endSession(id: session, ended: now.addingTimeInterval(-9 * Self.day), framesDecoded: 1, decodeErrors: 0, reason: "finished")

        let server = try ServeProcess(store: path, arguments: ["--retain-days", "5"])
        try await eventually("the purge at start") {
            let rows = try await SocketClients.getJSON("\(server.baseURL)/api/ratings")["ratings"] as? [[String: Any]]
            return rows?.map { $0["kiosk"] as? String } == ["now"]
        }
        let sessions = try await SocketClients.getJSON("\(server.baseURL)/api/sessions")["sessions"] as? [[String: Any]]
        #expect(sessions?.isEmpty == true)
        #expect(server.terminate() == 0, "\(server.stderr)")
        #expect(server.stderr.contains("retention: purged 2 ratings"), "\(server.stderr)")
        #expect(try await store.ratings(after: 0, kiosk: nil, limit: 10).map(\.storedSequence) == [3])

        let folder = try Clips.temporaryFolder()
        for days in ["0", "-1", "36501"] {
            let (status, stderr) = try ServeProcess.refusedStart(["--retain-days=\(days)", "--store", "sqlite:\(folder.path)/x.sqlite",
                                                                  "--models", "lite"])
            #expect(status == 2 && stderr.contains("--retain-days must be from 1 to 36500"), "\(days): \(stderr)")
        }
    }
}

/// A store whose first `failures` purges throw, as a database that is away would.
final class FlakyPurgeStore: RatingStore, @unchecked Sendable {
    struct Away: Error {}

    private let inner: any RatingStore
    private let lock = NSLock()
    private var remainingFailures: Int
    private var purgeCalls = 0

    init(_ inner: any RatingStore, failures: Int) {
        self.inner = inner
        self.remainingFailures = failures
    }

    var purges: Int { lock.withLock { purgeCalls } }

    func purge(before date: Date) async throws -> Int {
        let fail = lock.withLock {
            purgeCalls += 1
            remainingFailures -= 1
            return remainingFailures >= 0
        }
        if fail { throw Away() }
        return try await inner.purge(before: date)
    }

    func append(_ ratings: [RatingRecord], write: UUID) async throws -> [RatingRecord] { try await inner.append(ratings, write: write) }
    func ratings(after sequence: Int64, kiosk: KioskID?, limit: Int) async throws -> [RatingRecord] {
        try await inner.ratings(after: sequence, kiosk: kiosk, limit: limit)
    }
    func latestSequence() async throws -> Int64 { try await inner.latestSequence() }
    func summary(event: String?) async throws -> [KioskSummary] { try await inner.summary(event: event) }
    func startSession(_ session: StreamSessionRecord) async throws { try await inner.startSession(session) }
    func endSession(id: UUID, ended: Date, framesDecoded: Int, decodeErrors: Int, reason: String) async throws {
        try await inner.endSession(id: id, ended: ended, framesDecoded: framesDecoded, decodeErrors: decodeErrors, reason: reason)
    }
    func sessions(kiosk: KioskID?) async throws -> [StreamSessionRecord] { try await inner.sessions(kiosk: kiosk) }
    func appliedMigrations() async throws -> [String] { try await inner.appliedMigrations() }
    func leaseWebhookCursor(target: String, holder: UUID, for lease: Duration, startingAt start: Int64) async throws -> Int64? {
        try await inner.leaseWebhookCursor(target: target, holder: holder, for: lease, startingAt: start)
    }
    func advanceWebhookCursor(target: String, holder: UUID, to sequence: Int64) async throws -> Bool {
        try await inner.advanceWebhookCursor(target: target, holder: holder, to: sequence)
    }
    func releaseWebhookCursor(target: String, holder: UUID) async throws {
        try await inner.releaseWebhookCursor(target: target, holder: holder)
    }
    func webhookCursor(target: String) async throws -> Int64? { try await inner.webhookCursor(target: target) }
}
