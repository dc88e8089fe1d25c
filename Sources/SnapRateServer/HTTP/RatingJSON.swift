import Foundation
import AnalyticsStore
import SnapRateCore

/// Stored ratings as the API's JSON.
enum RatingJSON {
    struct Ratings: Encodable {
        var ratings: [RatingRecord.JSONFields]
    }

    struct Kiosk: Encodable {
        var kiosk: String
        var up: Int
        var down: Int
    }

    struct Summary: Encodable {
        var kiosks: [Kiosk]
        var up: Int
        var down: Int
        /// The highest sequence number stored: where a subscriber that wants only new ratings starts.
        var latest_seq: Int64
    }

    struct Session: Encodable {
        var id: String
        var event: String
        var kiosk: String
        var started: String
        var ended: String?
        var frames: Int
        var decode_errors: Int
        var end_reason: String?
    }

    struct Sessions: Encodable {
        var sessions: [Session]
    }

    struct Stream: Encodable {
        var kiosk: String
        var session: String
        var state: String
        var started: String
        var frames: Int
        var detected: Int
        var decode_errors: Int
        /// Frames decoded per second lately (between the last two status reports).
        var fps: Double
        /// When the stream last reported (about once a second while frames arrive).
        var updated: String
    }

    struct Streams: Encodable {
        var streams: [Stream]
    }

    static func streams(_ streams: [StreamHealth]) -> String {
        PushMessage.encode(Streams(streams: streams.map { health in
            let status = health.status
            return Stream(kiosk: status.kiosk.value, session: status.session.uuidString.lowercased(),
                          state: status.state == .started ? "started" : "running",
                          started: RatingRecord.timestamp(health.started), frames: status.framesDecoded,
                          detected: status.framesDetected, decode_errors: status.decodeErrors,
                          fps: (health.framesPerSecond * 10).rounded() / 10,
                          updated: RatingRecord.timestamp(status.wallTime))
        }))
    }

    static func sessions(_ records: [StreamSessionRecord]) -> String {
        PushMessage.encode(Sessions(sessions: records.map { record in
            Session(id: record.id.uuidString.lowercased(), event: record.event, kiosk: record.kiosk.value,
                    started: RatingRecord.timestamp(record.started), ended: record.ended.map(RatingRecord.timestamp),
                    frames: record.framesDecoded, decode_errors: record.decodeErrors, end_reason: record.endReason)
        }))
    }

    static func document(_ records: [RatingRecord]) -> String {
        PushMessage.encode(Ratings(ratings: records.map(\.jsonFields)))
    }

    static func summary(_ kiosks: [KioskSummary], latestSequence: Int64) -> String {
        PushMessage.encode(Summary(kiosks: kiosks.map { Kiosk(kiosk: $0.kiosk.value, up: $0.up, down: $0.down) },
                                   up: kiosks.reduce(0) { $0 + $1.up }, down: kiosks.reduce(0) { $0 + $1.down },
                                   latest_seq: latestSequence))
    }
}
