import Logging
import RatingStore
import RatingStream
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
                for record in records {
                    guard let rating = Self.detected(record) else {
                        context.logger.error("a stored rating has an invalid kiosk id, not pushed", metadata: [
                            "seq": "\(record.sequence)", "kiosk": "\(record.rating.kiosk.debugDescription)"])
                        continue
                    }
                    await context.stored.publish(StoredRating(sequence: record.sequence, rating: rating))
                }
            }
        }
    }

    static func detected(_ record: RatingRecord) -> DetectedRating? {
        guard let kiosk = KioskID(record.rating.kiosk) else { return nil }
        let rating = record.rating
        return DetectedRating(kiosk: kiosk, session: rating.session, rating: rating.rating, confidence: rating.confidence,
                              mediaTime: rating.mediaTime, wallTime: rating.wallTime,
                              latencyMilliseconds: rating.latencyMilliseconds, model: rating.model)
    }
}
