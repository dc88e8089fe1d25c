import Foundation
import SnapRateCore
import AnalyticsStore

/// Every figure of an event report, worked out from the event's ratings and stream sessions.
///
/// Counts come from the same ratings `/api/ratings` serves and `/api/summary` counts, so for a
/// window that covers the whole event they equal the summary's. Hours are the time zone's clock
/// hours (`ReportScope.timeZone`).
public struct EventFigures: Sendable {
    public struct Counts: Sendable, Equatable {
        public var up = 0
        public var down = 0

        public init(up: Int = 0, down: Int = 0) {
            self.up = up
            self.down = down
        }

        public var total: Int { up + down }
        /// Thumbs up in percent, rounded as the dashboard rounds it; nil without ratings.
        public var sharePercent: Int? { total == 0 ? nil : Int((100 * Double(up) / Double(total)).rounded()) }

        mutating func count(_ rating: Rating) {
            switch rating {
            case .up: up += 1
            case .down: down += 1
            }
        }
    }

    /// One clock hour of the window.
    public struct Hour: Sendable, Equatable {
        public var start: Date
        public var counts: Counts
        /// Seconds of this hour during which at least one kiosk streamed.
        public var streaming: TimeInterval
        /// Thumbs up in percent of every rating up to the end of this hour.
        public var runningSharePercent: Int?
    }

    public struct Kiosk: Sendable, Equatable {
        public var kiosk: KioskID
        public var counts: Counts
        /// Stream sessions that overlap the window.
        public var sessions: Int
        /// Seconds of the window during which the kiosk streamed (its sessions' union).
        public var uptime: TimeInterval
    }

    public let scope: ReportScope
    /// The window the figures cover: the scope's bounds, or the event's first and last activity.
    public let start: Date
    public let end: Date
    public let totals: Counts
    /// Every kiosk with a rating or a session in the window, ordered by id as `/api/summary` orders them.
    public let kiosks: [Kiosk]
    /// Every clock hour from the one holding `start` to the one holding `end`.
    public let hours: [Hour]
    /// Sessions in the window with no end recorded: streaming still, or left open by a daemon that
    /// was killed. They count as streaming until `end`, and the report says how many there are.
    public let openSessions: Int

    /// The hour with the most ratings (the earliest of equals); nil without ratings.
    public var busiestHour: Hour? {
        hours.filter { $0.counts.total > 0 }.max { $0.counts.total < $1.counts.total || ($0.counts.total == $1.counts.total && $0.start > $1.start) }
    }

    /// The hour with the fewest ratings among the hours the booth was open: those in which a kiosk
    /// streamed, or (without sessions) those with ratings. The earliest of equals.
    public var quietestHour: Hour? {
        let open = hours.contains { $0.streaming > 0 } ? hours.filter { $0.streaming > 0 } : hours.filter { $0.counts.total > 0 }
        return open.min { $0.counts.total < $1.counts.total || ($0.counts.total == $1.counts.total && $0.start < $1.start) }
    }

    /// The calendar the hours are counted in.
    public var calendar: Calendar { Self.calendar(scope.timeZone) }

    static func calendar(_ zone: TimeZone) -> Calendar {
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = zone
        return calendar
    }
}

extension EventFigures {
    /// Folds ratings in as they are read, so a report of a large event never holds its ratings.
    public struct Accumulator: Sendable {
        let scope: ReportScope
        let calendar: Calendar
        var totals = Counts()
        var perKiosk: [KioskID: Counts] = [:]
        var perHour: [Date: Counts] = [:]
        var first: Date?
        var last: Date?
        /// The start of the last rating's hour, cached: ratings come in order, mostly many an hour.
        private var currentHour: DateInterval?

        public init(scope: ReportScope) {
            self.scope = scope
            calendar = EventFigures.calendar(scope.timeZone)
        }

        /// Whether `rating` belongs to the report: its event, inside the window.
        public func covers(_ rating: RatingRecord) -> Bool {
            if let event = scope.event, rating.event != event { return false }
            if let from = scope.from, rating.wallTime < from { return false }
            if let to = scope.to, rating.wallTime >= to { return false }
            return true
        }

        public mutating func add(_ rating: RatingRecord) {
            guard covers(rating) else { return }
            totals.count(rating.rating)
            perKiosk[rating.kiosk, default: Counts()].count(rating.rating)
            let hour: Date
            if let currentHour, currentHour.contains(rating.wallTime), rating.wallTime < currentHour.end {
                hour = currentHour.start
            } else {
                let interval = calendar.dateInterval(of: .hour, for: rating.wallTime)
                    ?? DateInterval(start: rating.wallTime, duration: 3600)
                currentHour = interval
                hour = interval.start
            }
            perHour[hour, default: Counts()].count(rating.rating)
            first = min(first ?? rating.wallTime, rating.wallTime)
            last = max(last ?? rating.wallTime, rating.wallTime)
        }

        /// The figures, with `sessions` (of any event: those of other events are left out here).
        public func figures(sessions: [StreamSessionRecord]) throws(ReportError) -> EventFigures {
            let sessions = sessions.filter { scope.event == nil || $0.event == scope.event }
            // An open session streams until now; a session is never counted past the report's end.
            let streamed = sessions.map { ($0.kiosk, $0.started, max($0.started, $0.ended ?? scope.now)) }
            let activityStarts = [first].compactMap { $0 } + streamed.map(\.1)
            let activityEnds = [last].compactMap { $0 } + streamed.map(\.2)
            let start = scope.from ?? activityStarts.min() ?? scope.now
            let end = scope.to ?? max(start, activityEnds.max() ?? start)
            guard end.timeIntervalSince(start) <= Double(ReportScope.maxDays) * 86_400 else {
                throw ReportError("the report would cover \(Int(end.timeIntervalSince(start) / 86_400)) days, more than "
                    + "\(ReportScope.maxDays): narrow its window (from, to) or choose one event")
            }
            let window = DateInterval(start: start, end: end)

            var intervalsByKiosk: [KioskID: [DateInterval]] = [:]
            for (kiosk, started, ended) in streamed {
                guard let clipped = Self.clip(DateInterval(start: started, end: ended), to: window) else { continue }
                intervalsByKiosk[kiosk, default: []].append(clipped)
            }
            let kioskIDs = Set(perKiosk.keys).union(intervalsByKiosk.keys).sorted { $0.value.utf8.lexicographicallyPrecedes($1.value.utf8) }
            let kiosks = kioskIDs.map { kiosk in
                let intervals = Self.union(intervalsByKiosk[kiosk] ?? [])
                return Kiosk(kiosk: kiosk, counts: perKiosk[kiosk] ?? Counts(), sessions: intervalsByKiosk[kiosk]?.count ?? 0,
                             uptime: intervals.reduce(0) { $0 + $1.duration })
            }
            let anyStreaming = Self.union(intervalsByKiosk.values.flatMap { $0 })

            var hours: [Hour] = []
            var running = Counts()
            var hourStart = calendar.dateInterval(of: .hour, for: start)?.start ?? start
            while hourStart <= end {
                let next = calendar.date(byAdding: .hour, value: 1, to: hourStart) ?? hourStart.addingTimeInterval(3600)
                let hour = DateInterval(start: hourStart, end: next)
                let counts = perHour[hourStart] ?? Counts()
                running.up += counts.up
                running.down += counts.down
                let streaming = anyStreaming.reduce(0.0) { sum, interval in
                    sum + (interval.intersection(with: hour).map(\.duration) ?? 0)
                }
                hours.append(Hour(start: hourStart, counts: counts, streaming: streaming, runningSharePercent: running.sharePercent))
                // An hour that ends exactly at the window's end is the last one.
                if next >= end { break }
                hourStart = next
            }
            let open = sessions.filter { $0.ended == nil && $0.started < end }.count
            return EventFigures(scope: scope, start: start, end: end, totals: totals, kiosks: kiosks, hours: hours, openSessions: open)
        }

        static func clip(_ interval: DateInterval, to window: DateInterval) -> DateInterval? {
            let start = max(interval.start, window.start)
            let end = min(interval.end, window.end)
            return end > start ? DateInterval(start: start, end: end) : nil
        }

        /// Overlapping intervals merged: a kiosk with two sessions at once streams once.
        static func union(_ intervals: [DateInterval]) -> [DateInterval] {
            var merged: [DateInterval] = []
            for interval in intervals.sorted(by: { $0.start < $1.start }) {
                if let last = merged.last, interval.start <= last.end {
                    merged[merged.count - 1] = DateInterval(start: last.start, end: max(last.end, interval.end))
                } else {
                    merged.append(interval)
                }
            }
            return merged
        }
    }

    /// How many ratings the store is read in at a time.
    static let page = 5_000

    /// Reads the scope's ratings and sessions from `store` (every rating, a page at a time, through
    /// the same call `/api/ratings` makes) and works out the figures.
    public static func gather(from store: any RatingStore, scope: ReportScope) async throws -> EventFigures {
        try scope.validate()
        var accumulator = Accumulator(scope: scope)
        var after: Int64 = 0
        while true {
            let page = try await store.ratings(after: after, kiosk: nil, limit: Self.page)
            for rating in page { accumulator.add(rating) }
            guard page.count == Self.page, let last = page.last?.sequence else { break }
            after = last
        }
        return try accumulator.figures(sessions: try await store.sessions(kiosk: nil))
    }
}
