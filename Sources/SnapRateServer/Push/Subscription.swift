import Foundation
import Logging
import NIOConcurrencyHelpers
import NIOCore
import AnalyticsStore
import SnapRateCore

/// One `WS /ws?kiosk=K&since=SEQ` subscriber: what the store holds after `since`, then live ratings,
/// with no gap and no duplicate.
///
/// It catches up on its own, from the store and then the stored-ratings ring, and then joins the
/// `LiveFanout`, which sends it each new rating with everyone else's. One that falls behind there
/// gets a gap message and catches up again; it never holds anyone back.
///
/// `last`, the highest sequence number it has been sent (or passed over, for another kiosk), is
/// written by one side at a time: its catch-up task, or the fanout while it is a member; the hand
/// over is under the fanout's lock.
final class Subscription: @unchecked Sendable {
    let context: ServerContext
    let kiosk: KioskID?
    let sink: any PushSink
    let watchdog: StallWatchdog
    let logger: Logger
    private(set) var last: Int64
    let pageSize = 500
    private let catchUps = NIOLockedValueBox(CatchUps())

    private struct CatchUps {
        var running: Task<Void, Never>?
        var ended = false
    }

    init(context: ServerContext, kiosk: KioskID?, since: Int64, sink: any PushSink, logger: Logger) {
        self.context = context
        self.kiosk = kiosk
        self.last = since
        self.sink = sink
        self.logger = logger
        watchdog = StallWatchdog(timeout: context.configuration.sendTimeout, shutdownSince: context.shutdownSince)
    }

    /// How often a quiet subscriber is pinged (by `SubscriberSocket`), so that proxies keep its
    /// connection open.
    static let keepalivePeriod = TimeAmount.seconds(30)

    /// Counts the subscriber and starts its first catch-up, or, when it already has the newest
    /// stored rating (a client reconnecting with `since`, a dashboard after a restart), joins the
    /// fanout at once: no task and no query, which matters when a thousand connect together.
    func start() {
        context.metrics.subscribers.increment()
        let cursor = context.stored.makeCursor(gating: false)
        // Whatever is stored after the newest rating in the ring reaches the ring after this
        // cursor was made, so the cursor or the fanout will send it.
        if let newest = context.stored.element(before: cursor.position), newest.storedSequence <= last,
           context.fanout.join(self, cursor: cursor) {
            return
        }
        startCatchUp(gapFirst: false)
    }

    /// Stops sending at once, from the connection's event loop as it closes: no catch-up starts
    /// from now on (not even for a fall behind the fanout reports meanwhile), one under way is
    /// cancelled, and the fanout sends no more. `end()` must still follow.
    func stopSending() -> Task<Void, Never>? {
        let running = catchUps.withLockedValue { state -> Task<Void, Never>? in
            state.ended = true
            return state.running
        }
        running?.cancel()
        context.fanout.leave(self)
        return running
    }

    /// Stops sending (the connection has ended) and waits for a catch-up under way to stop.
    func end() async {
        await stopSending()?.value
        // After the catch-up has stopped: it may have joined the fanout on its way out.
        context.fanout.leave(self)
        context.metrics.subscribers.decrement()
    }

    /// Called by the fanout, which has dropped this subscriber: it could not take a rating.
    func fellBehind() {
        // A connection that has closed is about to end; there is nobody to catch up.
        guard sink.isOpen else { return }
        startCatchUp(gapFirst: true)
    }

    private func startCatchUp(gapFirst: Bool) {
        catchUps.withLockedValue { state in
            guard !state.ended else { return }
            state.running = Task {
                do {
                    try await self.catchUp(gapFirst: gapFirst)
                } catch {
                    // A write failed: the connection is gone or going.
                    if !Task.isCancelled { self.sink.cut() }
                }
            }
        }
    }

    /// Sends `stored` if it is new to this subscriber and of its kiosk, without waiting; false if
    /// the client cannot take it now.
    func offer(_ stored: RatingRecord, encoded: () -> ByteBuffer) -> Bool {
        guard stored.storedSequence > last else { return true }
        guard kiosk == nil || stored.kiosk == kiosk else {
            last = stored.storedSequence
            return true
        }
        guard sink.offer(encoded()) else { return false }
        last = stored.storedSequence
        countPush(stored)
        return true
    }

    /// Sends the store's ratings after `last`, then the ring's, waiting on the client as it reads,
    /// until it joins the live fanout. With `gapFirst`, a gap message first names what it missed.
    func catchUp(gapFirst: Bool) async throws {
        if gapFirst {
            context.metrics.storedRingDrops.increment()
            try await sendGap()
        }
        while !Task.isCancelled {
            // Made before the store is read: a rating stored meanwhile is in the replay, the ring,
            // or both, and `last` settles which copy goes out.
            let cursor = context.stored.makeCursor(gating: false)
            last = try await replay(after: last)
            while let read = cursor.poll() {
                switch read {
                case .element(_, let stored):
                    guard stored.storedSequence > last else { continue }
                    last = stored.storedSequence
                    guard kiosk == nil || stored.kiosk == kiosk else { continue }
                    try await send(LiveFanout.encode(stored))
                    countPush(stored)
                case .gap:
                    context.metrics.storedRingDrops.increment()
                    try await sendGap()
                    last = try await replay(after: last)
                }
            }
            if context.fanout.join(self, cursor: cursor) { return }
            // Behind, or lapped while joining: wait until the client has read what it was sent.
            try await watchdog.writing { try await sink.drain() }
        }
    }

    private func sendGap() async throws {
        let latest = try await context.store.latestSequence()
        if latest > last {
            try await send(ByteBuffer(string: PushMessage.gap(from: last + 1, to: latest)))
        }
    }

    private func send(_ message: ByteBuffer) async throws {
        try await watchdog.writing { try await sink.send(message) }
    }

    private func countPush(_ stored: RatingRecord) {
        context.metrics.pushed.increment()
        let age = Date().timeIntervalSince(stored.wallTime) + stored.latencyMilliseconds / 1000
        context.metrics.pushLatency.recordSeconds(max(0, age))
    }

    /// Sends every stored rating after `sequence` (of the kiosk, if one was named); returns the
    /// last sequence number covered.
    private func replay(after sequence: Int64) async throws -> Int64 {
        var covered = sequence
        while true {
            let page = try await context.store.ratings(after: covered, kiosk: kiosk, limit: pageSize)
            for record in page {
                try await send(ByteBuffer(string: PushMessage.rating(record)))
                context.metrics.pushed.increment()
            }
            guard let tail = page.last else { break }
            covered = tail.storedSequence
            if page.count < pageSize { break }
        }
        return covered
    }
}
