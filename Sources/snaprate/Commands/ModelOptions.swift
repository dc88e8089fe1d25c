import ArgumentParser
import Foundation
import HandEngine

// ModelVariant is ExpressibleByArgument (declared beside HandsCommand).

/// The model flags every command that runs the hand engine shares.
struct ModelOptions: ParsableArguments {
    @Option(name: .customLong("models"), help: "Model pair: lite (faster) or full.")
    var variant: ModelVariant = .full

    @Option(name: .customLong("model-dir"), help: "Where `snaprate setup` put the models (default: $SNAPRATE_MODELS or ~/.cache/snaprate/models).")
    var folder: String?

    var directory: ModelDirectory {
        folder.map { ModelDirectory(url: URL(fileURLWithPath: $0, isDirectory: true)) } ?? .standard()
    }
}
