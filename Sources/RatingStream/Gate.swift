import Atomics
import Foundation

/// A gating cursor's position: producers never overwrite what it has not read.
final class Gate: Sendable {
    let position: ManagedAtomic<UInt64>

    init(at sequence: UInt64) {
        position = ManagedAtomic(sequence)
    }
}

/// The gating cursors of a ring. Cursors come and go rarely (the store writer starts once), so the
/// list is copied on change and read without a lock on the hot path.
final class GateRegistry: @unchecked Sendable {
    private let lock = NSLock()
    private let snapshot = ManagedAtomic<Snapshot>(Snapshot([]))

    final class Snapshot: AtomicReference {
        let gates: [Gate]
        init(_ gates: [Gate]) { self.gates = gates }
    }

    func add(at sequence: UInt64) -> Gate {
        let gate = Gate(at: sequence)
        lock.withLock { snapshot.store(Snapshot(snapshot.load(ordering: .acquiring).gates + [gate]), ordering: .releasing) }
        return gate
    }

    func remove(_ gate: Gate) {
        lock.withLock {
            snapshot.store(Snapshot(snapshot.load(ordering: .acquiring).gates.filter { $0 !== gate }), ordering: .releasing)
        }
    }

    /// The position of the slowest gating cursor, or nil when there is none.
    func slowest() -> UInt64? {
        snapshot.load(ordering: .acquiring).gates.map { $0.position.load(ordering: .acquiring) }.min()
    }
}
