import ServiceLifecycle

/// The first service to hear of shutdown (it is the last in the group): from then on no new
/// stream is taken, while streams already running finish what they hold.
struct IngestGate: Service {
    let context: ServerContext

    func run() async throws {
        try? await gracefulShutdown()
        context.stopAccepting()
        context.logger.info("no longer taking new streams")
    }
}
