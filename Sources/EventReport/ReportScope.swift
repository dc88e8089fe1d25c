import Foundation

/// What a report covers: one event (or every event), a time window and the time zone its hours
/// are told in.
public struct ReportScope: Sendable {
    /// The event whose ratings and sessions count; nil for every event in the store.
    public var event: String?
    /// The window's start; nil for the event's first rating or session.
    public var from: Date?
    /// The window's end; nil for the event's last rating or session end (now while a session is open).
    public var to: Date?
    /// The zone the hours and days are told in.
    public var timeZone: TimeZone
    /// When the report is made: where an open session's uptime ends.
    public var now: Date

    /// The longest window a report covers: its charts have a bar per hour, and a browser can ask
    /// for any window, so a window of years must not become a page of tens of thousands of bars.
    public static let maxDays = 92
    /// The longest event name and time zone name taken from a request.
    public static let maxNameLength = 200

    public init(event: String? = nil, from: Date? = nil, to: Date? = nil, timeZone: TimeZone = TimeZone(identifier: "UTC")!,
                now: Date = Date()) {
        self.event = event
        self.from = from
        self.to = to
        self.timeZone = timeZone
        self.now = now
    }

    /// Checks the window, in one line naming the culprit.
    public func validate() throws(ReportError) {
        if let event, event.isEmpty || event.utf8.count > Self.maxNameLength {
            throw ReportError("the event name must be 1 to \(Self.maxNameLength) bytes")
        }
        if let from, let to, to <= from {
            throw ReportError("the window ends (\(Self.timestamp(to))) before it starts (\(Self.timestamp(from)))")
        }
    }

    /// A time zone from its IANA name (`Europe/Zurich`) or `UTC`.
    public static func timeZone(named name: String) throws(ReportError) -> TimeZone {
        guard name.utf8.count <= maxNameLength, let zone = TimeZone(identifier: name) else {
            throw ReportError("unknown time zone \(name.prefix(maxNameLength).debugDescription): use an IANA name such as UTC or Europe/Zurich")
        }
        return zone
    }

    /// A date from an ISO 8601 time with its offset (`2026-05-04T09:00:00Z`, `...+02:00`), or a
    /// bare date (`2026-05-04`, midnight in `timeZone`).
    public static func date(_ text: String, in timeZone: TimeZone) throws(ReportError) -> Date {
        let text = text.trimmingCharacters(in: .whitespaces)
        if text.count <= 40 {
            if let date = try? Date.ISO8601FormatStyle(includingFractionalSeconds: false).parse(text) { return date }
            if let date = try? Date.ISO8601FormatStyle(includingFractionalSeconds: true).parse(text) { return date }
            var day = Date.ISO8601FormatStyle().year().month().day()
            day.timeZone = timeZone
            if let date = try? day.parse(text) { return date }
        }
        throw ReportError("\(String(text.prefix(40)).debugDescription) is not a time: use 2026-05-04, 2026-05-04T09:00:00Z or 2026-05-04T09:00:00+02:00")
    }

    static func timestamp(_ date: Date) -> String {
        date.formatted(Date.ISO8601FormatStyle())
    }
}

/// A report that cannot be made, in one line.
public struct ReportError: Error, CustomStringConvertible, Equatable {
    public let description: String

    public init(_ description: String) {
        self.description = description
    }
}
