import Foundation
import RatingStore
import RatingStream

/// The JSON messages the server sends on its WebSockets.
enum PushMessage {
    private static let iso8601 = Date.ISO8601FormatStyle(includingFractionalSeconds: true)

    static func timestamp(_ date: Date) -> String { date.formatted(iso8601) }

    struct RatingMessage: Encodable {
        var type = "rating"
        var seq: Int64?
        var kiosk: String
        var rating: String
        var confidence: Double
        var time: Double
        var at: String
        /// From the frame that completed the hold being handed to the pipeline to `at`.
        var latency_ms: Double
    }

    struct GapMessage: Encodable {
        var type = "gap"
        var from: Int64
        var to: Int64
    }

    struct ClassMessage: Encodable {
        var type = "class"
        var `class`: String
        var hands: Int
        var time: Double
    }

    struct ErrorMessage: Encodable {
        var type = "error"
        var message: String
    }

    static func rating(_ record: RatingRecord) -> String {
        encode(RatingMessage(seq: record.sequence, kiosk: record.rating.kiosk, rating: record.rating.rating.rawValue,
                             confidence: rounded(record.rating.confidence), time: record.rating.mediaTime,
                             at: timestamp(record.rating.wallTime), latency_ms: record.rating.latencyMilliseconds))
    }

    static func rating(_ stored: StoredRating) -> String {
        encode(RatingMessage(seq: stored.sequence, kiosk: stored.rating.kiosk.value, rating: stored.rating.rating.rawValue,
                             confidence: rounded(stored.rating.confidence), time: stored.rating.mediaTime,
                             at: timestamp(stored.rating.wallTime), latency_ms: stored.rating.latencyMilliseconds))
    }

    /// A rating as the ingesting kiosk sees it, before it is stored (no sequence number yet).
    static func detected(_ rating: DetectedRating) -> String {
        encode(RatingMessage(seq: nil, kiosk: rating.kiosk.value, rating: rating.rating.rawValue,
                             confidence: rounded(rating.confidence), time: rating.mediaTime,
                             at: timestamp(rating.wallTime), latency_ms: rating.latencyMilliseconds))
    }

    static func gap(from: Int64, to: Int64) -> String { encode(GapMessage(from: from, to: to)) }

    static func frameClass(_ thumb: String, hands: Int, time: Double) -> String {
        encode(ClassMessage(class: thumb, hands: hands, time: time))
    }

    static func error(_ message: String) -> String { encode(ErrorMessage(message: message)) }

    /// Confidence as `analyze` prints it.
    static func rounded(_ value: Float) -> Double { Double(value) }

    static func encode<T: Encodable>(_ value: T) -> String {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        return (try? String(decoding: encoder.encode(value), as: UTF8.self)) ?? "{}"
    }
}
