import ArgumentParser
import Foundation
import HandEngine

struct SetupCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "setup",
        abstract: "Fetch MediaPipe's hand models into the model cache and check their sha256.",
        discussion: """
        The four .tflite files ship inside the PyPI wheel mediapipe==0.10.21 (Apache-2.0). They are
        fetched once with pip into $SNAPRATE_MODELS (default ~/.cache/snaprate/models), never into
        the repository. Files already there with the right sha256 are kept.
        """
    )

    @Option(help: "Use this mediapipe-0.10.21 wheel instead of downloading it (for machines offline).")
    var wheel: String?

    @Option(help: "The model folder (default: $SNAPRATE_MODELS or ~/.cache/snaprate/models).")
    var models: String?

    func run() async throws {
        let directory = models.map { ModelDirectory(url: URL(fileURLWithPath: $0, isDirectory: true)) } ?? .standard()
        let installer = ModelInstaller(directory: directory)
        do {
            let report = try installer.install(wheel: wheel.map { URL(fileURLWithPath: $0) })
            for line in report { print(line) }
            print("models ready in \(directory.url.path)")
        } catch {
            Console.error("setup: \(error)")
            throw ExitCode(1)
        }
    }
}
