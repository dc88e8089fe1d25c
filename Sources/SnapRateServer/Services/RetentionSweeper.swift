import SnapRateCore
import Foundation
import Logging
import ServiceLifecycle

/// Deletes ratings and ended stream sessions older than the retention period (`--retain-days`):
/// once at start, then every `interval`. A sweep the store fails is logged and counted, and the
/// next one tries again: retention never stops the daemon.
struct RetentionSweeper: Service {
    let context: ServerContext
    let retention: Duration
    let interval: Duration

    func run() async throws {
        try? await cancelWhenGracefulShutdown {
            while !Task.isCancelled {
                await sweep(now: Date())
                try await Task.sleep(for: interval)
            }
        }
    }

    /// One sweep; returns how many ratings went (nil when the store failed).
    @discardableResult
    func sweep(now: Date) async -> Int? {
        let cutoff = now.addingTimeInterval(-retention.inSeconds)
        do {
            let purged = try await context.store.purge(before: cutoff)
            context.metrics.ratingsPurged.increment(by: purged)
            context.logger.info("retention: purged \(purged) ratings and the ended sessions older than \(cutoff.formatted(.iso8601))")
            return purged
        } catch is CancellationError {
            return nil
        } catch {
            context.metrics.purgeFailures.increment()
            context.logger.error("retention: purging failed, trying again in \(interval): \(context.store.describe(error))")
            return nil
        }
    }
}
