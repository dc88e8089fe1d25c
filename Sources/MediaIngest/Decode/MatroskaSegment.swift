/// Reads just enough EBML to learn where a Matroska file's Segment should end, so that a file cut
/// short can be told apart from one that ended properly: FFmpeg's demuxer reports both as EOF.
enum MatroskaSegment {
    private static let ebmlHeaderID: UInt64 = 0x1A45_DFA3
    private static let segmentID: UInt64 = 0x1853_8067

    /// The byte offset where the Segment ends, or nil when the prefix is not Matroska or the Segment
    /// has unknown size (a live stream, which has no end to miss).
    static func declaredEnd(prefix: [UInt8]) -> Int? {
        var offset = 0
        guard let header = readID(prefix, &offset), header == ebmlHeaderID,
              let headerSize = readSize(prefix, &offset) else { return nil }
        offset += Int(clamping: headerSize.value)
        guard let segment = readID(prefix, &offset), segment == segmentID,
              let size = readSize(prefix, &offset), !size.unknown else { return nil }
        let (end, overflow) = offset.addingReportingOverflow(Int(clamping: size.value))
        return overflow ? nil : end
    }

    /// An element ID keeps its length marker bits.
    private static func readID(_ bytes: [UInt8], _ offset: inout Int) -> UInt64? {
        guard let (length, _) = vintLength(bytes, offset), length <= 4, offset + length <= bytes.count else { return nil }
        var value: UInt64 = 0
        for index in offset..<offset + length { value = value << 8 | UInt64(bytes[index]) }
        offset += length
        return value
    }

    /// A size drops its marker bit; all ones means unknown.
    private static func readSize(_ bytes: [UInt8], _ offset: inout Int) -> (value: UInt64, unknown: Bool)? {
        guard let (length, first) = vintLength(bytes, offset), offset + length <= bytes.count else { return nil }
        var value = UInt64(first) & ((1 << (8 - length)) - 1)
        for index in offset + 1..<offset + length { value = value << 8 | UInt64(bytes[index]) }
        offset += length
        let allOnes: UInt64 = (1 << (7 * UInt64(length))) - 1
        return (value, value == allOnes)
    }

    private static func vintLength(_ bytes: [UInt8], _ offset: Int) -> (Int, UInt8)? {
        guard offset < bytes.count, bytes[offset] != 0 else { return nil }
        return (bytes[offset].leadingZeroBitCount + 1, bytes[offset])
    }
}
