import ArgumentParser
import StreamRating

/// Which pictures are searched for hands, for the commands that rate streams.
struct DetectionOptions: ParsableArguments {
    enum Mode: String, ExpressibleByArgument, CaseIterable {
        /// Every picture while a hand is tracked; with none, when the scene changes (`SceneGate`).
        case scene
        /// Every picture, whatever it shows: the way to compare against.
        case everyFrame = "every-frame"
    }

    @Option(name: .customLong("detect"),
            help: "scene: with no hand tracked, search pictures only as the scene changes (a still one now and then); every-frame: search every picture.")
    var mode: Mode = .scene

    var detection: Detection {
        switch mode {
        case .scene: .followingScene(SceneGate.Configuration())
        case .everyFrame: .everyFrame
        }
    }
}
