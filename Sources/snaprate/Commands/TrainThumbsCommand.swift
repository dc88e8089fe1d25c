import ArgumentParser
import Foundation
import HandEngine
import Logging
import ThumbRating

/// `snaprate train-thumbs`: fits the thumb-shape model on a labelled photo set and writes it as the
/// Swift source SnapRate compiles in (`Sources/ThumbRating/ThumbShapeModel+Standard.swift`).
struct TrainThumbsCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "train-thumbs",
        abstract: "Fit the thumb-shape model on labelled photos and write it as Swift source.",
        discussion: """
        DIR is laid out as for `eval`. The hands are found with both model variants (lite and full),
        so the one model serves both; the recipe (samples, jitter, weights) is the one `eval` uses
        for its leave-one-source-out refits. Judge a change with `snaprate eval`, not with this
        fit's own figures.
        """
    )

    @Argument(help: "The data set folder.")
    var directory: String

    @Option(help: "Where to write the model's Swift source.")
    var out = "Sources/ThumbRating/ThumbShapeModel+Standard.swift"

    @Option(help: "Folder with the model files (default: $SNAPRATE_MODELS or ~/.cache/snaprate/models).")
    var modelDir: String?

    @OptionGroup var global: GlobalOptions

    func run() async throws {
        Bootstrap.logging(level: global.logLevel)
        let logger = Logger(label: "snaprate.train-thumbs")
        let directory = modelDir.map { ModelDirectory(url: URL(fileURLWithPath: $0, isDirectory: true)) } ?? .standard()
        let dataSet = try GestureDataSet(root: URL(fileURLWithPath: self.directory, isDirectory: true))
        var observations: [Evaluator.Observation] = []
        for variant in ModelVariant.allCases {
            for file in [ModelFile.palm(variant), .landmark(variant)] { _ = try directory.require(file) }
            let evaluator = Evaluator(variant: variant, models: directory, logger: logger)
            observations += try await evaluator.observePhotos(dataSet.photos, variants: [.asIs])
        }
        guard let model = ThumbTraining().fit(observations) else {
            Console.error("\(self.directory): no hands found in both thumb photos and other photos; nothing to learn from")
            throw ExitCode(1)
        }
        try Self.source(of: model, photos: dataSet.photos.count).write(toFile: out, atomically: true, encoding: .utf8)
        Console.out("wrote \(out): \(HandPose.featureCount) weights from \(dataSet.photos.count) photos seen by lite and full")
    }

    static func source(of model: ThumbShapeModel, photos: Int) -> String {
        func list(_ values: [Float]) -> String {
            values.map { String(format: "%.6g", $0) }.joined(separator: ", ")
        }
        return """
        // Written by `snaprate train-thumbs` from \(photos) labelled photos; do not edit by hand.
        extension ThumbShapeModel {
            public static let standard = ThumbShapeModel(
                mean: [\(list(model.mean))],
                scale: [\(list(model.scale))],
                weights: [\(list(model.weights))],
                bias: \(String(format: "%.6g", model.bias)))
        }

        """
    }
}
