import Foundation
import Testing
import TestSupport

extension IngestFuzzTests {
    /// Safari's fragmented MP4 reaches the mov demuxer from the network: a fragmented MP4 made at
    /// test time (its first three fragments), bent by the generic fuzz mutations (a quarter of
    /// `SNAPRATE_FUZZ_WS_COUNT`) and by each lie `MP4Boxes` tells in a box header, over real
    /// WebSockets to a real daemon, with the same checks as the WebM cases.
    @Test func mutatedMP4StreamsOverWebSocketsEndCleanlyAndTheDaemonStaysUp() async throws {
        let folder = try Clips.temporaryFolder()
        defer { try? FileManager.default.removeItem(at: folder) }
        let file = try FragmentedMP4.make(from: TestData.fixture("vp8_640x480.webm"), into: folder)
        let whole = [UInt8](try Data(contentsOf: file))
        let fourthFragment = MP4Boxes.offsets(of: "moof", in: whole).dropFirst(3).first ?? whole.count
        let seed = FuzzSeed(name: "fragmented.mp4", bytes: Array(whole[..<fourthFragment]), isClip: true)

        let mutated = FuzzCorpus.cases(count: Self.webSocketCount / 4, seeds: [seed])
        let lies = MP4Boxes.lies(in: seed.bytes).enumerated().map { index, lie in
            FuzzCase(index: mutated.count + index, recipe: "\(seed.name): \(lie.recipe)", bytes: lie.bytes,
                     isIntactClip: false, chunkSeed: UInt64(index))
        }
        try await Self.send(mutated + lies, store: folder.appendingPathComponent("fuzz-mp4.sqlite"),
                            report: FuzzReport(path: "websocket mp4"))
    }
}
