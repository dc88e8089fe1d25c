import Foundation
import MediaIngest

/// Decodes a whole source synchronously: the frames' times, sizes and a checksum of their pixels.
struct DecodedClip {
    var info: StreamInfo
    var times: [Double] = []
    var sizes: Set<String> = []
    var checksums: [UInt64] = []
    var keyframes: [Bool] = []
    var counters = DecodeCounters()

    init(source: ByteSource, options: DecodeOptions = DecodeOptions(pixelFormat: .yuv420p)) throws {
        let decoder = try MediaDecoder(source: source, options: options)
        info = decoder.info
        while let frame = try decoder.nextFrame() {
            add(frame)
        }
        counters = decoder.counters
    }

    /// Decodes through the async path, on the decoder's own thread.
    static func decode(_ frames: DecodedFrames) async throws -> DecodedClip {
        var clip: DecodedClip?
        for try await event in frames {
            switch event {
            case .opened(let info): clip = DecodedClip(info: info)
            case .frame(let frame): clip?.add(frame)
            case .picture: break  // frames were asked for
            case .finished(let counters): clip?.counters = counters
            }
        }
        guard let clip else { throw MediaError(source: "test", reason: "never opened") }
        return clip
    }

    private init(info: StreamInfo) {
        self.info = info
    }

    mutating func add(_ frame: Frame) {
        times.append(frame.time)
        sizes.insert("\(frame.width)x\(frame.height)")
        keyframes.append(frame.isKeyframe)
        // FNV-1a over the pixels: two decodes of the same bytes must agree to the bit.
        var hash: UInt64 = 0xcbf2_9ce4_8422_2325
        for byte in frame.pixels { hash = (hash ^ UInt64(byte)) &* 0x100_0000_01b3 }
        checksums.append(hash)
    }
}

extension ChunkFeed {
    /// A feed that pushes the given chunks from a task of its own, then finishes.
    static func feeding(_ chunks: [[UInt8]], name: String = "chunks", capacity: Int = 1 << 20) -> ChunkFeed {
        let feed = ChunkFeed(name: name, capacity: capacity)
        Task {
            for chunk in chunks {
                guard await feed.push(chunk) == .queued else { return }
            }
            feed.finish()
        }
        return feed
    }
}

func bytes(of path: String) throws -> [UInt8] {
    [UInt8](try Data(contentsOf: URL(fileURLWithPath: path)))
}
