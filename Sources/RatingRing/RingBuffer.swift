import NIOConcurrencyHelpers
import NIOCore

/// A bounded, multi-producer ring with any number of independent cursors: an in-process hand-over
/// between producers that must never wait long and consumers that each read at their own pace.
///
/// Every element gets a sequence number, in publication order. A *gating* cursor (a consumer that
/// must see everything) holds producers back: no producer overwrites an element that a gating cursor has not
/// read, so that consumer never loses one. Other cursors never hold anyone back: when producers lap
/// them they get a `.gap` naming the sequence numbers they missed.
///
/// One lock guards it: each critical section is an append or a copy of one element. That is honest
/// for what SnapRate puts through it, a few ratings and one status a second per stream, which is
/// thousands of times below the rate at which the lock would be contended.
public final class RingBuffer<Element: Sendable>: Sendable {
    public let capacity: Int
    private let state: NIOLockedValueBox<RingState<Element>>

    public init(capacity: Int) {
        precondition(capacity > 0, "a ring holds at least one element")
        self.capacity = capacity
        state = NIOLockedValueBox(RingState(capacity: capacity))
    }

    /// The sequence number the next published element will get.
    public var nextSequence: UInt64 { state.withLockedValue { $0.next } }

    /// Publishes one element and returns its sequence number. Suspends only while a gating cursor
    /// is a whole ring behind; that wait ignores cancellation, like a lock would, so a rating is
    /// never dropped on the way to the store.
    @discardableResult
    public func publish(_ element: Element) async -> UInt64 {
        while true {
            let (sequence, waiters) = state.withLockedValue { ring -> (UInt64?, [Waiter]) in
                guard ring.hasRoom else { return (nil, []) }
                return (ring.append(element), ring.takeWaiters())
            }
            if let sequence {
                waiters.forEach { $0.resume() }
                return sequence
            }
            await park(cancellable: false) { $0.hasRoom }
        }
    }

    /// How many elements the slowest gating cursor has yet to read (0 with no gating cursor).
    public var backlog: Int {
        state.withLockedValue { ring in ring.slowestGate.map { Int(ring.next - $0) } ?? 0 }
    }

    /// The element published at `sequence - 1`, if the ring still holds it.
    public func element(before sequence: UInt64) -> Element? {
        guard sequence > 0, case .element(let element) = read(at: sequence - 1) else { return nil }
        return element
    }

    /// A cursor that starts at the next element published.
    public func makeCursor(gating: Bool) -> RingCursor<Element> {
        let (start, gate) = state.withLockedValue { ring -> (UInt64, UInt64?) in
            guard gating else { return (ring.next, nil) }
            let id = ring.newID()
            ring.gates[id] = ring.next
            return (ring.next, id)
        }
        return RingCursor(ring: self, start: start, gate: gate)
    }

    enum SlotRead {
        case element(Element)
        case notYet
        /// Gone; the oldest element still held has this sequence number.
        case overwritten(oldest: UInt64)
    }

    func read(at sequence: UInt64) -> SlotRead {
        state.withLockedValue { ring in
            if sequence >= ring.next { return .notYet }
            if sequence < ring.first { return .overwritten(oldest: ring.first) }
            return .element(ring.elements[offset: Int(sequence - ring.first)])
        }
    }

    /// Moves a gating cursor on (nil: removes it), releasing producers that waited for it.
    func move(gate: UInt64, to sequence: UInt64?) {
        let waiters = state.withLockedValue { ring -> [Waiter] in
            ring.gates[gate] = sequence
            return ring.takeWaiters()
        }
        waiters.forEach { $0.resume() }
    }

    /// Waits until an element at or after `sequence` is published, or the task is cancelled.
    func waitForElement(at sequence: UInt64) async {
        await park(cancellable: true) { $0.next > sequence }
    }

    typealias Waiter = CheckedContinuation<Void, Never>

    /// Suspends until the ring changes, unless `ready` already holds; checked under the lock that
    /// every change takes, so no wake-up is lost between the check and the wait. Cursors waiting
    /// for an element and producers waiting for room share one list: there are a handful of
    /// either, and each checks its own condition again when woken.
    private func park(cancellable: Bool, until ready: @escaping @Sendable (RingState<Element>) -> Bool) async {
        let id = state.withLockedValue { $0.newID() }
        let wait = {
            await withCheckedContinuation { (continuation: Waiter) in
                let parked = self.state.withLockedValue { ring -> Bool in
                    if ready(ring) || (cancellable && Task.isCancelled) { return false }
                    ring.waiters[id] = continuation
                    return true
                }
                if !parked { continuation.resume() }
            }
        }
        guard cancellable else { return await wait() }
        await withTaskCancellationHandler(operation: wait) {
            state.withLockedValue { $0.waiters.removeValue(forKey: id) }?.resume()
        }
    }
}

/// What the ring's lock guards.
struct RingState<Element: Sendable>: Sendable {
    let capacity: Int
    /// The elements still held; the first has sequence number `first`.
    var elements: CircularBuffer<Element>
    var first: UInt64 = 0
    var next: UInt64 = 0
    /// Each gating cursor's next sequence number to read.
    var gates: [UInt64: UInt64] = [:]
    /// Cursors waiting for an element and producers waiting for room.
    var waiters: [UInt64: CheckedContinuation<Void, Never>] = [:]
    private var lastID: UInt64 = 0

    init(capacity: Int) {
        self.capacity = capacity
        elements = CircularBuffer(initialCapacity: capacity)
    }

    var slowestGate: UInt64? { gates.values.min() }

    /// No gating cursor would lose an element if one more were published.
    var hasRoom: Bool { slowestGate.map { next - $0 < UInt64(capacity) } ?? true }

    mutating func append(_ element: Element) -> UInt64 {
        if elements.count == capacity {
            elements.removeFirst()
            first += 1
        }
        elements.append(element)
        next += 1
        return next - 1
    }

    mutating func takeWaiters() -> [CheckedContinuation<Void, Never>] {
        guard !waiters.isEmpty else { return [] }
        defer { waiters.removeAll() }
        return Array(waiters.values)
    }

    mutating func newID() -> UInt64 {
        lastID += 1
        return lastID
    }
}
