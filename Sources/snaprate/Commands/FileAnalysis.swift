import Foundation
import HandEngine
import Logging
import MediaIngest
import NIOConcurrencyHelpers
import StreamRating
import ThumbRating

/// `analyze` on one source: its own pipeline, its records as output lines, a summary at the end.
/// The sources share one `HandModelPool`: the weights load once, and each source running at the
/// same time borrows a set of its own.
struct FileAnalysis: Sendable {
    let models: HandModelPool
    let smoothing: RatingSmoother.Configuration
    let detection: Detection
    let maxDimension: Int
    let frames: Bool
    let writer: RecordWriter
    let logger: Logger

    /// What a source produced, held for printing later.
    struct Collected: Sendable {
        var lines: [String] = []
        var warnings: [String] = []
        var error: String?
    }

    /// Analyses `path`, handing each line over as it happens; false when the source failed.
    func run(path: String, output: @escaping @Sendable (String) -> Void, warning: (String) -> Void,
             error: (String) -> Void) async -> Bool {
        do {
            let pipeline = try RatingPipeline(pool: models, smoothing: smoothing, logger: logger)
            let source: ByteSource = path == "-" ? FileDescriptorSource.standardInput() : try FileDescriptorSource(path: path)
            let name = source.name, writer = writer, frames = frames
            let clock = ContinuousClock()
            let start = clock.now
            let driver = StreamDriver(configuration: .init(decode: DecodeOptions(maxDimension: maxDimension),
                                                           detection: detection), logger: logger)
            let report = await driver.run(source: source, pipeline: pipeline,
                                          observer: OutputLines(source: name, writer: writer, frames: frames, output: output))
            if let failure = report.failure { throw failure }
            output(writer.line(.summary(source: name, report: report, elapsed: clock.now - start)))
            if let reason = report.counters.endedEarly {
                warning("\(name): input ended early (\(reason)); kept the \(report.counters.framesDecoded) frames before the cut")
            }
            return true
        } catch let failure {
            error("\(failure)")
            return false
        }
    }

    /// Each frame's line (with `--frames`) and each rating's, as they happen.
    struct OutputLines: StreamObserver {
        let source: String
        let writer: RecordWriter
        let frames: Bool
        let output: @Sendable (String) -> Void

        func frameRated(_ frame: RatedFrame, report: StreamReport) async {
            if frames { output(writer.line(.frame(source: source, outcome: frame.outcome))) }
            if let rating = frame.outcome.rating { output(writer.line(.rating(source: source, event: rating))) }
        }
    }

    /// Analyses `path`, keeping its lines.
    func collect(path: String) async -> Collected {
        let collected = NIOLockedValueBox(Collected())
        _ = await run(path: path, output: { line in collected.withLockedValue { $0.lines.append(line) } },
                      warning: { line in collected.withLockedValue { $0.warnings.append(line) } },
                      error: { line in collected.withLockedValue { $0.error = line } })
        return collected.withLockedValue { $0 }
    }
}
