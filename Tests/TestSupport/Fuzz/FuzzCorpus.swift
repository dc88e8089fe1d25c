import Foundation

/// One input a fuzz case starts from.
public struct FuzzSeed: Sendable {
    public let name: String
    public let bytes: [UInt8]
    /// Whether the seed, unchanged, decodes to frames (the clips) or is refused (the non-clips).
    public let isClip: Bool

    public init(name: String, bytes: [UInt8], isClip: Bool) {
        self.name = name
        self.bytes = bytes
        self.isClip = isClip
    }
}

/// One fuzz input: a seed bent by a few mutations. Rebuilt exactly from the run's seed and its index.
public struct FuzzCase: Sendable, CustomStringConvertible {
    public let index: Int
    public let recipe: String
    public let bytes: [UInt8]
    /// Whether the case is a clip seed left as it was: it must decode to frames.
    public let isIntactClip: Bool
    private let chunkSeed: UInt64

    public init(index: Int, recipe: String, bytes: [UInt8], isIntactClip: Bool, chunkSeed: UInt64) {
        self.index = index
        self.recipe = recipe
        self.bytes = bytes
        self.isIntactClip = isIntactClip
        self.chunkSeed = chunkSeed
    }

    public var description: String { "case \(index) (\(bytes.count) bytes: \(recipe))" }

    /// The bytes cut into chunks as a browser or a network might: a few bytes each, a few KB, or
    /// tens of KB, the same for the same case.
    public func chunks() -> [[UInt8]] {
        var random = FuzzRandom(seed: chunkSeed)
        let sizes: ClosedRange<Int> = random.pick([1...16, 1...4096, 4096...65_536])
        var chunks: [[UInt8]] = []
        var offset = 0
        while offset < bytes.count {
            let end = min(bytes.count, offset + random.within(sizes))
            chunks.append(Array(bytes[offset..<end]))
            offset = end
        }
        return chunks
    }
}

/// The fuzz run's inputs: mutated, truncated, spliced and random byte streams built from the
/// committed fixtures, from a fixed seed (`SNAPRATE_FUZZ_SEED` overrides it, as
/// `SNAPRATE_FUZZ_COUNT` does the count).
public enum FuzzCorpus {
    public static let defaultSeed: UInt64 = 0x5EED_0008

    /// `SNAPRATE_FUZZ_SEED` (decimal or 0x-hex), else the default.
    public static var seed: UInt64 {
        guard let text = ProcessInfo.processInfo.environment["SNAPRATE_FUZZ_SEED"], !text.isEmpty else { return defaultSeed }
        return text.hasPrefix("0x") ? UInt64(text.dropFirst(2), radix: 16) ?? defaultSeed : UInt64(text) ?? defaultSeed
    }

    /// `SNAPRATE_FUZZ_COUNT`, else `standard`.
    public static func count(standard: Int) -> Int {
        ProcessInfo.processInfo.environment["SNAPRATE_FUZZ_COUNT"].flatMap(Int.init) ?? standard
    }

    /// `SNAPRATE_FUZZ_CASE`: replay this one case of the run (with its seed) and no other.
    public static var onlyCase: Int? {
        ProcessInfo.processInfo.environment["SNAPRATE_FUZZ_CASE"].flatMap(Int.init)
    }

    /// Whether the run's size was set from outside (a count or a single case).
    public static var countIsOverridden: Bool {
        ProcessInfo.processInfo.environment["SNAPRATE_FUZZ_COUNT"] != nil || onlyCase != nil
    }

    /// A few small clips (long ones cut after a few clusters, so a thousand decodes take seconds)
    /// and a few things that are not clips.
    public static func seeds() throws -> [FuzzSeed] {
        func load(_ name: String, clusters: Int = .max, maxBytes: Int = 96 << 10, isClip: Bool = true) throws -> FuzzSeed {
            let bytes = [UInt8](try Data(contentsOf: URL(fileURLWithPath: TestData.fixture(name))))
            let starts = Matroska.offsets(of: Matroska.cluster, in: bytes)
            let cut = min(clusters < starts.count ? starts[clusters] : bytes.count, maxBytes)
            return FuzzSeed(name: name, bytes: Array(bytes[..<cut]), isClip: isClip)
        }
        return [
            try load("vp8_640x480.webm", clusters: 1),
            try load("live_vp8.webm", clusters: 4),
            try load("vp9_320x240.webm"),
            try load("h264_97x61.mkv"),
            try load("mjpeg_65x33.mkv"),
            try load("vp9_10bit_96x64.webm"),
            try load("huge_4112x16.webm", isClip: false),
            try load("still.png", isClip: false),
            try load("tone.mp3", isClip: false),
            try load("garbage.bin", maxBytes: 4096, isClip: false),
        ]
    }

    /// Case `index` of the run with `seed`.
    public static func makeCase(_ index: Int, seed: UInt64, seeds: [FuzzSeed]) -> FuzzCase {
        var random = FuzzRandom(seed: seed ^ (UInt64(index) &* 0xD1B5_4A32_D192_ED03))
        let clips = seeds.filter(\.isClip)
        let start = random.chance(85) || clips.isEmpty ? random.pick(clips.isEmpty ? seeds : clips) : random.pick(seeds)
        let mutation = FuzzMutation.draw(&random)
        var bytes = start.bytes
        let what = mutation.apply(to: &bytes, random: &random, others: seeds)
        return FuzzCase(index: index, recipe: "\(start.name): \(what)", bytes: bytes,
                        isIntactClip: start.isClip && mutation == .unchanged, chunkSeed: random.next())
    }

    /// Cases 0..<count of the run with `seed`, or just `SNAPRATE_FUZZ_CASE`.
    public static func cases(count: Int, seed: UInt64 = FuzzCorpus.seed, seeds: [FuzzSeed]) -> [FuzzCase] {
        if let onlyCase { return [makeCase(onlyCase, seed: seed, seeds: seeds)] }
        return (0..<count).map { makeCase($0, seed: seed, seeds: seeds) }
    }
}
