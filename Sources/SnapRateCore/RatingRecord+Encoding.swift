import Foundation

/// A rating's JSON and CSV forms: the same fields, in the same units, on the WebSocket, in the
/// API and in the export.
extension RatingRecord {
    /// The fields a JSON rating carries; `seq` is absent until the rating is stored.
    public struct JSONFields: Codable, Sendable, Equatable {
        public var seq: Int64?
        public var event: String
        public var kiosk: KioskID
        public var session: String
        public var rating: Rating
        public var confidence: Double
        public var time: Double
        public var at: String
        public var latency_ms: Double
        public var model: String
    }

    public var jsonFields: JSONFields {
        JSONFields(seq: sequence, event: event, kiosk: kiosk, session: session.uuidString.lowercased(), rating: rating,
                   confidence: Double(confidence), time: mediaTime, at: Self.timestamp(wallTime),
                   latency_ms: latencyMilliseconds, model: model)
    }

    public static let csvHeader = "seq,event,kiosk,session,rating,confidence,time,at,latency_ms,model"

    /// One CSV row, in `csvHeader`'s order.
    public var csvRow: String {
        [
            sequence.map(String.init) ?? "", Self.csvField(event), kiosk.value, session.uuidString.lowercased(),
            rating.rawValue, String(Double(confidence)), String(mediaTime), Self.timestamp(wallTime),
            String(latencyMilliseconds), Self.csvField(model),
        ].joined(separator: ",")
    }

    /// ISO 8601 with fractional seconds, in UTC: every time SnapRate shows.
    public static func timestamp(_ date: Date) -> String { date.formatted(iso8601) }

    private static let iso8601 = Date.ISO8601FormatStyle(includingFractionalSeconds: true)

    /// Quotes a free-text field when it needs it (kiosk ids never do).
    static func csvField(_ text: String) -> String {
        guard text.contains(where: { $0 == "," || $0 == "\"" || $0 == "\n" || $0 == "\r" }) else { return text }
        return "\"" + text.replacingOccurrences(of: "\"", with: "\"\"") + "\""
    }
}
