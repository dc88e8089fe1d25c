import Foundation

/// One stream's state as it runs: published on start, periodically, and on end.
///
/// Words: kiosk (8), session (2), state (1), frames decoded (1), frames detected (1),
/// decode errors (1), wall time (1).
public struct StreamStatus: RingCodable, Equatable {
    public enum State: UInt64, Sendable {
        case started = 1
        case running = 2
        case ended = 3
    }

    public static let wordCount = KioskID.wordCount + 2 + 5

    public var kiosk: KioskID
    public var session: UUID
    public var state: State
    public var framesDecoded: Int
    public var framesDetected: Int
    public var decodeErrors: Int
    public var wallTime: Date

    public init(kiosk: KioskID, session: UUID, state: State, framesDecoded: Int, framesDetected: Int, decodeErrors: Int,
                wallTime: Date) {
        self.kiosk = kiosk
        self.session = session
        self.state = state
        self.framesDecoded = framesDecoded
        self.framesDetected = framesDetected
        self.decodeErrors = decodeErrors
        self.wallTime = wallTime
    }

    public func encode(into words: UnsafeMutableBufferPointer<UInt64>) {
        kiosk.encode(into: words, at: 0)
        var index = KioskID.wordCount
        RingUUID.encode(session, into: words, at: index)
        index += 2
        words[index] = state.rawValue
        words[index + 1] = UInt64(clamping: framesDecoded)
        words[index + 2] = UInt64(clamping: framesDetected)
        words[index + 3] = UInt64(clamping: decodeErrors)
        words[index + 4] = wallTime.timeIntervalSince1970.bitPattern
    }

    public init(words: UnsafeBufferPointer<UInt64>) {
        kiosk = KioskID(words: words, at: 0)
        var index = KioskID.wordCount
        session = RingUUID.decode(words, at: index)
        index += 2
        state = State(rawValue: words[index]) ?? .running
        framesDecoded = Int(clamping: words[index + 1])
        framesDetected = Int(clamping: words[index + 2])
        decodeErrors = Int(clamping: words[index + 3])
        wallTime = Date(timeIntervalSince1970: Double(bitPattern: words[index + 4]))
    }
}
