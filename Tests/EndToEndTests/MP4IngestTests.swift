import Foundation
import Testing
import TestSupport

/// Safari's MediaRecorder records fragmented MP4 (H.264 and AAC), never WebM. The shared gesture
/// clip, made into such a file at test time, is rated over `WS /ingest/{kiosk}` (cut into
/// MediaRecorder-sized chunks at random places) and on `serve --stdin` exactly as `snaprate
/// analyze` rates the file.
@Suite(.timeLimit(.minutes(15)), .enabled(if: TestData.runGestureTests), .serialized) struct MP4IngestTests {
    static let clipName = "nvpr_down_up_down.webm"

    /// The fragmented MP4 in a fresh folder (removed by the caller) and what `analyze` rates in it.
    private static func safariRecording() async throws -> (folder: URL, file: URL, expected: [ExpectedRating]) {
        let folder = try Clips.temporaryFolder()
        let file = try await FragmentedMP4.make(from: try Clips.clip(clipName), into: folder)
        let expected = try await Analyze.ratings(of: file.path)
        try #require(expected.count >= 2, "the clip should hold several ratings: \(expected)")
        return (folder, file, expected)
    }

    @Test(arguments: [11, 12] as [UInt64])
    func chunksOverTheIngestSocketAreRatedAsAnalyzeRatesTheFile(seed: UInt64) async throws {
        let (folder, file, expected) = try await Self.safariRecording()
        defer { try? FileManager.default.removeItem(at: folder) }
        let chunks = FragmentedMP4.chunks(of: [UInt8](try Data(contentsOf: file)), seed: seed)

        let server = try ServeProcess(store: folder.appendingPathComponent("mp4.sqlite").path)
        let (log, close) = try await SocketClients.ingest("\(server.webSocketURL)/ingest/safari", chunks: chunks.map { Data($0) })
        #expect(close == .normalClosure)
        #expect(!log.all.contains { $0.type == "error" }, "\(log.all.compactMap(\.message))")
        #expect(log.ratings.compactMap(\.expected) == expected, "\(chunks.count) chunks")
        let sessions = try await SocketClients.endedSessions(server.baseURL, kiosk: "safari")
        #expect(sessions.first?["end_reason"] as? String == "finished")
        #expect(sessions.first?["decode_errors"] as? Int == 0)
        #expect(server.terminate() == 0, "\(server.stderr)")
    }

    @Test func aStreamOnStandardInputIsRatedAsAnalyzeRatesTheFile() async throws {
        let (folder, file, expected) = try await Self.safariRecording()
        defer { try? FileManager.default.removeItem(at: folder) }
        let server = try ServeProcess(store: folder.appendingPathComponent("stdin.sqlite").path, arguments: ["--stdin", "mp4-pipe"])
        let count = expected.count
        async let subscribed = SocketClients.subscribe("\(server.webSocketURL)/ws?kiosk=mp4-pipe&since=0") {
            $0.ratings.count >= count
        }
        server.feedStdin(try Data(contentsOf: file))
        #expect(try await subscribed.ratings.compactMap(\.expected) == expected)
        let sessions = try await SocketClients.endedSessions(server.baseURL, kiosk: "mp4-pipe")
        #expect(sessions.first?["end_reason"] as? String == "finished")
        #expect(server.terminate() == 0, "\(server.stderr)")
    }
}
