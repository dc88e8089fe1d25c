/// Where stored ratings are POSTed, and how hard delivery tries.
public struct WebhookConfiguration: Sendable {
    public var targets: [WebhookTarget] = []
    /// A target that has failed for this long has the ratings waiting for it skipped (logged and
    /// counted); delivery goes on with the next one.
    public var giveUp = Duration.seconds(86_400)
    /// One request's whole time, connecting included.
    public var timeout = Duration.seconds(10)
    /// Retries wait this long after the first failure, twice as long after each next one up to
    /// `maximumRetryDelay`, each wait drawn between half and all of it (jitter: many nodes or
    /// targets that failed together do not retry together).
    public var firstRetryDelay = Duration.milliseconds(500)
    public var maximumRetryDelay = Duration.seconds(60)
    /// How long a node's claim to deliver to a target lasts without being renewed (every third of
    /// it): after a node dies, another takes the target over within this time.
    public var lease = Duration.seconds(30)

    public init() {}
}
