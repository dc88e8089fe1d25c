/// ISO BMFF boxes found by their four-letter type, and lies told in their headers: the MP4
/// counterpart of the Matroska size lies `FuzzMutation` tells.
public enum MP4Boxes {
    /// Where each box of `type` starts (its 32-bit size), found by the type after it. A type's
    /// letters may also occur inside media data; the first one of a header box is the real one.
    public static func offsets(of type: String, in bytes: [UInt8]) -> [Int] {
        let needle = Array(type.utf8)
        guard bytes.count >= needle.count + 4 else { return [] }
        return (4...(bytes.count - needle.count)).filter { bytes[$0..<$0 + needle.count].elementsEqual(needle) }.map { $0 - 4 }
    }

    /// The sample count of the `trun` lie without per-sample fields.
    public static let bareTrunSamples: UInt32 = 0x0480_0000

    /// The boxes the demuxer reads before and around the first fragment.
    public static let parsed = ["ftyp", "moov", "mvhd", "trak", "tkhd", "mdia", "mdhd", "stsd", "avc1", "avcC", "mvex",
                                "trex", "moof", "mfhd", "traf", "tfhd", "tfdt", "trun", "mdat"]

    /// One lie each: every parsed box's size set to 0 (to the end of the file), 1 (a 64-bit size
    /// follows: whatever bytes come next), 7 (shorter than its own header), 2^31 - 1 and
    /// 2^32 - 1; and the first `trun`'s sample count set huge, with and without its per-sample fields.
    public static func lies(in bytes: [UInt8]) -> [(recipe: String, bytes: [UInt8])] {
        var lies: [(String, [UInt8])] = []
        func set(_ value: UInt32, at offset: Int) -> [UInt8] {
            var lied = bytes
            for index in 0..<4 { lied[offset + index] = UInt8(truncatingIfNeeded: value >> (24 - 8 * UInt32(index))) }
            return lied
        }
        for type in parsed {
            guard let offset = offsets(of: type, in: bytes).first else { continue }
            for size: UInt32 in [0, 1, 7, 0x7FFF_FFFF, 0xFFFF_FFFF] {
                lies.append(("\(type) of size \(size)", set(size, at: offset)))
            }
        }
        // trun: size, type, version and flags, then the sample count.
        if let trun = offsets(of: "trun", in: bytes).first, trun + 16 <= bytes.count {
            for count: UInt32 in [0x0FFF_FFFF, 0xFFFF_FFFF] {
                lies.append(("trun of \(count) samples", set(count, at: trun + 12)))
            }
            // With no per-sample fields (flags 0) FFmpeg 5.1 fills an index entry for each declared
            // sample without reading a byte; this many make about 1.9 GB, just under its 2 GB cap
            // on one allocation (the counts above are refused by that cap).
            var bare = set(bareTrunSamples, at: trun + 12)
            bare.replaceSubrange(trun + 9..<trun + 12, with: [0, 0, 0])
            lies.append(("trun of \(bareTrunSamples) samples and no per-sample fields", bare))
        }
        return lies
    }
}
