import Foundation
import AnalyticsStore
import Logging
import MediaIngest
import Metrics
import NIOConcurrencyHelpers
import SnapRateCore
import StreamRating

/// A live stream's frames in the metrics: decoded, detected, unsearched and skipped per kiosk, and
/// how long decoding and detection took.
struct StreamMetricsObserver: StreamObserver {
    let decoded: Counter
    let detected: Counter
    let unsearched: Counter
    let skipped: Counter
    let metrics: ServerMetrics
    let logger: Logger

    init(metrics: ServerMetrics, kiosk: KioskID, logger: Logger) {
        decoded = metrics.framesDecoded(kiosk: kiosk)
        detected = metrics.framesDetected(kiosk: kiosk)
        unsearched = metrics.framesUnsearched(kiosk: kiosk)
        skipped = metrics.framesSkipped(kiosk: kiosk)
        self.metrics = metrics
        self.logger = logger
    }

    func streamOpened(_ info: StreamInfo) async {
        logger.info("stream opened", metadata: ["codec": "\(info.codec)", "width": "\(info.width)", "height": "\(info.height)"])
    }

    func frameRated(_ frame: RatedFrame, report: StreamReport) async {
        metrics.decodeLatency.recordInterval(frame.decodeWait)
        decoded.increment(by: 1 + frame.framesSkipped)
        if frame.framesSkipped > 0 { skipped.increment(by: frame.framesSkipped) }
        guard frame.outcome.searched else { return unsearched.increment() }
        detected.increment()
        metrics.detectLatency.recordSeconds(frame.outcome.detectionSeconds)
    }
}

/// Turns a stream's ratings into records and publishes them into the detected-ratings ring, for
/// the store writer; then hands each to `published` (the ingesting kiosk's echo).
struct RatingPublisher: StreamObserver {
    let context: ServerContext
    let kiosk: KioskID
    let session: UUID
    var published: @Sendable (RatingRecord) async -> Void = { _ in }

    func frameRated(_ frame: RatedFrame, report: StreamReport) async {
        guard let event = frame.outcome.rating else { return }
        let configuration = context.configuration
        let record = RatingRecord(
            event: configuration.event, kiosk: kiosk, session: session, rating: event.rating, confidence: event.confidence,
            mediaTime: event.time, wallTime: Date(),
            latencyMilliseconds: frame.handed.duration(to: .now).inSeconds * 1000, model: configuration.modelVariant.rawValue)
        await context.detected.publish(record)
        context.metrics.ratingsDetected.increment()
        context.metrics.ratings(kiosk: kiosk, rating: event.rating).increment()
        await published(record)
    }
}

/// Puts a stream's progress on the status ring about once a second: the dashboard's frame rate and
/// "last seen" are only as fresh as this.
final class StreamStatusReporter: StreamObserver {
    static let interval = Duration.seconds(1)

    let context: ServerContext
    let kiosk: KioskID
    let session: UUID
    private let last = NIOLockedValueBox(ContinuousClock.now)

    init(context: ServerContext, kiosk: KioskID, session: UUID) {
        self.context = context
        self.kiosk = kiosk
        self.session = session
    }

    func frameRated(_ frame: RatedFrame, report: StreamReport) async {
        let due = last.withLockedValue { last in
            guard last.duration(to: .now) >= Self.interval else { return false }
            last = .now
            return true
        }
        if due { await publish(.running, report: report) }
    }

    func publish(_ state: StreamStatus.State, report: StreamReport) async {
        await context.status.publish(StreamStatus(
            kiosk: kiosk, session: session, state: state, framesDecoded: report.counters.framesDecoded,
            framesDetected: report.framesDetected, decodeErrors: report.counters.decodeErrors, wallTime: Date()))
    }
}

/// Records a stream as a session in the store: its start beside the stream, not before it
/// (detection never waits on the store), and its end even when shutdown cancelled the stream.
struct SessionRecorder: Sendable {
    let store: any RatingStore
    let session: UUID
    let logger: Logger
    private let started: Task<Void, any Error>

    /// Starts recording the session's start.
    init(context: ServerContext, kiosk: KioskID, session: UUID, logger: Logger) {
        let store = context.store
        let record = StreamSessionRecord(id: session, event: context.configuration.event, kiosk: kiosk, started: Date())
        self.store = store
        self.session = session
        self.logger = logger
        started = Task { try await store.startSession(record) }
    }

    func end(reason: String, counters: DecodeCounters) async {
        let store = store, session = session, logger = logger, started = started
        // An unstructured task, so that shutdown's cancellation of the stream does not cancel it.
        let recorded = Task {
            do { try await started.value } catch { logger.error("could not record the session start: \(store.describe(error))") }
            try await store.endSession(id: session, ended: Date(), framesDecoded: counters.framesDecoded,
                                       decodeErrors: counters.decodeErrors, reason: reason)
        }
        do { try await recorded.value } catch { logger.error("could not record the session end: \(store.describe(error))") }
    }
}
