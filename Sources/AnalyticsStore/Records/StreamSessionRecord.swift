import Foundation
import SnapRateCore

/// One stream from one kiosk, from connect to disconnect.
public struct StreamSessionRecord: Sendable, Equatable {
    public var id: UUID
    public var event: String
    public var kiosk: KioskID
    public var started: Date
    public var ended: Date?
    public var framesDecoded: Int
    public var decodeErrors: Int
    /// Why it ended: `finished`, `disconnected`, `error: ...`, `shutdown`.
    public var endReason: String?

    public init(id: UUID, event: String, kiosk: KioskID, started: Date, ended: Date? = nil, framesDecoded: Int = 0,
                decodeErrors: Int = 0, endReason: String? = nil) {
        self.id = id
        self.event = event
        self.kiosk = kiosk
        self.started = started
        self.ended = ended
        self.framesDecoded = framesDecoded
        self.decodeErrors = decodeErrors
        self.endReason = endReason
    }
}
