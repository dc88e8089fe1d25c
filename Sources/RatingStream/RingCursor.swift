/// What a cursor reads next.
public enum RingRead<Element: Sendable>: Sendable {
    case element(sequence: UInt64, Element)
    /// Elements `from` up to and including `to` were overwritten before this cursor read them.
    case gap(from: UInt64, to: UInt64)
}

/// One consumer's position in a ring. Not shared: each consumer task owns its cursor.
public final class RingCursor<Element: RingCodable>: @unchecked Sendable {
    private let ring: RingBuffer<Element>
    private let gate: Gate?
    /// The next sequence number to read.
    public private(set) var position: UInt64

    init(ring: RingBuffer<Element>, start: UInt64, gate: Gate?) {
        self.ring = ring
        self.position = start
        self.gate = gate
    }

    deinit {
        if let gate { ring.remove(gate) }
    }

    /// The next element, or the gap this cursor fell into; nil only when the task is cancelled.
    public func next() async -> RingRead<Element>? {
        while !Task.isCancelled {
            let seen = ring.published.current
            if let read = poll() { return read }
            await ring.published.wait(after: seen)
        }
        return nil
    }

    /// The next element or gap if one is ready, without waiting.
    public func poll() -> RingRead<Element>? {
        switch ring.read(at: position) {
        case .notYet:
            return nil
        case .element(let element):
            let sequence = position
            position += 1
            if let gate { ring.advance(gate, to: position) }
            return .element(sequence: sequence, element)
        case .overwritten:
            let from = position
            position = max(position + 1, ring.oldestAvailable())
            return .gap(from: from, to: position - 1)
        }
    }

    /// Elements published that this cursor has not read yet.
    public var lag: UInt64 { ring.nextSequence &- position }
}
