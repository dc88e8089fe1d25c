import ArgumentParser
import Foundation
import HandEngine
import Logging
import MediaIngest
import SnapRateCore

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
          {"type":"summary","source":...,"frames":N,"searched":S,"decode_errors":E,"duration":s,"codec":...,"width":W,"height":H,"fps":F}
        where S is how many frames were searched for hands (all of them with --detect every-frame) and
        fps is processing speed. A source that cannot be read gets a one-line error on stderr;
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

    @OptionGroup var detection: DetectionOptions

    @Option(help: "Refuse videos wider or taller than this many pixels.")
    var maxDimension = Defaults.maxDimension

    @Option(help: "Files analysed at once (default: one per core). Output stays in the order given; stdin is analysed alone.")
    var jobs = ProcessInfo.processInfo.activeProcessorCount

    @OptionGroup var global: GlobalOptions

    func run() async throws {
        Bootstrap.logging(level: global.logLevel)
        let logger = Logger(label: "snaprate.analyze")
        try models.requireFiles()
        let writer = RecordWriter(format: format)
        writer.writeHeader()
        let pool = HandModelPool(variant: models.variant, models: models.directory, logger: logger)
        try pool.prepare()
        let analysis = FileAnalysis(models: pool, smoothing: smoothing.configuration,
                                    detection: detection.detection, maxDimension: maxDimension, frames: frames, writer: writer, logger: logger)
        let failed: Int
        if jobs <= 1 || paths.count == 1 || paths.contains("-") {
            failed = await analyzeInTurn(analysis)
        } else {
            failed = await analyzeAtOnce(analysis)
        }
        if failed > 0 { throw ExitCode(1) }
    }

    /// One file after another, each line printed as it happens (what a live pipe needs).
    private func analyzeInTurn(_ analysis: FileAnalysis) async -> Int {
        let progress = Progress(total: paths.count)
        var failed = 0
        for (index, path) in paths.enumerated() {
            progress.show(index: index, name: path)
            let ok = await analysis.run(path: path, output: Console.out, warning: { message in
                progress.clear()
                Console.warning(message)
            }, error: { message in
                progress.clear()
                Console.error(message)
            })
            if !ok { failed += 1 }
        }
        progress.clear()
        return failed
    }

    /// Up to `jobs` files at once on the cores, each file's lines held back until the files before
    /// it are printed, so the output is the same as one at a time.
    private func analyzeAtOnce(_ analysis: FileAnalysis) async -> Int {
        let paths = paths, progress = Progress(total: paths.count)
        return await withTaskGroup(of: (Int, FileAnalysis.Collected).self) { group in
            var started = 0, printed = 0, failed = 0
            var finished: [Int: FileAnalysis.Collected] = [:]
            func startNext() {
                guard started < paths.count else { return }
                let index = started, path = paths[index]
                started += 1
                group.addTask { (index, await analysis.collect(path: path)) }
            }
            for _ in 0..<min(jobs, paths.count) { startNext() }
            for await (index, collected) in group {
                finished[index] = collected
                while let ready = finished.removeValue(forKey: printed) {
                    progress.clear()
                    ready.lines.forEach(Console.out)
                    ready.warnings.forEach(Console.warning)
                    if let error = ready.error {
                        Console.error(error)
                        failed += 1
                    }
                    printed += 1
                    if printed < paths.count { progress.show(index: printed, name: paths[printed]) }
                }
                startNext()
            }
            progress.clear()
            return failed
        }
    }
}
