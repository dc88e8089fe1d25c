import ArgumentParser
import Foundation
import HandEngine

extension ModelVariant: ExpressibleByArgument {}

/// The model flags every command that runs the hand engine shares.
struct ModelOptions: ParsableArguments {
    @Option(name: .customLong("models"), help: "Model pair: lite (default: as accurate on the gesture set and twice as fast) or full.")
    var variant: ModelVariant = .standard

    @Option(name: .customLong("model-dir"), help: "Where `snaprate setup` put the models (default: $SNAPRATE_MODELS or ~/.cache/snaprate/models).")
    var folder: String?

    var directory: ModelDirectory {
        folder.map { ModelDirectory(url: URL(fileURLWithPath: $0, isDirectory: true)) } ?? .standard()
    }

    /// Exits with a one-line message naming `snaprate setup` when either model of the variant is
    /// missing, before any source is read.
    func requireFiles() throws(ExitCode) {
        do {
            _ = try directory.require(.palm(variant))
            _ = try directory.require(.landmark(variant))
        } catch {
            Console.error("\(error)")
            throw ExitCode(1)
        }
    }
}
