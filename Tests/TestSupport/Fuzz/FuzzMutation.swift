/// The ways a fuzz case bends a seed file: byte-level damage, lies in the container's sizes and
/// fields, cuts, splices, and inputs that are not a seed at all.
enum FuzzMutation: CaseIterable {
    case unchanged, bitFlips, interestingBytes, sizeLie, blockHeader, dimensionLie, codecSwap
    case truncate, splice, duplicateRange, removeRange
    case randomBytes, headerThenRandom, headerThenGarbage, empty, stacked

    /// How often each is drawn, out of the sum.
    var weight: Int {
        switch self {
        case .unchanged, .empty: 1
        case .randomBytes, .headerThenRandom, .headerThenGarbage: 3
        case .codecSwap, .dimensionLie: 4
        case .bitFlips, .interestingBytes, .truncate, .splice, .duplicateRange, .removeRange: 7
        case .sizeLie, .blockHeader: 9
        case .stacked: 12
        }
    }

    static func draw(_ random: inout FuzzRandom) -> FuzzMutation {
        var ticket = random.below(allCases.reduce(0) { $0 + $1.weight })
        for mutation in allCases {
            if ticket < mutation.weight { return mutation }
            ticket -= mutation.weight
        }
        return .stacked
    }

    /// The byte-level mutations that `stacked` chains.
    static let stackable: [FuzzMutation] = [.bitFlips, .interestingBytes, .sizeLie, .blockHeader, .dimensionLie,
                                             .codecSwap, .truncate, .duplicateRange, .removeRange]

    private static let interesting: [UInt8] = [0x00, 0xFF, 0x7F, 0x80, 0x01, 0x40, 0x81, 0xFE]

    /// Applies the mutation; returns what it did, for the case's description.
    func apply(to bytes: inout [UInt8], random: inout FuzzRandom, others: [FuzzSeed]) -> String {
        switch self {
        case .unchanged:
            return "as is"
        case .bitFlips:
            let count = random.within(1...16)
            for _ in 0..<count where !bytes.isEmpty {
                bytes[position(in: bytes, &random)] ^= 1 << UInt8(random.below(8))
            }
            return "\(count) bit flips"
        case .interestingBytes:
            let count = random.within(1...8)
            for _ in 0..<count where !bytes.isEmpty {
                bytes[position(in: bytes, &random)] = random.pick(Self.interesting)
            }
            return "\(count) bytes overwritten"
        case .sizeLie:
            return sizeLie(&bytes, &random)
        case .blockHeader:
            return blockHeader(&bytes, &random)
        case .dimensionLie:
            guard let target = Matroska.dimensionValues(bytes).randomElement(using: &random) else { return "no size field" }
            let value = random.pick([0, 1, 2, 4095, 4096, 4097, 8192, 65535, random.below(65536)])
            for index in 0..<target.length {
                bytes[target.offset + index] = UInt8(truncatingIfNeeded: value >> (8 * (target.length - 1 - index)))
            }
            return "dimension at \(target.offset) set to \(value)"
        case .codecSwap:
            return codecSwap(&bytes, &random)
        case .truncate:
            let cut = random.chance(30) ? random.below(Matroska.headerEnd(bytes) + 1) : random.below(bytes.count + 1)
            bytes.removeSubrange(cut...)
            return "cut at \(cut)"
        case .splice:
            let other = random.pick(others)
            let clusters = Matroska.offsets(of: Matroska.cluster, in: other.bytes)
            // Often this seed's header with the other's clusters: a size or codec change mid-stream.
            let (cut, from) = random.chance(40) && !clusters.isEmpty
                ? (Matroska.headerEnd(bytes), random.pick(clusters))
                : (random.below(bytes.count + 1), random.below(other.bytes.count + 1))
            bytes = Array(bytes[..<cut]) + Array(other.bytes[from...])
            return "spliced at \(cut) with \(other.name) from \(from)"
        case .duplicateRange:
            guard !bytes.isEmpty else { return "nothing to duplicate" }
            let start = random.below(bytes.count), length = random.within(1...16_384)
            let range = Array(bytes[start..<min(bytes.count, start + length)])
            let at = random.below(bytes.count + 1)
            bytes.insert(contentsOf: range, at: at)
            return "\(range.count) bytes from \(start) copied to \(at)"
        case .removeRange:
            guard !bytes.isEmpty else { return "nothing to remove" }
            let start = random.below(bytes.count), length = random.within(1...16_384)
            let end = min(bytes.count, start + length)
            bytes.removeSubrange(start..<end)
            return "bytes \(start)..<\(end) removed"
        case .randomBytes:
            bytes = random.bytes(random.below(32_768))
            return "\(bytes.count) random bytes"
        case .headerThenRandom:
            let header = Matroska.offsets(of: Matroska.segment, in: bytes).first ?? min(bytes.count, 40)
            bytes = Array(bytes[..<header]) + random.bytes(random.below(16_384))
            return "EBML header then \(bytes.count - header) random bytes"
        case .headerThenGarbage:
            let header = Matroska.headerEnd(bytes)
            bytes = Array(bytes[..<header]) + random.bytes(random.within(1...32_768))
            return "header of \(header) bytes then garbage"
        case .empty:
            bytes = []
            return "empty"
        case .stacked:
            let count = random.within(2...4)
            return (0..<count).map { _ in
                random.pick(Self.stackable).apply(to: &bytes, random: &random, others: others)
            }.joined(separator: ", ")
        }
    }

    /// A position to damage: half the time in the header, where the demuxer decides most.
    private func position(in bytes: [UInt8], _ random: inout FuzzRandom) -> Int {
        let header = Matroska.headerEnd(bytes)
        return random.chance(50) && header > 0 ? random.below(min(header, bytes.count)) : random.below(bytes.count)
    }

    /// Rewrites an element's size: unknown, huge, zero, one byte, or random.
    private func sizeLie(_ bytes: inout [UInt8], _ random: inout FuzzRandom) -> String {
        var targets = Matroska.masters.flatMap { Matroska.offsets(of: $0, in: bytes).map { $0 + 4 } }
        targets += Matroska.simpleBlocks(bytes).map { $0 + 1 }
        let at = targets.isEmpty || random.chance(15) ? random.below(bytes.count) : random.pick(targets)
        guard at < bytes.count else { return "no size field" }
        let length = min(Matroska.vintLength(bytes[at]) ?? 1, bytes.count - at)
        let replacement: [UInt8]
        switch random.below(6) {
        case 0: replacement = [0x01] + [UInt8](repeating: 0xFF, count: 7)  // unknown size, 8 bytes
        case 1: replacement = [0x01, 0x00, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFE]  // 2^48: a huge known size
        case 2: replacement = [0x80]  // zero
        case 3: replacement = [0xFF]  // unknown size, 1 byte
        case 4: replacement = [0x81]
        default:
            // Same length, random value: the element now claims too much or too little.
            let marker = UInt8(0x80) >> UInt8(length - 1)
            replacement = [marker | (UInt8(truncatingIfNeeded: random.next()) & (marker &- 1))] + random.bytes(length - 1)
        }
        bytes.replaceSubrange(at..<at + length, with: replacement)
        return "size at \(at) (\(length) bytes) now \(replacement.map { String($0, radix: 16) }.joined())"
    }

    /// Damages a SimpleBlock's header: lacing with no laces, a keyframe flag, another track, a
    /// timestamp at the extremes.
    private func blockHeader(_ bytes: inout [UInt8], _ random: inout FuzzRandom) -> String {
        guard let block = Matroska.simpleBlocks(bytes).randomElement(using: &random),
              let length = Matroska.vintLength(bytes[block + 1]) else { return "no block" }
        let track = block + 1 + length
        guard track + 4 < bytes.count else { return "no block" }
        switch random.below(4) {
        case 0:
            bytes[track + 3] = (bytes[track + 3] & 0xF9) | random.pick([0x02, 0x04, 0x06])
            if random.chance(50) { bytes[track + 4] = random.pick([0x00, 0xFF, 0x7F]) }
            return "block at \(block) laced"
        case 1:
            bytes[track + 3] ^= 0x80
            return "block at \(block) keyframe flag flipped"
        case 2:
            bytes[track] = random.pick([0x80, 0x82, 0xFF])
            return "block at \(block) on track \(bytes[track] & 0x7F)"
        default:
            let time = random.pick([(0x7F, 0xFF), (0x80, 0x00), (0xFF, 0xFF)])
            bytes[track + 1] = UInt8(time.0)
            bytes[track + 2] = UInt8(time.1)
            return "block at \(block) timestamp \(String(time.0, radix: 16))\(String(time.1, radix: 16))"
        }
    }

    /// Puts another codec id where the track's was (V_VP8 into a VP9 track, and so on).
    private func codecSwap(_ bytes: inout [UInt8], _ random: inout FuzzRandom) -> String {
        for name in Matroska.codecIDs {
            let needle = [0x86, 0x80 | UInt8(name.utf8.count)] + Array(name.utf8)
            guard let at = Matroska.offsets(of: needle, in: bytes).first else { continue }
            let other = random.pick(Matroska.codecIDs.filter { $0 != name })
            // Same length keeps every enclosing size right; another length leaves them wrong too.
            bytes.replaceSubrange(at..<at + needle.count, with: [0x86, 0x80 | UInt8(other.utf8.count)] + Array(other.utf8))
            return "codec \(name) -> \(other)"
        }
        return "no codec id"
    }
}

extension Array {
    func randomElement(using random: inout FuzzRandom) -> Element? {
        isEmpty ? nil : self[random.below(count)]
    }
}
