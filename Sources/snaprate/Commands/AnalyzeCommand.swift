import ArgumentParser
import Foundation
import HandEngine
import Logging
import MediaIngest
import Rating

struct AnalyzeCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "analyze",
        abstract: "Rate clips (or a live pipe on stdin): print rating events and a summary per source.",
        discussion: """
        Per source, each rating as it happens:
          {"type":"rating","source":...,"time":s,"rating":"up"|"down","confidence":c}
        with --frames also every frame's class:
          {"type":"frame","source":...,"time":s,"class":"up"|"down"|"none","hands":n}
        then the summary:
          {"type":"summary","source":...,"frames":N,"decode_errors":E,"duration":s,"codec":...,"width":W,"height":H,"fps":F}
        where fps is processing speed. A source that cannot be read gets a one-line error on stderr;
        the others are still analysed, and the exit status is 1.
        """
    )

    @Argument(help: "Clip files; `-` reads a stream from standard input.")
    var paths: [String]

    @Flag(help: "Also print every frame's class.")
    var frames = false

    @Option(help: "Output format: jsonl or csv.")
    var format: OutputFormat = .jsonl

    @OptionGroup var models: ModelOptions

    @OptionGroup var smoothing: SmoothingOptions

    @Option(help: "Refuse videos wider or taller than this many pixels.")
    var maxDimension = 4096

    @OptionGroup var global: GlobalOptions

    func run() async throws {
        Bootstrap.logging(level: global.logLevel)
        let logger = Logger(label: "snaprate.analyze")
        try models.requireFiles()
        let writer = RecordWriter(format: format)
        let progress = Progress(total: paths.count)
        writer.writeHeader()
        var failed = 0
        for (index, path) in paths.enumerated() {
            progress.show(index: index, name: path)
            do {
                let pipeline = try RatingPipeline(variant: models.variant, models: models.directory,
                                                  smoothing: smoothing.configuration, logger: logger)
                try await analyze(path: path, pipeline: pipeline, writer: writer, logger: logger)
            } catch {
                failed += 1
                progress.clear()
                Console.error("\(error)")
            }
        }
        progress.clear()
        if failed > 0 { throw ExitCode(1) }
    }

    private func analyze(path: String, pipeline: RatingPipeline, writer: RecordWriter, logger: Logger) async throws {
        let source: ByteSource = path == "-" ? FileDescriptorSource.standardInput() : try FileDescriptorSource(path: path)
        let name = source.name
        let clock = ContinuousClock()
        let start = clock.now
        let report = try await StreamRating.run(source: source, pipeline: pipeline,
                                                options: DecodeOptions(maxDimension: maxDimension), logger: logger) { outcome in
            if frames { writer.write(.frame(source: name, outcome: outcome)) }
            if let rating = outcome.rating { writer.write(.rating(source: name, event: rating)) }
        }
        writer.write(.summary(source: name, report: report, elapsed: clock.now - start))
        if let reason = report.counters.endedEarly {
            Console.warning("\(name): input ended early (\(reason)); kept the \(report.counters.framesDecoded) frames before the cut")
        }
    }
}
