import Foundation

/// A rating as compared between `analyze` and the server: media times to the millisecond.
public struct ExpectedRating: Sendable, Equatable, CustomStringConvertible {
    public var rating: String
    public var time: Double

    public init(rating: String, time: Double) {
        self.rating = rating
        self.time = time
    }

    public static func == (lhs: Self, rhs: Self) -> Bool {
        lhs.rating == rhs.rating && abs(lhs.time - rhs.time) <= 0.0011
    }

    public var description: String { "\(rating)@\(time)" }
}

public enum Analyze {
    /// The ratings `snaprate analyze --models lite` prints for a file (run off the cooperative
    /// threads, `ProgramRun`: a whole analysis under the full test run's load would hold one).
    public static func ratings(of path: String) async throws -> [ExpectedRating] {
        let run = try await ProgramRun.run(TestData.snaprateExecutable, ["analyze", "--models", "lite", path])
        guard run.status == 0 else {
            throw MissingTestData(description: "analyze \(path) failed with \(run.status)")
        }
        return run.output.split(separator: "\n").compactMap { line in
            guard let object = try? JSONSerialization.jsonObject(with: Data(line.utf8)) as? [String: Any],
                  object["type"] as? String == "rating",
                  let rating = object["rating"] as? String, let time = object["time"] as? Double else { return nil }
            return ExpectedRating(rating: rating, time: time)
        }
    }
}

public enum Clips {
    public static func clip(_ name: String) throws -> String {
        try TestData.requireGestures().appendingPathComponent("clips/\(name)").path
    }

    public static func browserChunks() throws -> [Data] {
        let folder = try TestData.requireGestures().appendingPathComponent("browser/nvpr_vp8")
        let names = try FileManager.default.contentsOfDirectory(atPath: folder.path)
            .filter { $0.hasPrefix("chunk") && $0.hasSuffix(".bin") }.sorted()
        return try names.map { try Data(contentsOf: folder.appendingPathComponent($0)) }
    }

    /// What `analyze` rates in the browser chunks joined into one file (written into `folder`):
    /// what `serve` must produce from the same chunks sent one by one.
    public static func analyzedBrowserChunks(_ chunks: [Data], in folder: URL) async throws -> [ExpectedRating] {
        let joined = folder.appendingPathComponent("joined.webm")
        try chunks.reduce(Data(), +).write(to: joined)
        return try await Analyze.ratings(of: joined.path)
    }

    public static func temporaryFolder() throws -> URL {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("snaprate-serve-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        return folder
    }
}
