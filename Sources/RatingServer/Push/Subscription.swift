import Foundation
import HummingbirdWebSocket
import Logging
import NIOCore
import RatingStore
import RatingStream
import ServiceLifecycle

/// One `WS /ws?kiosk=K&since=SEQ` subscriber: what the store holds after `since`, then live ratings
/// from the stored-ratings ring, with no gap and no duplicate.
///
/// The ring cursor is made before the store is read, so a rating stored during the replay is in
/// the replay, in the ring, or both; the last sequence number sent settles which copy goes out.
/// A subscriber the ring laps gets a gap message and is replayed from the store; it never holds
/// anyone back.
struct Subscription {
    let context: ServerContext
    let kiosk: KioskID?
    let since: Int64
    let pageSize = 500

    /// - Parameters:
    ///   - eventLoop: the connection's, where its `StallWatchdog` looks.
    ///   - cut: closes the connection at once, without a close handshake (which a client that
    ///     does not read would never complete).
    func serve(inbound: WebSocketInboundStream, outbound: WebSocketOutboundWriter, logger: Logger,
               eventLoop: any EventLoop, cut: @escaping @Sendable () -> Void) async throws {
        let metrics = context.metrics
        metrics.subscribers.increment()
        defer { metrics.subscribers.decrement() }
        let cursor = context.stored.makeCursor(gating: false)
        let watchdog = StallWatchdog(timeout: context.configuration.sendTimeout)
        let watch = watchdog.watch(on: eventLoop) {
            metrics.stalledSubscribers.increment()
            logger.info("subscriber cut: it took no data for \(watchdog.timeout)")
            cut()
        }
        defer { watch.cancel() }
        try await withGracefulShutdownHandler {
            try await withThrowingTaskGroup(of: Void.self) { group in
                // The client's side: nothing is expected from it but its close.
                group.addTask {
                    for try await _ in inbound {}
                }
                group.addTask {
                    try await self.push(cursor: cursor) { text in
                        try await watchdog.writing { try await outbound.write(.text(text)) }
                    }
                }
                try await group.next()
                group.cancelAll()
            }
        } onGracefulShutdown: {
            watchdog.shutdownBegan()
        }
    }

    /// Sends the replay, then live ratings, until the task is cancelled. `cursor` must have been
    /// made before this is called.
    func push(cursor: RingCursor<StoredRating>, send: (String) async throws -> Void) async throws {
        var last = try await replay(after: since, send: send)
        while let read = await cursor.next() {
            switch read {
            case .element(_, let stored):
                guard stored.sequence > last else { continue }
                last = stored.sequence
                guard kiosk == nil || stored.rating.kiosk == kiosk else { continue }
                try await send(PushMessage.rating(stored))
                context.metrics.pushed.increment()
                let age = Date().timeIntervalSince(stored.rating.wallTime) + stored.rating.latencyMilliseconds / 1000
                context.metrics.pushLatency.recordSeconds(max(0, age))
            case .gap:
                context.metrics.storedRingDrops.increment()
                let latest = try await context.store.latestSequence()
                if latest > last {
                    try await send(PushMessage.gap(from: last + 1, to: latest))
                }
                last = try await replay(after: last, send: send)
            }
        }
    }

    /// Sends every stored rating after `sequence` (of the kiosk, if one was named); returns the
    /// last sequence number covered.
    private func replay(after sequence: Int64, send: (String) async throws -> Void) async throws -> Int64 {
        var last = sequence
        while true {
            let page = try await context.store.ratings(after: last, kiosk: kiosk?.value, limit: pageSize)
            for record in page {
                try await send(PushMessage.rating(record))
                context.metrics.pushed.increment()
            }
            guard let tail = page.last else { break }
            last = tail.sequence
            if page.count < pageSize { break }
        }
        return last
    }
}
