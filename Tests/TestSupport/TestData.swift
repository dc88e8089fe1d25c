import Foundation

/// Where tests find their data: the committed fixtures, the shared gesture set beside the
/// repository (read in place, never copied) and the model cache.
public enum TestData {
    /// The package root, found from this file's own path.
    public static let packageRoot: URL = URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()

    public static let fixtures = packageRoot.appendingPathComponent("Fixtures")

    public static func fixture(_ name: String) -> String {
        fixtures.appendingPathComponent(name).path
    }

    /// `$SNAPRATE_GESTURES`, else `../shared/gestures` from the package root.
    public static let gestures: URL = {
        if let explicit = ProcessInfo.processInfo.environment["SNAPRATE_GESTURES"], !explicit.isEmpty {
            return URL(fileURLWithPath: explicit, isDirectory: true)
        }
        return packageRoot.deletingLastPathComponent().appendingPathComponent("shared/gestures", isDirectory: true)
    }()

    /// True on CI, where missing data is a failure rather than a reason to skip.
    public static let isCI = ProcessInfo.processInfo.environment["CI"] == "true"

    public static var gesturesPresent: Bool {
        FileManager.default.fileExists(atPath: gestures.appendingPathComponent("README.md").path)
    }

    /// Whether a test that needs the shared gesture set should run: always on CI (so that a missing
    /// set fails loudly), elsewhere only when the set is there.
    public static var runGestureTests: Bool { isCI || gesturesPresent }

    /// Throws a clear error when the shared set is missing (reached only on CI, see above).
    public static func requireGestures() throws -> URL {
        guard gesturesPresent else {
            throw MissingTestData(description: "the shared gesture set is missing at \(gestures.path) (set SNAPRATE_GESTURES)")
        }
        return gestures
    }

    /// The `snaprate` executable that `swift test` built beside the test bundle.
    public static var snaprateExecutable: URL {
        let bundle = URL(fileURLWithPath: CommandLine.arguments[0]).deletingLastPathComponent()
        return bundle.appendingPathComponent("snaprate")
    }
}

public struct MissingTestData: Error, CustomStringConvertible {
    public let description: String

    public init(description: String) {
        self.description = description
    }
}
