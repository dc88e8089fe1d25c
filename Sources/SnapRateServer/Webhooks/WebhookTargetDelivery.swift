import AsyncHTTPClient
import Atomics
import Foundation
import Logging
import Metrics
import NIOCore
import RatingRing
import SnapRateCore

/// Delivery to one webhook target: lease the target in the store, then send each stored rating it
/// asks for, in sequence order, one at a time, retrying each until a 2xx, and move its cursor on.
struct WebhookTargetDelivery {
    let context: ServerContext
    let target: WebhookTarget
    let client: HTTPClient
    let holder: UUID
    let metrics: WebhookMetrics
    /// The cursor, and the newest stored rating seen: the lag metric is the difference.
    private let cursor = ManagedAtomic<Int64>(0)
    private let newest = ManagedAtomic<Int64>(0)

    init(context: ServerContext, target: WebhookTarget, client: HTTPClient, holder: UUID) {
        self.context = context
        self.target = target
        self.client = client
        self.holder = holder
        self.metrics = context.metrics.webhook(target: target.id)
    }

    private var configuration: WebhookConfiguration { context.configuration.webhooks }
    private var logger: Logger {
        var logger = context.logger
        logger[metadataKey: "webhook"] = "\(target.id)"
        return logger
    }

    /// Delivers while this node holds the target's lease, takes it again when it was lost, and
    /// gives it up when cancelled (shutdown), so that another node can take over at once.
    func run() async {
        while !Task.isCancelled {
            guard let cursor = await lease() else { break }
            await withTaskGroup(of: Void.self) { group in
                group.addTask { await keepLease() }
                group.addTask { await deliver(after: cursor) }
                group.addTask { await watchLag() }
                // Each ends only when the lease is lost or on cancellation: then the others go too.
                await group.next()
                group.cancelAll()
            }
        }
        let store = context.store, target = target, holder = holder
        // A task of its own: this one is cancelled, and the store would refuse to start a statement.
        await Task { try? await store.releaseWebhookCursor(target: target.id, holder: holder) }.value
    }

    /// The target's cursor once this node holds its lease; nil when cancelled first. A target met
    /// for the first time starts at the newest stored rating.
    private func lease() async -> Int64? {
        var toldWaiting = false
        while !Task.isCancelled {
            do {
                let newest = try await context.store.latestSequence()
                if let cursor = try await context.store.leaseWebhookCursor(
                    target: target.id, holder: holder, for: configuration.lease, startingAt: newest) {
                    if toldWaiting { logger.info("this node delivers to the webhook target now") }
                    return cursor
                }
                if !toldWaiting { logger.info("another node delivers to this webhook target; waiting for its lease to end") }
                toldWaiting = true
            } catch {
                logger.error("cannot lease the webhook target", metadata: ["error": "\(context.store.describe(error))"])
            }
            try? await Task.sleep(for: configuration.lease / 3)
        }
        return nil
    }

    /// Renews the lease every third of its length; returns once another node holds it.
    private func keepLease() async {
        while !Task.isCancelled {
            try? await Task.sleep(for: configuration.lease / 3)
            if Task.isCancelled { return }
            do {
                if try await context.store.leaseWebhookCursor(target: target.id, holder: holder, for: configuration.lease,
                                                              startingAt: 0) == nil {
                    logger.warning("another node took over the webhook target")
                    return
                }
            } catch {
                logger.error("cannot renew the webhook target's lease", metadata: ["error": "\(context.store.describe(error))"])
            }
        }
    }

    /// Follows the stored ratings for the lag metric, while delivery may be stuck in a request.
    private func watchLag() async {
        let ring = context.stored.makeCursor(gating: false)
        while let read = await ring.next() {
            if case .element(_, let rating) = read { newest.max(rating.storedSequence) }
            recordLag()
        }
    }

    /// Sends every rating after `start`: first what the store holds, then what the stored-ratings
    /// ring brings, back to the store whenever the ring skipped ahead. Returns when the lease is
    /// lost or on cancellation.
    private func deliver(after start: Int64) async {
        // Made before the store is read: a rating committed meanwhile is in one or the other.
        let ring = context.stored.makeCursor(gating: false)
        var progress = Progress(cursor: start, saved: start)
        cursor.store(start, ordering: .relaxed)
        if let latest = try? await context.store.latestSequence() { newest.max(latest) }
        catchUp: while !Task.isCancelled {
            while true {
                let page: [RatingRecord]
                do {
                    page = try await context.store.ratings(after: progress.cursor, kiosk: nil, limit: 100)
                } catch {
                    logger.error("cannot read ratings for the webhook target", metadata: ["error": "\(context.store.describe(error))"])
                    try? await Task.sleep(for: configuration.firstRetryDelay)
                    continue catchUp
                }
                for rating in page {
                    guard await handle(rating, &progress) else { return }
                }
                if page.count < 100 { break }
            }
            while !Task.isCancelled {
                guard await save(&progress) else { return }
                guard let read = await ring.next() else { return }
                guard case .element(_, let rating) = read else { continue catchUp }
                let sequence = rating.storedSequence
                if sequence <= progress.cursor { continue }
                // A rating before this one was never seen here: the store has it.
                guard sequence == progress.cursor + 1 else { continue catchUp }
                guard await handle(rating, &progress) else { return }
            }
        }
    }

    /// Where delivery is: the last rating delivered or passed over, the last of those the store
    /// knows, and since when the target fails.
    private struct Progress {
        var cursor: Int64
        var saved: Int64
        var failingSince: ContinuousClock.Instant?
    }

    /// Delivers one rating (or passes over one the target did not ask for). False when the lease
    /// is lost or on cancellation.
    private func handle(_ rating: RatingRecord, _ progress: inout Progress) async -> Bool {
        let sequence = rating.storedSequence
        newest.max(sequence)
        guard target.accepts(rating) else {
            progress.cursor = sequence
            return true
        }
        let body = Array(PushMessage.rating(rating).utf8)
        var delay = configuration.firstRetryDelay
        while true {
            if Task.isCancelled { return false }
            if await send(body, key: "\(rating.event):\(sequence)") {
                metrics.delivered.increment()
                progress.failingSince = nil
                progress.cursor = sequence
                return await save(&progress)
            }
            let failingSince = progress.failingSince ?? .now
            progress.failingSince = failingSince
            if failingSince.duration(to: .now) >= configuration.giveUp {
                return await giveUp(&progress)
            }
            metrics.retried.increment()
            try? await Task.sleep(for: delay * Double.random(in: 0.5...1))
            delay = min(delay * 2, configuration.maximumRetryDelay)
        }
    }

    /// The target has failed for `giveUp`: every rating stored up to now is skipped, logged and
    /// counted, and the clock starts again for the ones after.
    private func giveUp(_ progress: inout Progress) async -> Bool {
        if let latest = try? await context.store.latestSequence() { newest.max(latest) }
        let skipped = max(0, newest.load(ordering: .relaxed) - progress.cursor)
        metrics.failed.increment(by: Int(skipped))
        logger.error("webhook target failing for longer than the give-up time: skipped ratings", metadata: [
            "from_seq": "\(progress.cursor + 1)", "to_seq": "\(progress.cursor + skipped)", "skipped": "\(skipped)"])
        progress.cursor += skipped
        progress.failingSince = .now
        return await save(&progress)
    }

    /// Records the cursor in the store, retrying until the store takes it. False when another
    /// node holds the lease now, or on cancellation.
    private func save(_ progress: inout Progress) async -> Bool {
        cursor.store(progress.cursor, ordering: .relaxed)
        recordLag()
        guard progress.cursor > progress.saved else { return true }
        while !Task.isCancelled {
            do {
                guard try await context.store.advanceWebhookCursor(target: target.id, holder: holder, to: progress.cursor) else {
                    logger.warning("another node took over the webhook target")
                    return false
                }
                progress.saved = progress.cursor
                return true
            } catch {
                logger.error("cannot record the webhook target's cursor", metadata: ["error": "\(context.store.describe(error))"])
                try? await Task.sleep(for: configuration.firstRetryDelay)
            }
        }
        return false
    }

    /// How many stored ratings the target is behind.
    private func recordLag() {
        metrics.lag.record(max(0, newest.load(ordering: .relaxed) - cursor.load(ordering: .relaxed)))
    }

    /// One POST; true for a 2xx answer.
    private func send(_ body: [UInt8], key: String) async -> Bool {
        var request = HTTPClientRequest(url: target.url)
        request.method = .POST
        request.headers.add(name: "Content-Type", value: "application/json")
        request.headers.add(name: "User-Agent", value: "SnapRate-Webhook")
        request.headers.add(name: "Idempotency-Key", value: key)
        let timestamp = Int64(Date().timeIntervalSince1970)
        request.headers.add(name: "SnapRate-Signature", value: WebhookSignature.header(key: target.key, timestamp: timestamp, body: body))
        request.body = .bytes(ByteBuffer(bytes: body))
        do {
            let response = try await client.execute(request, timeout: TimeAmount(configuration.timeout),
                                                    logger: WebhookDelivery.clientLogger(logger))
            // Read (and drop) the answer, at most 64 KiB of it, so the connection can be used again.
            _ = try? await response.body.collect(upTo: 1 << 16)
            guard (200..<300).contains(response.status.code) else {
                logger.warning("webhook target answered \(response.status.code)", metadata: ["key": "\(key)"])
                return false
            }
            return true
        } catch {
            if !Task.isCancelled {
                logger.warning("webhook request failed", metadata: ["key": "\(key)", "error": "\(error)"])
            }
            return false
        }
    }
}

extension ManagedAtomic where Value == Int64 {
    /// Raises the value to `candidate` if it is higher.
    fileprivate func max(_ candidate: Int64) {
        var current = load(ordering: .relaxed)
        while candidate > current {
            let (exchanged, original) = compareExchange(expected: current, desired: candidate, ordering: .relaxed)
            if exchanged { return }
            current = original
        }
    }
}
