import Foundation
import Logging
import MediaIngest
import SnapRateCore
import StreamRating
import ThumbRating

/// How a stream ended, as recorded on its session.
enum StreamEnd: Sendable, Equatable {
    case finished
    /// The client went away without saying the stream was over.
    case disconnected
    case shutdown
    /// The client sent nothing for the idle timeout; the message says so.
    case idle(String)
    case failed(String)

    var reason: String {
        switch self {
        case .finished: "finished"
        case .disconnected: "disconnected"
        case .shutdown: "shutdown"
        case .idle: "idle"
        case .failed(let message): "error: \(message)"
        }
    }

    /// What the client is told when the stream did not end well.
    var errorMessage: String? {
        switch self {
        case .idle(let message), .failed(let message): message
        case .finished, .disconnected, .shutdown: nil
        }
    }
}

/// Runs one live stream through the `StreamDriver`, as `analyze` runs a file, on the server's
/// detection executor and with live pacing; its observers count it in the metrics, report its
/// status, publish its ratings into the ring, and record it as a session in the store.
struct StreamRunner: Sendable {
    let context: ServerContext
    let kiosk: KioskID
    let session = UUID()

    /// What the caller adds: its own observer, and why the stream ended when the driver cannot know.
    struct Ending: Sendable {
        /// Why the stream ended when its source simply ran out (a socket can tell more than EOF).
        var endOfSource: @Sendable () -> StreamEnd = { .finished }
        /// Why the caller cut the source short, if it did (a limit broken): that, not what the
        /// decoder made of the cut, is how the stream ended.
        var stopped: @Sendable () -> StreamEnd? = { nil }
    }

    /// Runs the stream to its end; `published` gets each rating once it is in the ring.
    func run(source: ByteSource, observer: any StreamObserver = StreamObservers(), ending: Ending = Ending(),
             published: @escaping @Sendable (RatingRecord) async -> Void = { _ in })
        async -> (end: StreamEnd, counters: DecodeCounters) {
        var logger = context.logger
        logger[metadataKey: "kiosk"] = "\(kiosk)"
        logger[metadataKey: "session"] = "\(session)"
        let status = StreamStatusReporter(context: context, kiosk: kiosk, session: session)
        let sessionRecord = SessionRecorder(context: context, kiosk: kiosk, session: session, logger: logger)
        context.metrics.activeStreams.increment()
        await status.publish(.started, report: StreamReport())
        logger.info("stream started")

        let configuration = context.configuration
        let driver = StreamDriver(configuration: .init(
            decode: DecodeOptions(maxDimension: configuration.limits.maxDimension, framePool: context.framePool,
                                  threadNiceness: ServerContext.decoderNiceness),
            pacing: .live(maxLag: configuration.maxLag), effort: .reducedWhileBehind(window: 1),
            detection: configuration.detection, executor: context.detection), logger: logger)
        let observers = StreamObservers([
            StreamMetricsObserver(metrics: context.metrics, kiosk: kiosk, logger: logger),
            RatingPublisher(context: context, kiosk: kiosk, session: session, published: published),
            observer, status,
        ])
        var report = StreamReport()
        do {
            let pipeline = try RatingPipeline(pool: context.handModels, smoothing: configuration.smoothing, logger: logger)
            report = await driver.run(source: source, pipeline: pipeline, observer: observers)
        } catch {
            report.failure = error
        }
        let end: StreamEnd
        switch report.failure {
        case nil: end = Task.isCancelled ? .shutdown : ending.stopped() ?? ending.endOfSource()
        case is CancellationError: end = .shutdown
        case let failure?:
            context.metrics.streamErrors.increment()
            end = Task.isCancelled ? .shutdown : ending.stopped() ?? .failed("\(failure)")
        }
        context.metrics.activeStreams.decrement()
        await status.publish(.ended, report: report)
        await sessionRecord.end(reason: end.reason, counters: report.counters)
        logger.info("stream ended", metadata: ["reason": "\(end.reason)", "frames": "\(report.counters.framesDecoded)"])
        return (end, report.counters)
    }
}
