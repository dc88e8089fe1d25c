import RatingStore

/// Stored ratings as CSV, one row per rating, for spreadsheets.
enum RatingCSV {
    static let header = "seq,event,kiosk,session,rating,confidence,time,at,latency_ms,model"

    static func document(_ records: [RatingRecord]) -> String {
        var lines = [header]
        for record in records {
            let rating = record.rating
            lines.append([
                String(record.sequence), field(rating.event), rating.kiosk, rating.session.uuidString.lowercased(),
                rating.rating.rawValue, String(Double(rating.confidence)), String(rating.mediaTime),
                PushMessage.timestamp(rating.wallTime), String(rating.latencyMilliseconds), field(rating.model),
            ].joined(separator: ","))
        }
        return lines.joined(separator: "\n") + "\n"
    }

    /// Quotes a free-text field when it needs it (kiosk ids never do).
    static func field(_ text: String) -> String {
        guard text.contains(where: { $0 == "," || $0 == "\"" || $0 == "\n" || $0 == "\r" }) else { return text }
        return "\"" + text.replacingOccurrences(of: "\"", with: "\"\"") + "\""
    }
}
