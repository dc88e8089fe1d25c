import ServiceLifecycle

/// Holds shutdown, once the HTTP server has stopped, until every subscriber's connection has
/// closed: the server has sent each a close frame, and what was queued before it must reach the
/// client before the process exits. Bounded by the send timeout: a subscriber that does not
/// answer is cut then (`StallWatchdog`, `SubscriberSocket`).
struct SubscriberDrain: Service {
    let context: ServerContext

    func run() async throws {
        try? await gracefulShutdown()
        await context.subscriberSockets.allClosed()
    }
}
