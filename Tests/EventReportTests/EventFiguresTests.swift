import AnalyticsStore
import EventReport
import Foundation
import SnapRateCore
import Testing
import TestSupport

/// The report's figures from a real SQLite store filled with known ratings and sessions.
@Suite(.timeLimit(.minutes(5))) struct EventFiguresTests {
    let folder = FileManager.default.temporaryDirectory.appendingPathComponent("snaprate-report-\(UUID().uuidString)")
    static let event = "expo-2026"
    static let utc = TimeZone(identifier: "UTC")!

    init() throws {
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
    }

    static func time(_ text: String) -> Date {
        try! Date.ISO8601FormatStyle().parse(text)
    }

    static func ratings(_ kiosk: KioskID, _ rating: Rating, _ count: Int, at time: String, event: String = event) -> [RatingRecord] {
        (0..<count).map { index in
            RatingRecord(event: event, kiosk: kiosk, session: UUID(), rating: rating, confidence: 0.9, mediaTime: Double(index),
                         wallTime: Self.time(time).addingTimeInterval(Double(index)), latencyMilliseconds: 10, model: "lite")
        }
    }

    /// Two days of an event at two kiosks, and a kiosk of another event at the same time.
    func filledStore() async throws -> SQLiteRatingStore {
        let store = try SQLiteRatingStore(path: folder.appendingPathComponent("event.sqlite").path)
        func session(_ kiosk: KioskID, _ started: String, _ ended: String?, event: String = Self.event) async throws {
            let id = UUID()
            try await store.startSession(StreamSessionRecord(id: id, event: event, kiosk: kiosk, started: Self.time(started)))
            if let ended {
                try await store.endSession(id: id, ended: Self.time(ended), framesDecoded: 100, decodeErrors: 0, reason: "finished")
            }
        }
        // door-1 reconnected while its first stream still ran: 08:30 to 13:00 once.
        try await session("door-1", "2026-05-04T08:30:00Z", "2026-05-04T12:00:00Z")
        try await session("door-1", "2026-05-04T11:00:00Z", "2026-05-04T13:00:00Z")
        try await session("hall", "2026-05-04T09:00:00Z", "2026-05-04T10:15:00Z")
        try await session("hall", "2026-05-05T09:00:00Z", nil)
        try await session("other", "2026-05-04T10:00:00Z", "2026-05-04T11:00:00Z", event: "other")
        var all: [RatingRecord] = []
        all += Self.ratings("door-1", .up, 3, at: "2026-05-04T09:10:00Z")
        all += Self.ratings("door-1", .down, 1, at: "2026-05-04T09:15:00Z")
        all += Self.ratings("other", .up, 4, at: "2026-05-04T09:20:00Z", event: "other")
        all += Self.ratings("hall", .up, 2, at: "2026-05-04T09:50:00Z")
        all += Self.ratings("hall", .down, 2, at: "2026-05-04T10:05:00Z")
        all += Self.ratings("door-1", .up, 1, at: "2026-05-04T12:30:00Z")
        all += Self.ratings("hall", .up, 5, at: "2026-05-05T09:30:00Z")
        all += Self.ratings("hall", .down, 1, at: "2026-05-05T09:40:00Z")
        all += Self.ratings("hall", .up, 1, at: "2026-05-05T10:40:00Z")
        _ = try await store.append(all)
        return store
    }

    static let now = time("2026-05-05T11:30:00Z")

    @Test func theFiguresOfAWholeEventMatchTheStoresSummary() async throws {
        let store = try await filledStore()
        let figures = try await EventFigures.gather(from: store, scope: ReportScope(event: Self.event, now: Self.now))
        let summary = try await store.summary(event: Self.event)
        #expect(figures.kiosks.filter { $0.counts.total > 0 }.map { KioskSummary(kiosk: $0.kiosk, up: $0.counts.up, down: $0.counts.down) }
            == summary)
        #expect(figures.totals == EventFigures.Counts(up: 12, down: 4))
        #expect(figures.totals.sharePercent == 75)
        #expect(figures.kiosks.map(\.kiosk) == ["door-1", "hall"], "the other event's kiosk is left out")

        // From the first session's start to now (a session is still open).
        #expect(figures.start == Self.time("2026-05-04T08:30:00Z"))
        #expect(figures.end == Self.now)
        #expect(figures.hours.count == 28)
        #expect(figures.hours.first?.start == Self.time("2026-05-04T08:00:00Z"))
        #expect(figures.hours.last?.start == Self.time("2026-05-05T11:00:00Z"))
        #expect(figures.hours.reduce(0) { $0 + $1.counts.total } == 16)
        let nine = figures.hours.first { $0.start == Self.time("2026-05-04T09:00:00Z") }
        #expect(nine?.counts == EventFigures.Counts(up: 5, down: 1))
        #expect(nine?.runningSharePercent == 83)
        #expect(figures.hours.last?.runningSharePercent == 75)

        // Uptime: door-1's overlapping streams once; hall's open stream until now.
        let uptimes: [TimeInterval] = [4.5 * 3600, 3.75 * 3600]
        #expect(figures.kiosks.map(\.uptime) == uptimes)
        #expect(figures.kiosks.map(\.sessions) == [2, 2])
        #expect(figures.openSessions == 1)
        #expect(ReportPage.html(figures).contains("1 stream has no end recorded"))

        // Two hours hold six ratings: the earlier is the busiest. Open hours without ratings are the quietest.
        #expect(figures.busiestHour?.start == Self.time("2026-05-04T09:00:00Z"))
        #expect(figures.quietestHour?.start == Self.time("2026-05-04T08:00:00Z"))
        #expect(figures.quietestHour?.counts.total == 0)
        // 13:00 to 14:00 nobody streamed: not open, so not the quietest.
        #expect(figures.hours.first { $0.start == Self.time("2026-05-04T13:00:00Z") }?.streaming == 0)
        #expect(figures.hours.first { $0.start == Self.time("2026-05-04T12:00:00Z") }?.streaming == 3600)
    }

    @Test func aWindowClipsRatingsAndUptime() async throws {
        let store = try await filledStore()
        let scope = ReportScope(event: Self.event, from: Self.time("2026-05-04T10:00:00Z"), to: Self.time("2026-05-05T10:00:00Z"),
                                now: Self.now)
        let figures = try await EventFigures.gather(from: store, scope: scope)
        // Left out: the six of 09:xx on the 4th and the one of 10:40 on the 5th.
        #expect(figures.totals == EventFigures.Counts(up: 6, down: 3))
        #expect(figures.kiosks.map(\.counts) == [EventFigures.Counts(up: 1, down: 0), EventFigures.Counts(up: 5, down: 3)])
        let uptimes: [TimeInterval] = [3 * 3600, 4500]
        #expect(figures.kiosks.map(\.uptime) == uptimes, "hall: 10:00 to 10:15 on the 4th, 09:00 to 10:00 on the 5th")
        #expect(figures.hours.count == 24)
        #expect(figures.busiestHour?.start == Self.time("2026-05-05T09:00:00Z"))
    }

    @Test func hoursAreTheTimeZonesClockHours() async throws {
        let store = try await filledStore()
        let zurich = try ReportScope.timeZone(named: "Europe/Zurich")
        let figures = try await EventFigures.gather(from: store, scope: ReportScope(event: Self.event, timeZone: zurich, now: Self.now))
        let busiest = try #require(figures.busiestHour)
        #expect(figures.calendar.component(.hour, from: busiest.start) == 11, "09:00 UTC is 11:00 in Zurich in May")
        #expect(figures.totals == EventFigures.Counts(up: 12, down: 4))
        let html = ReportPage.html(figures)
        #expect(html.contains("Europe/Zurich (UTC+02:00)"))
        #expect(html.contains("Mon 4 May 2026, 11:00–12:00: 6 ratings (5 up, 1 down)"), "\(html)")
    }

    @Test func everyFigureIsOnThePageAndNothingLoadsFromElsewhere() async throws {
        let store = try await filledStore()
        let figures = try await EventFigures.gather(from: store, scope: ReportScope(event: Self.event, now: Self.now))
        let html = ReportPage.html(figures)
        #expect(html.contains("<main class=\"report\" data-up=\"12\" data-down=\"4\">"))
        #expect(html.contains("<span class=\"count\" id=\"share-up\">75%</span>"))
        #expect(html.contains("<tr data-kiosk=\"door-1\" data-up=\"4\" data-down=\"1\">"))
        #expect(html.contains("<td class=\"number\">4 h 30 min</td>"))
        #expect(html.contains("<tr data-kiosk=\"hall\" data-up=\"8\" data-down=\"3\">"))
        #expect(html.contains("<td class=\"number\">3 h 45 min</td>"))
        #expect(html.contains("Ratings per hour, Mon 4 May 2026") && html.contains("Ratings per hour, Tue 5 May 2026"))
        #expect(html.contains("times in UTC"))
        #expect(html.components(separatedBy: "<svg class=\"chart\"").count - 1 == 3, "one chart per day and the share's")
        for reference in ["<script", "src=", "href=", "url(", "@import", "<link"] {
            #expect(!html.contains(reference), "\(reference)")
        }
    }

    @Test func aHostileEventNameIsEscapedEverywhere() async throws {
        let store = try SQLiteRatingStore(path: folder.appendingPathComponent("hostile.sqlite").path)
        let hostile = "</title><script>alert(\"pwned\")</script><img src=x onerror='x'>&amp;"
        _ = try await store.append(Self.ratings("door-1", .up, 2, at: "2026-05-04T09:10:00Z", event: hostile))
        let figures = try await EventFigures.gather(from: store, scope: ReportScope(event: hostile, now: Self.now))
        #expect(figures.totals == EventFigures.Counts(up: 2, down: 0))
        let html = ReportPage.html(figures)
        #expect(!html.contains("<script") && !html.contains("<img") && !html.contains("onerror='"))
        #expect(html.contains("&lt;/title&gt;&lt;script&gt;alert(&quot;pwned&quot;)&lt;/script&gt;&lt;img src=x onerror=&#39;x&#39;&gt;&amp;amp;"))
        #expect(html.contains("<title>SnapRate report: &lt;/title&gt;&lt;script&gt;"), "the page title holds it as text")
    }

    @Test func aBadWindowIsRefusedInOneLine() async throws {
        let store = try await filledStore()
        #expect(throws: ReportError.self) {
            try ReportScope(from: Self.time("2026-05-05T00:00:00Z"), to: Self.time("2026-05-04T00:00:00Z")).validate()
        }
        await #expect(throws: ReportError.self) {
            try await EventFigures.gather(from: store, scope: ReportScope(from: Self.time("2025-01-01T00:00:00Z"), now: Self.now))
        }
        #expect(throws: ReportError.self) { try ReportScope.timeZone(named: "Mars/Olympus") }
        #expect(throws: ReportError.self) { try ReportScope.date("yesterday", in: Self.utc) }
        #expect(try ReportScope.date("2026-05-04", in: ReportScope.timeZone(named: "Europe/Zurich")) == Self.time("2026-05-03T22:00:00Z"))
        #expect(try ReportScope.date("2026-05-04T09:00:00+02:00", in: Self.utc) == Self.time("2026-05-04T07:00:00Z"))
    }

    @Test func aLargeEventIsReadPageByPage() async throws {
        let store = try SQLiteRatingStore(path: folder.appendingPathComponent("large.sqlite").path)
        let ups = Self.ratings("door-1", .up, 7_000, at: "2026-05-04T09:00:00Z")
        let downs = Self.ratings("hall", .down, 5_500, at: "2026-05-04T11:00:00Z")
        _ = try await store.append(ups + downs)
        let figures = try await EventFigures.gather(from: store, scope: ReportScope(event: Self.event, now: Self.now))
        #expect(figures.totals == EventFigures.Counts(up: 7_000, down: 5_500))
        #expect(try await store.summary(event: Self.event).map { $0.up + $0.down } == figures.kiosks.map(\.counts.total))
    }
}
