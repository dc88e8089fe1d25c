import Foundation
import NIOConcurrencyHelpers
import NIOCore
import RatingRing
import SnapRateCore
import ServiceLifecycle

/// Sends each stored rating to every subscriber that has caught up, from one task.
///
/// A rating is encoded once and offered to each live subscriber's socket without waiting, so a
/// thousand subscribers cost one task between them, not one each. One that cannot take it (its
/// buffers are full, or the ring lapped this fanout) is dropped from the live set and catches up
/// on its own (`Subscription.catchUp`), from the store, until it can `join` again.
final class LiveFanout: Service, @unchecked Sendable {
    private let lock = NIOLock()
    // Guarded by `lock`.
    private var members: [ObjectIdentifier: Subscription] = [:]
    /// Made with the fanout, so a subscriber's cursor, made later, never starts before it.
    private let cursor: RingCursor<RatingRecord>
    /// The ring position of the next rating this fanout sends: every earlier one was offered to
    /// every member. Guarded by `lock`.
    private var position: UInt64

    init(ring: RingBuffer<RatingRecord>) {
        cursor = ring.makeCursor(gating: false)
        position = cursor.position
    }

    /// Runs until graceful shutdown reaches it, after the server has closed every subscriber.
    func run() async {
        await cancelWhenGracefulShutdown {
            while let read = await self.cursor.next() {
                let behind = self.lock.withLock { self.deliver(read) }
                for subscription in behind { subscription.fellBehind() }
            }
        }
    }

    /// Adds `subscription` to the live set once it has sent everything before this fanout's
    /// position. What `cursor` (the subscription's own, read up to its `last`) holds up to there
    /// is sent now, without waiting. False, adding nothing, when it cannot be: the ring lapped
    /// `cursor`, or the client is behind; the subscription then catches up again.
    func join(_ subscription: Subscription, cursor: RingCursor<RatingRecord>) -> Bool {
        lock.withLock {
            while cursor.position < position {
                guard let read = cursor.poll() else { break }
                guard case .element(_, let stored) = read else { return false }
                guard subscription.offer(stored, encoded: { Self.encode(stored) }) else { return false }
            }
            members[ObjectIdentifier(subscription)] = subscription
            return true
        }
    }

    func leave(_ subscription: Subscription) {
        _ = lock.withLock { members.removeValue(forKey: ObjectIdentifier(subscription)) }
    }

    var liveCount: Int { lock.withLock { members.count } }

    /// Offers `read` to every member; returns the ones that could not take it, no longer members.
    private func deliver(_ read: RingRead<RatingRecord>) -> [Subscription] {
        defer { position = cursor.position }
        guard case .element(_, let stored) = read else {
            // This fanout fell behind the ring: nobody got what it lost.
            let all = Array(members.values)
            members.removeAll()
            return all
        }
        var encoded: ByteBuffer?
        func message() -> ByteBuffer {
            if let encoded { return encoded }
            let made = Self.encode(stored)
            encoded = made
            return made
        }
        var behind: [Subscription] = []
        for (id, subscription) in members {
            if !subscription.offer(stored, encoded: message) {
                members[id] = nil
                behind.append(subscription)
            }
        }
        return behind
    }

    static func encode(_ stored: RatingRecord) -> ByteBuffer {
        ByteBuffer(string: PushMessage.rating(stored))
    }
}
