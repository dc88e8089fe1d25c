import Foundation

/// Times, days and durations as the report writes them, in the report's time zone.
struct ReportClock {
    let timeZone: TimeZone

    /// Written out here rather than through a locale's formats: a report reads the same whatever
    /// the machine's ICU data, and the tests can say what it reads.
    private static let weekdays = ["Sun", "Mon", "Tue", "Wed", "Thu", "Fri", "Sat"]
    private static let months = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"]

    private var calendar: Calendar { EventFigures.calendar(timeZone) }

    /// `09:00`
    func hour(_ date: Date) -> String {
        let parts = calendar.dateComponents([.hour, .minute], from: date)
        return String(format: "%02d:%02d", parts.hour ?? 0, parts.minute ?? 0)
    }

    /// `Tue 5 May 2026`
    func day(_ date: Date) -> String {
        let parts = calendar.dateComponents([.weekday, .day, .month, .year], from: date)
        return "\(Self.weekdays[((parts.weekday ?? 1) - 1) % 7]) \(parts.day ?? 0) \(Self.months[((parts.month ?? 1) - 1) % 12]) \(parts.year ?? 0)"
    }

    /// `Tue 5 May 2026, 09:00`
    func moment(_ date: Date) -> String {
        "\(day(date)), \(hour(date))"
    }

    /// `Tue 5 May 2026, 09:00–10:00`
    func hourSpan(_ start: Date) -> String {
        let end = calendar.date(byAdding: .hour, value: 1, to: start) ?? start.addingTimeInterval(3600)
        return "\(day(start)), \(hour(start))–\(hour(end))"
    }

    /// The zone's name and its offset at `date`: `UTC`, `Europe/Zurich (UTC+02:00)`.
    func zoneName(at date: Date) -> String {
        let seconds = timeZone.secondsFromGMT(for: date)
        if seconds == 0, ["UTC", "GMT"].contains(timeZone.identifier) { return "UTC" }
        let sign = seconds < 0 ? "−" : "+"
        let minutes = abs(seconds) / 60
        return "\(timeZone.identifier) (UTC\(sign)\(String(format: "%02d:%02d", minutes / 60, minutes % 60)))"
    }

    /// `3 h 05 min`, `12 min`, `0 min`
    static func duration(_ seconds: TimeInterval) -> String {
        let minutes = Int((seconds / 60).rounded())
        return minutes < 60 ? "\(minutes) min" : "\(minutes / 60) h \(String(format: "%02d", minutes % 60)) min"
    }
}
