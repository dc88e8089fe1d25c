import Foundation
import SnapRateCore

/// One stream's state as it runs: published on start, about once a second, and on end.
public struct StreamStatus: Sendable, Equatable {
    public enum State: Sendable {
        case started
        case running
        case ended
    }

    public var kiosk: KioskID
    public var session: UUID
    public var state: State
    public var framesDecoded: Int
    public var framesDetected: Int
    public var decodeErrors: Int
    public var wallTime: Date
}
