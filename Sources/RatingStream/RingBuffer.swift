import Atomics

/// A bounded, lock-free, multi-producer ring with any number of independent cursors.
///
/// Producers claim a sequence number with one atomic add, copy their element into the slot word by
/// word and publish it by storing the slot's version (a seqlock: odd while being written). Readers
/// copy the words and check the version again, so a slot overwritten under a slow reader is
/// detected, never misread.
///
/// A *gating* cursor (the store writer) holds producers back: no producer overwrites a slot that a
/// gating cursor has not read, so that consumer never loses an element. Other cursors never hold
/// anyone back: when a producer laps them they get a `.gap` with the sequence numbers they missed.
public final class RingBuffer<Element: RingCodable>: @unchecked Sendable {
    public let capacity: Int
    private let mask: UInt64
    private let words: UnsafeMutablePointer<UnsafeAtomic<UInt64>.Storage>
    private let versions: UnsafeMutablePointer<UnsafeAtomic<UInt64>.Storage>
    /// The next sequence number to hand out.
    private let claimed = ManagedAtomic<UInt64>(0)
    let published = RingSignal()
    let consumed = RingSignal()
    private let gates = GateRegistry()

    /// - Parameter capacity: rounded up to a power of two.
    public init(capacity: Int) {
        var size = 1
        while size < max(2, capacity) { size <<= 1 }
        self.capacity = size
        mask = UInt64(size - 1)
        words = .allocate(capacity: size * Element.wordCount)
        words.initialize(repeating: UnsafeAtomic<UInt64>.Storage(0), count: size * Element.wordCount)
        versions = .allocate(capacity: size)
        versions.initialize(repeating: UnsafeAtomic<UInt64>.Storage(0), count: size)
    }

    deinit {
        words.deallocate()
        versions.deallocate()
    }

    /// The sequence number the next published element will get.
    public var nextSequence: UInt64 { claimed.load(ordering: .acquiring) }

    /// Publishes one element and returns its sequence number. Suspends only while a gating cursor
    /// is a whole ring behind.
    @discardableResult
    public func publish(_ element: Element) async -> UInt64 {
        let sequence = claimed.loadThenWrappingIncrement(ordering: .acquiringAndReleasing)
        while let slowest = gates.slowest(), sequence >= slowest + UInt64(capacity) {
            let seen = consumed.current
            guard let again = gates.slowest(), sequence >= again + UInt64(capacity) else { break }
            await consumed.wait(after: seen)
        }
        write(element, at: sequence)
        published.wake()
        return sequence
    }

    /// How many elements a gating cursor has yet to read (0 with no gating cursor).
    public var backlog: Int {
        guard let slowest = gates.slowest() else { return 0 }
        return Int(nextSequence &- slowest)
    }

    /// The element published at `sequence - 1`, if it can be read now: nil when there is none,
    /// when it is still being written, or when it has been overwritten.
    public func element(before sequence: UInt64) -> Element? {
        guard sequence > 0, case .element(let element) = read(at: sequence - 1) else { return nil }
        return element
    }

    /// A cursor that starts at the next element published.
    public func makeCursor(gating: Bool) -> RingCursor<Element> {
        let start = nextSequence
        let gate = gating ? gates.add(at: start) : nil
        return RingCursor(ring: self, start: start, gate: gate)
    }

    private func write(_ element: Element, at sequence: UInt64) {
        let slot = Int(sequence & mask)
        let version = UnsafeAtomic<UInt64>(at: versions + slot)
        version.store(2 &* sequence &+ 1, ordering: .relaxed)
        atomicMemoryFence(ordering: .releasing)
        withUnsafeTemporaryAllocation(of: UInt64.self, capacity: Element.wordCount) { buffer in
            element.encode(into: buffer)
            for index in 0..<Element.wordCount {
                UnsafeAtomic<UInt64>(at: words + slot * Element.wordCount + index).store(buffer[index], ordering: .relaxed)
            }
        }
        version.store(2 &* sequence &+ 2, ordering: .releasing)
    }

    enum SlotRead {
        case element(Element)
        case notYet
        case overwritten
    }

    func read(at sequence: UInt64) -> SlotRead {
        let slot = Int(sequence & mask)
        let version = UnsafeAtomic<UInt64>(at: versions + slot)
        let before = version.load(ordering: .acquiring)
        let expected = 2 &* sequence &+ 2
        if before < expected { return .notYet }
        if before > expected { return .overwritten }
        let element = withUnsafeTemporaryAllocation(of: UInt64.self, capacity: Element.wordCount) { buffer in
            for index in 0..<Element.wordCount {
                buffer[index] = UnsafeAtomic<UInt64>(at: words + slot * Element.wordCount + index).load(ordering: .relaxed)
            }
            return Element(words: UnsafeBufferPointer(buffer))
        }
        atomicMemoryFence(ordering: .acquiring)
        return version.load(ordering: .relaxed) == before ? .element(element) : .overwritten
    }

    func advance(_ gate: Gate, to sequence: UInt64) {
        gate.position.store(sequence, ordering: .releasing)
        consumed.wake()
    }

    func remove(_ gate: Gate) {
        gates.remove(gate)
        consumed.wake()
    }

    /// The oldest sequence number still held in the ring.
    func oldestAvailable() -> UInt64 {
        let next = nextSequence
        return next > UInt64(capacity) ? next - UInt64(capacity) : 0
    }
}
