import Logging
import AnalyticsStore
import ServiceLifecycle

/// With a store that several nodes share, feeds the stored-ratings ring with every node's ratings
/// as they commit, in sequence order, so a subscriber on this node sees the ratings another node
/// detected. (The store writer then publishes nothing itself: its own ratings come back this way
/// too, in their place in the order.)
///
/// It follows from the latest rating stored when it starts: older ones reach subscribers through
/// their replay from the store, and the sequence number each subscriber keeps drops the copies.
struct StoredRatingFeed: Service {
    let context: ServerContext
    let feed: any RatingCommitFeed

    func run() async throws {
        let context = context
        try? await cancelWhenGracefulShutdown {
            try await feed.followCommits(after: nil) { records in
                for record in records { await context.stored.publish(record) }
            }
        }
    }
}
