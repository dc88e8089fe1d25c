import Foundation
@testable import SnapRateServer
import Testing
import TestSupport

/// A header cut across chunks through a real socket (`ContainerSnifferTests` has the sniffer on
/// its own): the shared Chromium recording, its first chunk cut after one byte, is rated exactly
/// as the recording itself.
@Suite(.timeLimit(.minutes(15)), .enabled(if: TestData.runGestureTests)) struct IngestHeaderTests {
    @Test func aFirstChunkOfOneByteStillMakesAStream() async throws {
        let chunks = try Clips.browserChunks()
        let folder = try Clips.temporaryFolder()
        defer { try? FileManager.default.removeItem(at: folder) }
        let expected = try await Clips.analyzedBrowserChunks(chunks, in: folder)
        let first = try #require(chunks.first)
        let split = [first.prefix(1), first.dropFirst()] + chunks.dropFirst()

        let server = try ServeProcess(store: folder.appendingPathComponent("split.sqlite").path)
        let (log, close) = try await SocketClients.ingest("\(server.webSocketURL)/ingest/split", chunks: split.map { Data($0) })
        #expect(close == .normalClosure)
        #expect(!log.all.contains { $0.type == "error" }, "\(log.all.compactMap(\.message))")
        #expect(log.ratings.compactMap(\.expected) == expected)
        #expect(server.terminate() == 0, "\(server.stderr)")
    }
}
