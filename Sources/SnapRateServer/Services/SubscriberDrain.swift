import ServiceLifecycle

/// Holds shutdown, once the HTTP server has stopped, until every subscriber's connection has
/// closed: the server has sent each a close frame, and what was queued before it must reach the
/// client before the process exits. Each connection ends within the send timeout (a subscriber
/// that does not answer is cut then, `SubscriberSocket`); the wait is bounded all the same, so
/// that a connection this count lost track of can never keep the process from exiting.
struct SubscriberDrain: Service {
    let context: ServerContext

    func run() async throws {
        try? await gracefulShutdown()
        let limit = context.configuration.sendTimeout + .seconds(5)
        if await !context.subscriberSockets.allClosed(within: limit) {
            context.logger.warning("shutdown: \(context.subscriberSockets.openCount) subscriber connections still open after \(limit); exiting without them")
        }
    }
}
