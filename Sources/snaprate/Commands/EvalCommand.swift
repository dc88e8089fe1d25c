import ArgumentParser
import Foundation
import HandEngine
import Logging
import MediaIngest
import SnapRateCore
import ThumbRating

struct EvalCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "eval",
        abstract: "Score SnapRate on a data set of labelled photos and clips, leaving each source out in turn.",
        discussion: """
        DIR holds photos in images/{up,down,none}/ (each scored as one frame, without smoothing) and
        clips clips/NAME.webm with clips/NAME.json holding "expected_ratings". A file name's prefix
        before its first `_` names its source. The thumb-shape model is refitted once per source
        without that source's photos and scores them (and clips of the same source): those
        leave-one-source-out figures are the ones printed in full, per class and per source, with
        each clip's expected and produced ratings. The last line is `macro-F1 0.XXX clips N/M`.

        --robustness scores the same photos and clips changed in memory (rotated by 20 degrees
        either way, mirrored, dark and noisy, the visitor 2 and 3 times further away), one line each.
        """
    )

    @Argument(help: "The data set folder.")
    var directory: String

    @OptionGroup var models: ModelOptions

    @Flag(help: "Also score the photos and clips rotated, mirrored, darkened and farther away.")
    var robustness = false

    @Option(name: .customLong("variant"), help: "Score only this picture variant besides the pictures as they are (repeatable; implies --robustness).")
    var onlyVariants: [PictureVariant] = []

    @Option(help: "Exit with status 1 when the leave-one-source-out macro-F1 is below this.")
    var minF1: Double?

    @Option(help: "With --robustness, exit with status 1 when any variant's macro-F1 is below this.")
    var minVariantF1: Double?

    @OptionGroup var detection: DetectionOptions

    @Flag(help: "Also rate the clips with every frame searched, and show per variant whether --detect's ratings are the same and how much later they come.")
    var compareDetection = false

    @Flag(help: "List every photo classified wrongly and every clip that did not match.")
    var listErrors = false

    @OptionGroup var global: GlobalOptions

    func run() async throws {
        Bootstrap.logging(level: global.logLevel)
        let logger = Logger(label: "snaprate.eval")
        try models.requireFiles()
        let dataSet = try GestureDataSet(root: URL(fileURLWithPath: directory, isDirectory: true))
        let evaluator = Evaluator(variant: models.variant, models: models.directory, detection: detection.detection,
                                  logger: logger)
        let variants = !onlyVariants.isEmpty ? [.asIs] + onlyVariants.filter { $0 != .asIs }
            : (robustness ? PictureVariant.allCases : [.asIs])
        let observations = try await evaluator.observePhotos(dataSet.photos, variants: variants)

        let training = ThumbTraining()
        let committed = ThumbClassifier()
        var folds: [String: ThumbClassifier] = [:]
        for source in Set(dataSet.photos.map(\.source)) {
            guard let shape = training.fit(observations, leavingOut: source) else {
                Console.warning("\(source): the other sources hold too few labelled hands to fit a model without it; scored by the committed model")
                continue
            }
            folds[source] = ThumbClassifier(configuration: .init(shape: shape))
        }
        // A clip whose people appear in no photo was never trained on: the committed model is its fold.
        let foldBySource = folds
        let heldOutClassifier = { @Sendable (source: String) in foldBySource[source] ?? committed }

        func verdicts(_ variant: PictureVariant, _ classifier: (String) -> ThumbClassifier) -> [PhotoVerdict] {
            observations.filter { $0.variant == variant }.map { observation in
                let frame = classifier(observation.photo.source).classify(observation.hands, width: observation.width, height: observation.height)
                return PhotoVerdict(observation: observation, predicted: observation.error == nil ? frame.thumb : .none)
            }
        }
        let trained = VariantScore(variant: .asIs, photos: verdicts(.asIs) { _ in committed },
                                   clips: try await evaluator.scoreClips(dataSet.clips, variant: .asIs) { _ in committed })
        var heldOut: [VariantScore] = []
        for variant in variants {
            let clips = try await evaluator.scoreClips(dataSet.clips, variant: variant) { heldOutClassifier($0.source) }
            heldOut.append(VariantScore(variant: variant, photos: verdicts(variant, heldOutClassifier), clips: clips))
        }
        let report = EvaluationReport(variant: models.variant, trained: trained, heldOut: heldOut)
        for line in report.lines(listErrors: listErrors) { Console.out(line) }
        if compareDetection {
            var reference = evaluator
            reference.detection = .everyFrame
            Console.out("")
            Console.out("--detect \(detection.mode.rawValue) against every frame searched: clips with the same ratings, and the latest one's delay (media s)")
            for score in heldOut {
                let everyFrame = try await reference.scoreClips(dataSet.clips, variant: score.variant) { heldOutClassifier($0.source) }
                Console.out(DetectionComparison(variant: score.variant, compared: score.clips, reference: everyFrame).line)
            }
        }
        if let minF1, report.headline.matrix.macroF1 < minF1 {
            Console.error("macro-F1 \(String(format: "%.3f", report.headline.matrix.macroF1)) is below --min-f1 \(minF1)")
            throw ExitCode(1)
        }
        if let minVariantF1, let worst = heldOut.min(by: { $0.matrix.macroF1 < $1.matrix.macroF1 }), worst.matrix.macroF1 < minVariantF1 {
            Console.error("\(worst.variant.rawValue): macro-F1 \(String(format: "%.3f", worst.matrix.macroF1)) is below --min-variant-f1 \(minVariantF1)")
            throw ExitCode(1)
        }
    }
}
