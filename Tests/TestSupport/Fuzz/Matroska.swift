/// Just enough of Matroska's layout to aim mutations where a demuxer is most likely to go wrong:
/// element sizes, block headers, the video size and the codec id.
enum Matroska {
    static let ebmlHeader: [UInt8] = [0x1A, 0x45, 0xDF, 0xA3]
    static let segment: [UInt8] = [0x18, 0x53, 0x80, 0x67]
    static let cluster: [UInt8] = [0x1F, 0x43, 0xB6, 0x75]
    /// Master elements with 4-byte ids whose size field a mutation may rewrite.
    static let masters: [[UInt8]] = [
        ebmlHeader, segment, cluster,
        [0x16, 0x54, 0xAE, 0x6B],  // Tracks
        [0x15, 0x49, 0xA9, 0x66],  // Info
        [0x11, 0x4D, 0x9B, 0x74],  // SeekHead
        [0x1C, 0x53, 0xBB, 0x6B],  // Cues
    ]
    static let codecIDs = ["V_VP8", "V_VP9", "V_AV1", "V_MPEG4/ISO/AVC", "V_MJPEG", "A_OPUS", "V_THEORA", "S_TEXT/UTF8"]

    /// Every offset where `needle` starts.
    static func offsets(of needle: [UInt8], in bytes: [UInt8]) -> [Int] {
        guard !needle.isEmpty, bytes.count >= needle.count else { return [] }
        var found: [Int] = []
        var index = 0
        while index <= bytes.count - needle.count {
            if bytes[index] == needle[0], bytes[index..<index + needle.count].elementsEqual(needle) {
                found.append(index)
            }
            index += 1
        }
        return found
    }

    /// Where the header ends: the first Cluster, or the whole input when it has none.
    static func headerEnd(_ bytes: [UInt8]) -> Int {
        offsets(of: cluster, in: bytes).first ?? bytes.count
    }

    /// The length of the EBML variable-size integer starting with `first` (nil for 0x00).
    static func vintLength(_ first: UInt8) -> Int? {
        first == 0 ? nil : first.leadingZeroBitCount + 1
    }

    /// Offsets of SimpleBlocks for track 1: 0xA3, a size, then track number 0x81.
    static func simpleBlocks(_ bytes: [UInt8]) -> [Int] {
        var found: [Int] = []
        for index in 0..<max(0, bytes.count - 10) where bytes[index] == 0xA3 {
            guard let length = vintLength(bytes[index + 1]), index + 1 + length < bytes.count,
                  bytes[index + 1 + length] == 0x81 else { continue }
            found.append(index)
        }
        return found
    }

    /// Offsets of the PixelWidth (0xB0) and PixelHeight (0xBA) values in the header: the id, a
    /// one-byte size of 1 or 2, then the value.
    static func dimensionValues(_ bytes: [UInt8]) -> [(offset: Int, length: Int)] {
        let end = min(headerEnd(bytes), bytes.count - 3)
        guard end > 0 else { return [] }
        var found: [(Int, Int)] = []
        for index in 0..<end where bytes[index] == 0xB0 || bytes[index] == 0xBA {
            if bytes[index + 1] == 0x81 || bytes[index + 1] == 0x82 {
                found.append((index + 2, Int(bytes[index + 1] & 0x7F)))
            }
        }
        return found
    }
}
