import Foundation
import SnapRateCore

/// The JSON messages the server sends on its WebSockets.
enum PushMessage {
    /// A rating: its fields as the API gives them, `seq` absent until it is stored.
    struct RatingMessage: Encodable {
        var type = "rating"
        var fields: RatingRecord.JSONFields

        func encode(to encoder: any Encoder) throws {
            var container = encoder.container(keyedBy: TypeKey.self)
            try container.encode(type, forKey: .type)
            try fields.encode(to: encoder)
        }

        enum TypeKey: String, CodingKey { case type }
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

    static func rating(_ record: RatingRecord) -> String { encode(RatingMessage(fields: record.jsonFields)) }

    static func gap(from: Int64, to: Int64) -> String { encode(GapMessage(from: from, to: to)) }

    static func frameClass(_ thumb: String, hands: Int, time: Double) -> String {
        encode(ClassMessage(class: thumb, hands: hands, time: time))
    }

    static func error(_ message: String) -> String { encode(ErrorMessage(message: message)) }

    static func encode<T: Encodable>(_ value: T) -> String {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        return (try? String(decoding: encoder.encode(value), as: UTF8.self)) ?? "{}"
    }
}
