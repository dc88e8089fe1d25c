import Foundation

/// A clip looped for a load test's length, once, as a WebM file of clusters of at most 200 ms
/// (a MediaRecorder's timeslice): the bytes every stream of that clip sends, paced by the
/// clusters' media times, and the bytes the expected ratings are computed from.
///
/// One ffmpeg run per clip rather than one ffmpeg process pacing each stream: at a venue's 48
/// streams those processes took about a quarter of a core of the two the server is measured on.
struct LoopedClip: Sendable {
    let clip: String
    /// The looped file, removed by `remove()`.
    let path: String
    let bytes: Data
    let clusters: WebMClusters

    /// Loops `clip` for `seconds` with `ffmpeg` (packets copied, timestamps running on across loops).
    static func make(clip: String, seconds: Double, ffmpeg: String) async throws -> LoopedClip {
        let path = FileManager.default.temporaryDirectory
            .appendingPathComponent("snaprate-loadtest-\(UUID().uuidString).webm").path
        try await run(ffmpeg, ["-nostdin", "-v", "error", "-y", "-stream_loop", "-1", "-i", clip, "-c", "copy",
                               "-t", String(format: "%.3f", seconds), "-f", "webm", "-cluster_time_limit", "200", path])
        do {
            let bytes = try Data(contentsOf: URL(fileURLWithPath: path))
            return LoopedClip(clip: clip, path: path, bytes: bytes, clusters: try WebMClusters(bytes))
        } catch {
            try? FileManager.default.removeItem(atPath: path)
            throw HTTPProbe.Failure(description: "\(clip) looped: \(error)")
        }
    }

    func remove() {
        try? FileManager.default.removeItem(atPath: path)
    }

    /// When each cluster is handed over, in media seconds from the first: when the next one
    /// begins, as a recorder hands over a chunk at the end of its timeslice (the last one 200 ms
    /// after it begins).
    var handovers: [(bytes: Range<Int>, due: Double)] {
        let list = clusters.clusters
        guard let origin = list.first?.start else { return [] }
        return list.indices.map { index in
            let end = index + 1 < list.count ? list[index + 1].start : list[index].start + 0.2
            let range = index == 0 ? clusters.header.lowerBound..<list[index].bytes.upperBound : list[index].bytes
            return (range, end - origin)
        }
    }

    private static func run(_ ffmpeg: String, _ arguments: [String]) async throws {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: ffmpeg)
        process.arguments = arguments
        let finished = AsyncStream<Int32> { continuation in
            process.terminationHandler = { continuation.yield($0.terminationStatus); continuation.finish() }
        }
        try process.run()
        for await status in finished where status != 0 {
            throw HTTPProbe.Failure(description: "\(ffmpeg) could not loop the clip (exit status \(status))")
        }
    }
}
