import Foundation
import HandEngine
import Logging
import MediaIngest
import Rating

/// `analyze` on one source: its own pipeline, its records as output lines, a summary at the end.
struct FileAnalysis: Sendable {
    let variant: ModelVariant
    let models: ModelDirectory
    let smoothing: RatingSmoother.Configuration
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
    func run(path: String, output: (String) -> Void, warning: (String) -> Void, error: (String) -> Void) async -> Bool {
        do {
            let pipeline = try RatingPipeline(variant: variant, models: models, smoothing: smoothing, logger: logger)
            let source: ByteSource = path == "-" ? FileDescriptorSource.standardInput() : try FileDescriptorSource(path: path)
            let name = source.name, writer = writer, frames = frames
            let clock = ContinuousClock()
            let start = clock.now
            let report = try await StreamRating.run(source: source, pipeline: pipeline,
                                                    options: DecodeOptions(maxDimension: maxDimension), logger: logger) { outcome in
                if frames { output(writer.line(.frame(source: name, outcome: outcome))) }
                if let rating = outcome.rating { output(writer.line(.rating(source: name, event: rating))) }
            }
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

    /// Analyses `path`, keeping its lines.
    func collect(path: String) async -> Collected {
        var collected = Collected()
        _ = await run(path: path, output: { collected.lines.append($0) }, warning: { collected.warnings.append($0) },
                      error: { collected.error = $0 })
        return collected
    }
}
