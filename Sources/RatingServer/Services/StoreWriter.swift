import Foundation
import Logging
import RatingStore
import RatingStream
import ServiceLifecycle

/// Moves detected ratings from the ring into the store, in batches, and publishes what was stored
/// (with its sequence number) to the stored-ratings ring for the subscribers.
///
/// Its cursor gates the ring, so producers wait rather than overwrite a rating it has not read: no
/// rating is ever lost between a stream and the store. On shutdown it runs after every stream has
/// ended and drains the ring before returning.
struct StoreWriter: Service {
    let context: ServerContext
    let cursor: RingCursor<DetectedRating>
    let batchLimit: Int

    /// Create before any stream starts: the gating cursor starts at the ring's next element.
    init(context: ServerContext, batchLimit: Int = 256) {
        self.context = context
        self.cursor = context.detected.makeCursor(gating: true)
        self.batchLimit = batchLimit
    }

    func run() async throws {
        let logger = context.logger
        try? await cancelWhenGracefulShutdown {
            while let first = await cursor.next() {
                var batch = [first]
                while batch.count < batchLimit, let more = cursor.poll() { batch.append(more) }
                // Once read the ratings are ours alone: store them even if shutdown cancels us now.
                let toStore = batch
                await Task { await self.store(toStore, attempts: .max) }.value
            }
        }
        // Streams have all ended (they shut down before this service): drain what is left.
        var drained = 0
        while true {
            var batch: [RingRead<DetectedRating>] = []
            while batch.count < batchLimit, let more = cursor.poll() { batch.append(more) }
            if batch.isEmpty { break }
            drained += batch.count
            await store(batch, attempts: 10)
        }
        logger.info("store writer stopped", metadata: ["drained": "\(drained)"])
    }

    private func store(_ reads: [RingRead<DetectedRating>], attempts: Int) async {
        let ratings = reads.compactMap { read -> DetectedRating? in
            switch read {
            case .element(_, let rating):
                return rating
            case .gap(let from, let to):
                // Cannot happen to a gating cursor; counted loudly if it ever does.
                context.logger.critical("store writer fell into a ring gap", metadata: ["from": "\(from)", "to": "\(to)"])
                context.metrics.storeFailures.increment()
                return nil
            }
        }
        let event = context.configuration.event
        let rows = ratings.map { rating in
            NewRating(event: event, kiosk: rating.kiosk.value, session: rating.session, rating: rating.rating,
                      confidence: rating.confidence, mediaTime: rating.mediaTime, wallTime: rating.wallTime,
                      latencyMilliseconds: rating.latencyMilliseconds, model: rating.model)
        }
        let clock = ContinuousClock()
        var delay = Duration.milliseconds(50)
        for attempt in 1...max(1, attempts) {
            let start = clock.now
            do {
                let records = try await context.store.append(rows)
                context.metrics.storeLatency.recordInterval(start.duration(to: clock.now))
                context.metrics.ratingsStored.increment(by: records.count)
                for (record, rating) in zip(records, ratings) {
                    await context.stored.publish(StoredRating(sequence: record.sequence, rating: rating))
                }
                context.metrics.ringBacklog.record(context.detected.backlog)
                return
            } catch {
                context.metrics.storeFailures.increment()
                context.logger.error("storing \(rows.count) ratings failed (attempt \(attempt)): \(error)")
                try? await Task.sleep(for: delay)
                delay = min(delay * 2, .seconds(5))
            }
        }
        context.logger.critical("gave up storing \(rows.count) ratings")
    }
}
