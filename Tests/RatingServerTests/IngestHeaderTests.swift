import Foundation
@testable import RatingServer
import Testing
import TestSupport

/// Chunk boundaries fall anywhere, the EBML header too: Chromium's MediaRecorder has been seen to
/// send a first chunk of one byte. Whether a stream is WebM is decided on its first four bytes.
@Suite(.timeLimit(.minutes(15))) struct EBMLHeaderCheckTests {
    @Test func aHeaderSplitAcrossChunksPassesWholeAndInOrder() {
        var check = EBMLHeaderCheck()
        #expect(check.admit([0x1A]) == .undecided)
        #expect(check.admit([]) == .undecided)
        #expect(check.admit([0x45, 0xDF]) == .undecided)
        #expect(check.admit([0xA3, 0x9F, 0x42]) == .pass([0x1A, 0x45, 0xDF, 0xA3, 0x9F, 0x42]))
        #expect(check.admit([0x00]) == .pass([0x00]), "after the header anything goes on as it came")
        #expect(check.finish() == nil)
    }

    @Test func otherBytesAreRefusedNamingWhatTheyStartWith() {
        var check = EBMLHeaderCheck()
        #expect(check.admit([0x49, 0x44]) == .undecided)
        #expect(check.admit([0x33, 0x04, 0x00]) == .refuse("not a WebM stream (it starts 49 44 33 04, not with an EBML header)"))
        var short = EBMLHeaderCheck()
        #expect(short.admit([0x1A, 0x45]) == .undecided)
        #expect(short.finish() == "not a WebM stream (it ended after 2 bytes)")
        #expect(EBMLHeaderCheck().finish() == nil, "no bytes at all is the decoder's to report")
    }
}

/// The same through a real socket: the shared Chromium recording, its first chunk cut after one
/// byte, is rated exactly as the recording itself.
@Suite(.timeLimit(.minutes(15)), .enabled(if: TestData.runGestureTests)) struct IngestHeaderTests {
    @Test func aFirstChunkOfOneByteStillMakesAStream() async throws {
        let chunks = try Clips.browserChunks()
        let folder = try Clips.temporaryFolder()
        defer { try? FileManager.default.removeItem(at: folder) }
        let expected = try Clips.analyzedBrowserChunks(chunks, in: folder)
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
