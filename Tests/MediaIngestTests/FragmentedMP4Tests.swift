import Foundation
import MediaIngest
import Testing
import TestSupport

/// Safari records only fragmented MP4 (H.264, with AAC when there is sound): it must decode
/// through the non-seekable bridge, chunk by chunk, exactly as the same bytes read as a file,
/// with the audio track present but never decoded.
@Suite(.timeLimit(.minutes(15))) struct FragmentedMP4Tests {
    @Test func chunksAtRandomBoundariesDecodeLikeTheFile() async throws {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("snaprate-fmp4-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: folder) }
        let file = try await FragmentedMP4.make(from: TestData.fixture("vp8_640x480.webm"), into: folder)
        let whole = [UInt8](try Data(contentsOf: file))

        let asFile = try DecodedClip(source: FileDescriptorSource(path: file.path))
        #expect(asFile.info.codec == "h264")
        #expect(asFile.info.container.contains("mp4"), "\(asFile.info.container)")
        #expect(asFile.times.count == 150)
        #expect(asFile.sizes == ["640x480"])
        #expect(asFile.counters.decodeErrors == 0 && asFile.counters.endedEarly == nil)

        for seed: UInt64 in [1, 2, 3] {
            let chunks = FragmentedMP4.chunks(of: whole, seed: seed)
            let asChunks = try await DecodedClip.decode(DecodedFrames(source: ChunkFeed.feeding(chunks, name: "safari"),
                                                                       options: DecodeOptions(pixelFormat: .yuv420p)))
            #expect(asChunks.info.codec == "h264")
            #expect(asChunks.times == asFile.times, "seed \(seed): \(chunks.count) chunks")
            #expect(asChunks.checksums == asFile.checksums, "seed \(seed)")
            #expect(asChunks.counters.decodeErrors == 0 && asChunks.counters.endedEarly == nil)
        }
    }
}
