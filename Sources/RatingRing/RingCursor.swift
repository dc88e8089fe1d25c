import NIOConcurrencyHelpers

/// What a cursor reads next.
public enum RingRead<Element: Sendable>: Sendable {
    case element(sequence: UInt64, Element)
    /// Elements `from` up to and including `to` were overwritten before this cursor read them.
    case gap(from: UInt64, to: UInt64)
}

/// One consumer's position in a ring. Each consumer task owns its cursor; dropping a gating
/// cursor releases the producers it held back.
public final class RingCursor<Element: Sendable>: Sendable {
    private let ring: RingBuffer<Element>
    private let gate: UInt64?
    private let next: NIOLockedValueBox<UInt64>

    init(ring: RingBuffer<Element>, start: UInt64, gate: UInt64?) {
        self.ring = ring
        self.next = NIOLockedValueBox(start)
        self.gate = gate
    }

    deinit {
        if let gate { ring.move(gate: gate, to: nil) }
    }

    /// The next sequence number this cursor reads.
    public var position: UInt64 { next.withLockedValue { $0 } }

    /// The next element, or the gap this cursor fell into; nil only when the task is cancelled.
    public func next() async -> RingRead<Element>? {
        while !Task.isCancelled {
            if let read = poll() { return read }
            await ring.waitForElement(at: position)
        }
        return nil
    }

    /// The next element or gap if one is ready, without waiting.
    public func poll() -> RingRead<Element>? {
        let position = position
        switch ring.read(at: position) {
        case .notYet:
            return nil
        case .element(let element):
            move(to: position + 1)
            return .element(sequence: position, element)
        case .overwritten(let oldest):
            move(to: oldest)
            return .gap(from: position, to: oldest - 1)
        }
    }

    /// Elements published that this cursor has not read yet.
    public var lag: UInt64 { ring.nextSequence &- position }

    private func move(to sequence: UInt64) {
        next.withLockedValue { $0 = sequence }
        if let gate { ring.move(gate: gate, to: sequence) }
    }
}
