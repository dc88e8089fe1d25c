import Foundation

/// The folder that holds the model files, outside git: `$SNAPRATE_MODELS`, else
/// `$XDG_CACHE_HOME/snaprate/models`, else `~/.cache/snaprate/models`.
public struct ModelDirectory: Sendable {
    public let url: URL

    public init(url: URL) {
        self.url = url
    }

    public static func standard(environment: [String: String] = ProcessInfo.processInfo.environment) -> ModelDirectory {
        if let explicit = environment["SNAPRATE_MODELS"], !explicit.isEmpty {
            return ModelDirectory(url: URL(fileURLWithPath: explicit, isDirectory: true))
        }
        let cache = environment["XDG_CACHE_HOME"].flatMap { $0.isEmpty ? nil : $0 }
            ?? (NSHomeDirectory() as NSString).appendingPathComponent(".cache")
        return ModelDirectory(url: URL(fileURLWithPath: cache, isDirectory: true)
            .appendingPathComponent("snaprate/models", isDirectory: true))
    }

    public func path(of file: ModelFile) -> URL {
        url.appendingPathComponent(file.rawValue)
    }

    /// The file's URL, or an error that tells the user how to fetch it.
    public func require(_ file: ModelFile) throws -> URL {
        let path = path(of: file)
        guard FileManager.default.isReadableFile(atPath: path.path) else {
            throw ModelMissing(file: file, directory: url)
        }
        return path
    }
}

public struct ModelMissing: Error, CustomStringConvertible {
    public let file: ModelFile
    public let directory: URL

    public var description: String {
        "model \(file.rawValue) is not in \(directory.path): run `snaprate setup` to fetch it"
    }
}
