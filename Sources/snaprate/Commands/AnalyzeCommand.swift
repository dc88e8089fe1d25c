import ArgumentParser
import Foundation
import Logging
import MediaIngest

struct AnalyzeCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "analyze",
        abstract: "Decode clips (or a live pipe on stdin) and print one JSON line per source.",
        discussion: """
        Each source gives a summary line:
        {"type":"summary","source":...,"frames":N,"decode_errors":E,"duration":s,"codec":...,"width":W,"height":H,"fps":F}
        where fps is processing speed. A source that cannot be read gets a one-line error on stderr;
        the others are still analysed, and the exit status is 1.
        """
    )

    @Argument(help: "Clip files; `-` reads a stream from standard input.")
    var paths: [String]

    @Option(help: "Refuse videos wider or taller than this many pixels.")
    var maxDimension = 4096

    @OptionGroup var global: GlobalOptions

    func run() async throws {
        Bootstrap.logging(level: global.logLevel)
        let logger = Logger(label: "snaprate.analyze")
        var failed = 0
        for path in paths {
            do {
                let summary = try await analyze(path: path, logger: logger)
                Console.out(summary.jsonLine)
                if let reason = summary.counters.endedEarly {
                    Console.warning("\(summary.source): input ended early (\(reason)); kept the \(summary.counters.framesDecoded) frames before the cut")
                }
            } catch {
                failed += 1
                Console.error("\(error)")
            }
        }
        if failed > 0 { throw ExitCode(1) }
    }

    private func analyze(path: String, logger: Logger) async throws -> SourceSummary {
        let source: ByteSource = path == "-" ? FileDescriptorSource.standardInput() : try FileDescriptorSource(path: path)
        let options = DecodeOptions(pixelFormat: .rgb24, maxDimension: maxDimension)
        var summary = SourceSummary(source: source.name)
        let clock = ContinuousClock()
        let start = clock.now
        for try await event in DecodedFrames(source: source, options: options, logger: logger) {
            switch event {
            case .opened(let info): summary.info = info
            case .frame(let frame): summary.add(frame)
            case .finished(let counters): summary.counters = counters
            }
        }
        summary.elapsed = clock.now - start
        return summary
    }
}
