import Foundation
import HandEngine
import Testing
import TestSupport

/// Whether the parity tests can run, and their inputs. On CI (`CI=true`) they always run, so a
/// missing gesture set or missing models fails; elsewhere they are skipped.
enum ParityEnvironment {
    static var modelsPresent: Bool {
        let models = ModelDirectory.standard()
        return ModelFile.allCases.allSatisfy { (try? models.require($0)) != nil }
    }

    static var shouldRun: Bool { TestData.isCI || (TestData.gesturesPresent && modelsPresent) }

    static let skipReason: Comment = """
        needs the shared gesture set (\(TestData.gestures.path), or $SNAPRATE_GESTURES) and the models \
        (run `snaprate setup`)
        """

    /// Every photo of the set, as "label/file" paths relative to `images/`, sorted.
    static func photos(in gestures: URL) throws -> [String] {
        let images = gestures.appendingPathComponent("images")
        var photos: [String] = []
        for label in ["up", "down", "none"] {
            let names = try FileManager.default.contentsOfDirectory(atPath: images.appendingPathComponent(label).path)
            photos += names.filter { !$0.hasPrefix(".") }.map { "\(label)/\($0)" }
        }
        return photos.sorted()
    }
}

/// The parity suites, one after another. Each runs the models synchronously for minutes on one of
/// the test process's two cooperative threads; several at once left none for the other suites'
/// async work, and in the full run their daemons' clients timed out waiting.
@Suite(.serialized) struct ParityRuns {}
