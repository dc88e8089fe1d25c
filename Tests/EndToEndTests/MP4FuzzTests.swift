import Foundation
import NIOWebSocket
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
        let file = try await FragmentedMP4.make(from: TestData.fixture("vp8_640x480.webm"), into: folder)
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

    /// The crafted stream that makes FFmpeg's mov demuxer fill a sample index of about 1.9 GB: the
    /// first fragment's trun has no per-sample fields and declares 75 million samples in a stream
    /// of about 50 KB (and the other sample-count lies). `MP4BoxWalker` refuses each before the
    /// demuxer sees the moof: one line naming the stream and the rule, a close, and the daemon
    /// goes on near its idle size.
    @Test(arguments: ["trun of \(MP4Boxes.bareTrunSamples) samples and no per-sample fields",
                      "trun of 268435455 samples", "trun of 4294967295 samples"])
    func aTrunDeclaringMoreSamplesThanTheStreamHasBytesIsRefused(recipe: String) async throws {
        let folder = try Clips.temporaryFolder()
        defer { try? FileManager.default.removeItem(at: folder) }
        let file = try await FragmentedMP4.make(from: TestData.fixture("vp8_640x480.webm"), into: folder)
        let whole = [UInt8](try Data(contentsOf: file))
        let fourthFragment = MP4Boxes.offsets(of: "moof", in: whole).dropFirst(3).first ?? whole.count
        let lie = try #require(MP4Boxes.lies(in: Array(whole[..<fourthFragment])).first { $0.recipe == recipe })

        let server = try ServeProcess(store: folder.appendingPathComponent("trun.sqlite").path, detectsEveryFrame: false)
        let socket = HeldSocket("\(server.webSocketURL)/ingest/crafted",
                                chunks: FragmentedMP4.chunks(of: lie.bytes, seed: 7).map { Data($0) }, sayEnd: true)
        let close = try await socket.closed()
        #expect(close == .unacceptableData)
        #expect(socket.errors.count == 1, "\(socket.errors)")
        let message = socket.errors.first ?? ""
        #expect(message.hasPrefix("ws:crafted: its trun boxes declare "), "\(message)")
        #expect(message.hasSuffix("more than one a byte (MP4 sample limit)"), "\(message)")
        let (status, _) = try await SocketClients.get("\(server.baseURL)/api/summary")
        #expect(status == 200)
        // The demuxer never saw the trun: the daemon stays near its idle size (about 90 MB).
        let peak = ProcessMemory.peak(pid: server.process.processIdentifier) ?? 0
        print("\(recipe): \(lie.bytes.count) bytes, daemon peak resident \(ProcessMemory.megabytes(peak))")
        #expect(peak < 256 << 20, "the daemon's peak resident memory: \(ProcessMemory.megabytes(peak))")
        #expect(await server.stop() == 0, "\(server.stderr.suffix(2000))")
    }
}
