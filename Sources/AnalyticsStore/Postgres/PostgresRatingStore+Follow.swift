import SnapRateCore
import Foundation
import Logging
import NIOConcurrencyHelpers
import PostgresNIO

extension PostgresRatingStore {
    /// Follows commits on a connection of its own: LISTEN on the store's channel (every append
    /// notifies it in the same transaction, and PostgreSQL delivers notifications at commit, in
    /// commit order), and on each notification, on each (re)connection and every
    /// `configuration.pollInterval` as a safety net, reads and delivers whatever was committed
    /// after the last rating delivered. Sequence numbers commit in order (see `append`), so reading
    /// "after the last one" never skips one that commits later.
    public func followCommits(after sequence: Int64?, deliver: @escaping @Sendable ([RatingRecord]) async -> Void) async throws {
        // The last sequence number delivered, kept across connections.
        let last = NIOLockedValueBox(sequence)
        var delay = Duration.milliseconds(100)
        var connectionID = 0
        while !Task.isCancelled {
            connectionID += 1
            let connected = NIOLockedValueBox(false)
            do {
                let connection = try await PostgresConnection.connect(
                    configuration: configuration.connectionConfiguration(), id: connectionID, logger: logger)
                do {
                    // The whole session is watched (`whileOpen`): a statement lost on the closed
                    // connection must not keep it from reconnecting.
                    let (channel, logger) = (configuration.channel, logger)
                    try await connection.whileOpen { connection in
                        try await connection.listen(on: channel) { notifications in
                            // LISTEN is in place: every commit from now on is announced, so catch
                            // up on what committed before (or while the connection was away) first.
                            var cursor: Int64
                            if let known = last.withLockedValue({ $0 }) {
                                cursor = known
                            } else {
                                cursor = try await PostgresRatingQueries.single(
                                    connection.query(PostgresRatingQueries.latestSequence, logger: logger))
                                last.withLockedValue { $0 = cursor }
                            }
                            connected.withLockedValue { $0 = true }
                            logger.info("following commits", metadata: ["after": "\(cursor)", "channel": "\(channel)"])
                            try await self.follow(notifications, on: connection, after: &cursor, deliver: deliver) { sequence in
                                last.withLockedValue { $0 = sequence }
                            }
                        }
                    }
                } catch {
                    try? await connection.close()
                    throw error
                }
                // Returned without an error: the task was cancelled.
                try? await connection.close()
            } catch {
                if Task.isCancelled { break }
                if connected.withLockedValue({ $0 }) { delay = .milliseconds(100) }
                logger.warning("commit feed lost, reconnecting", metadata: [
                    "error": "\(PostgresStoreError.describe(error))", "retry_in": "\(delay)"])
                do { try await Task.sleep(for: delay) } catch { break }
                delay = min(delay * 2, .seconds(2))
            }
        }
    }

    /// Delivers until the connection fails (throws) or the task is cancelled (returns).
    private func follow(_ notifications: PostgresNotificationSequence, on connection: PostgresConnection,
                        after cursor: inout Int64, deliver: @Sendable ([RatingRecord]) async -> Void,
                        progress: @Sendable (Int64) -> Void) async throws {
        let (wakeups, wake) = AsyncStream<Void>.makeStream(bufferingPolicy: .bufferingNewest(1))
        let pollInterval = configuration.pollInterval
        try await withThrowingTaskGroup(of: Void.self) { group in
            group.addTask {
                defer { wake.finish() }
                for try await _ in notifications { wake.yield() }
            }
            group.addTask {
                while true {
                    try await Task.sleep(for: pollInterval)
                    wake.yield()
                }
            }
            wake.yield()
            for await _ in wakeups {
                while true {
                    let page = try await PostgresRatingQueries.records(connection.query(
                        PostgresRatingQueries.ratings(after: cursor, kiosk: nil, limit: 1000), logger: logger))
                    guard let tail = page.last else { break }
                    await deliver(page)
                    cursor = tail.sequence ?? cursor
                    progress(cursor)
                    if page.count < 1000 { break }
                }
            }
            group.cancelAll()
            if !Task.isCancelled { throw PostgresStoreError.feedEnded }
        }
    }
}
