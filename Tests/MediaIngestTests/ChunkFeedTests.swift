import Foundation
import MediaIngest
import Testing
import TestSupport

@Suite(.timeLimit(.minutes(15))) struct ChunkFeedTests {
    /// The real Chromium MediaRecorder chunks (200 ms timeslice) in the shared gesture set.
    private func browserChunks() throws -> [[UInt8]] {
        let folder = try TestData.requireGestures().appendingPathComponent("browser/nvpr_vp8")
        let names = try FileManager.default.contentsOfDirectory(atPath: folder.path)
            .filter { $0.hasPrefix("chunk") && $0.hasSuffix(".bin") }.sorted()
        #expect(names.count == 26)
        return try names.map { try bytes(of: folder.appendingPathComponent($0).path) }
    }

    @Test(.enabled(if: TestData.runGestureTests))
    func browserChunksDecodeLikeTheirConcatenationAsAFile() async throws {
        let chunks = try browserChunks()
        let file = FileManager.default.temporaryDirectory.appendingPathComponent("nvpr-\(getpid()).webm")
        try Data(chunks.joined()).write(to: file)
        defer { try? FileManager.default.removeItem(at: file) }

        let asFile = try DecodedClip(source: FileDescriptorSource(path: file.path))
        let asChunks = try await DecodedClip.decode(DecodedFrames(source: ChunkFeed.feeding(chunks, name: "kiosk"),
                                                                   options: DecodeOptions(pixelFormat: .yuv420p)))

        #expect(asFile.times.count == 121)
        #expect(asFile.sizes == ["640x480"])
        #expect(asChunks.times == asFile.times)
        #expect(asChunks.checksums == asFile.checksums)
        #expect(asChunks.counters.decodeErrors == 0)
    }

    @Test func arbitraryChunkBoundariesChangeNothing() async throws {
        let whole = try bytes(of: TestData.fixture("live_vp8.webm"))
        let reference = try DecodedClip(source: FileDescriptorSource(path: TestData.fixture("live_vp8.webm")))
        var generator = SplitMix(seed: 7)
        var chunks: [[UInt8]] = []
        var offset = 0
        while offset < whole.count {
            let size = Int(generator.next() % 3000) + 1
            chunks.append(Array(whole[offset..<min(offset + size, whole.count)]))
            offset += size
        }
        let decoded = try await DecodedClip.decode(DecodedFrames(source: ChunkFeed.feeding(chunks),
                                                                  options: DecodeOptions(pixelFormat: .yuv420p)))
        #expect(decoded.times == reference.times)
        #expect(decoded.checksums == reference.checksums)
    }

    @Test func aStreamJoinedMidwayStartsAtItsNextKeyframe() async throws {
        // Header (everything before the first Cluster), then bytes from the middle of a cluster.
        let whole = try bytes(of: TestData.fixture("live_vp8.webm"))
        let clusterID: [UInt8] = [0x1F, 0x43, 0xB6, 0x75]
        let firstCluster = try #require(firstIndex(of: clusterID, in: whole))
        // A fifth of the way in is past the first keyframe and well before the second (frame 45).
        let joined = Array(whole[..<firstCluster]) + Array(whole[(whole.count / 5)...])
        let decoded = try await DecodedClip.decode(DecodedFrames(source: ChunkFeed.feeding([joined])))
        #expect(decoded.counters.packetsBeforeKeyframe > 0)
        #expect(decoded.keyframes.first == true)
        #expect(decoded.counters.decodeErrors == 0)
        #expect(decoded.times.count == 45)
    }

    @Test func pushWaitsWhileTheBufferIsFull() async throws {
        let feed = ChunkFeed(name: "bounded", capacity: 1000)
        #expect(await feed.push([UInt8](repeating: 1, count: 1500)) == .queued)
        let pushed = Flag()
        let producer = Task {
            await feed.push([2, 3, 4])
            pushed.set()
        }
        try await Task.sleep(for: .milliseconds(100))
        #expect(!pushed.isSet, "push must wait while 1500 bytes over a 1000-byte capacity wait")
        var buffer = [UInt8](repeating: 0, count: 4096)
        let read = buffer.withUnsafeMutableBytes { feed.read(into: $0) }
        #expect(read == .bytes(1500))
        await producer.value
        #expect(pushed.isSet)
        feed.finish()
        #expect(buffer.withUnsafeMutableBytes { feed.read(into: $0) } == .bytes(3))
        #expect(buffer.withUnsafeMutableBytes { feed.read(into: $0) } == .end)
    }

    @Test func closingTheReaderReleasesProducers() async throws {
        let feed = ChunkFeed(name: "closed", capacity: 10)
        #expect(await feed.push([UInt8](repeating: 0, count: 20)) == .queued)
        let producer = Task { await feed.push([1]) }
        try await Task.sleep(for: .milliseconds(50))
        feed.close()
        #expect(await producer.value == .closed)
    }

    @Test func aChunkOverTheLimitEndsTheFeedAfterWhatWasQueued() async throws {
        let feed = ChunkFeed(name: "limited", maxChunkSize: 100)
        #expect(await feed.push([UInt8](repeating: 7, count: 100)) == .queued)
        let refusal = "a chunk of 101 bytes is over the 100-byte chunk limit"
        #expect(await feed.push([UInt8](repeating: 7, count: 101)) == .refused(refusal))
        #expect(await feed.push([1]) == .closed)
        var buffer = [UInt8](repeating: 0, count: 4096)
        // A refusal is a limit broken: what waited is dropped, the reader hears why at once.
        #expect(buffer.withUnsafeMutableBytes { feed.read(into: $0) } == .failure(refusal))
        #expect(!feed.timedOut)
    }

    @Test func aReaderThatWaitsPastTheIdleTimeoutEndsTheFeed() async throws {
        let feed = ChunkFeed(name: "quiet", idleTimeout: .milliseconds(200))
        #expect(await feed.push([1, 2, 3]) == .queued)
        var buffer = [UInt8](repeating: 0, count: 16)
        #expect(buffer.withUnsafeMutableBytes { feed.read(into: $0) } == .bytes(3))
        #expect(buffer.withUnsafeMutableBytes { feed.read(into: $0) } == .failure("no bytes for 0.2 s (idle timeout)"))
        #expect(feed.timedOut)
        #expect(await feed.push([4]) == .closed, "a feed that timed out takes nothing more")
    }

    @Test func aTimedOutSourceIsAnErrorBeforeTheHeaderAndAnEarlyEndAfterIt() async throws {
        let silent = ChunkFeed(name: "silent", idleTimeout: .milliseconds(100))
        #expect(throws: MediaError(source: "silent", reason: "no bytes for 0.1 s (idle timeout)")) {
            _ = try MediaDecoder(source: silent)
        }
        let whole = try bytes(of: TestData.fixture("live_vp8.webm"))
        let quiet = ChunkFeed(name: "quiet", idleTimeout: .milliseconds(100))
        #expect(await quiet.push(Array(whole.prefix(60_000))) == .queued)
        let clip = try await DecodedClip.decode(DecodedFrames(source: quiet))
        #expect(clip.times.count > 0)
        #expect(clip.counters.endedEarly == "no bytes for 0.1 s (idle timeout)")
    }

    private func firstIndex(of needle: [UInt8], in haystack: [UInt8]) -> Int? {
        guard haystack.count >= needle.count else { return nil }
        return (0...(haystack.count - needle.count)).first { haystack[$0..<$0 + needle.count].elementsEqual(needle) }
    }
}

/// A tiny deterministic generator, so a failing split can be replayed.
struct SplitMix {
    var state: UInt64
    init(seed: UInt64) { state = seed }
    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }
}

final class Flag: @unchecked Sendable {
    private let lock = NSLock()
    private var value = false
    var isSet: Bool { lock.withLock { value } }
    func set() { lock.withLock { value = true } }
}
