import ArgumentParser
import Foundation
import HandEngine
import Logging
import MediaIngest
import Rating

struct EvalCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "eval",
        abstract: "Score SnapRate on a data set of labelled photos and clips.",
        discussion: """
        DIR holds photos in images/{up,down,none}/ (each scored as one frame, without smoothing) and
        clips clips/NAME.webm with clips/NAME.json holding "expected_ratings". Prints the confusion
        matrix, precision, recall and F1 per class, and each clip's expected and produced ratings;
        the last line is `macro-F1 0.XXX clips N/M`.
        """
    )

    @Argument(help: "The data set folder.")
    var directory: String

    @OptionGroup var models: ModelOptions

    @Option(help: "Exit with status 1 when macro-F1 is below this.")
    var minF1: Double?

    @Flag(help: "List every photo classified wrongly and every clip that did not match.")
    var listErrors = false

    @OptionGroup var global: GlobalOptions

    func run() async throws {
        Bootstrap.logging(level: global.logLevel)
        let logger = Logger(label: "snaprate.eval")
        try models.requireFiles()
        let dataSet = try GestureDataSet(root: URL(fileURLWithPath: directory, isDirectory: true))
        let evaluator = Evaluator(variant: models.variant, models: models.directory, logger: logger)
        let photos = try await evaluator.scorePhotos(dataSet.photos)
        let clips = try await evaluator.scoreClips(dataSet.clips)
        let report = EvaluationReport(variant: models.variant, photos: photos, clips: clips)
        for line in report.lines(listErrors: listErrors) { Console.out(line) }
        if let minF1, report.matrix.macroF1 < minF1 {
            Console.error("macro-F1 \(String(format: "%.3f", report.matrix.macroF1)) is below --min-f1 \(minF1)")
            throw ExitCode(1)
        }
    }
}
