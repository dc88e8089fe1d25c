import Foundation

/// Where a WebM file's clusters are and when each one's media begins: enough to replay the file
/// at its own pace, a cluster at a time, as a MediaRecorder hands over its chunks.
///
/// Reads only the EBML structure a muxer writes with known sizes (ffmpeg writing to a file):
/// the EBML header, then the Segment, whose Info gives the timestamp scale and whose Clusters
/// each open with their Timecode.
struct WebMClusters: Equatable {
    struct Cluster: Equatable {
        /// Byte range of the whole Cluster element in the file.
        var bytes: Range<Int>
        /// Media seconds at which the cluster begins.
        var start: Double
    }

    /// Everything before the first cluster (EBML header, Segment head, Info, Tracks).
    var header: Range<Int>
    var clusters: [Cluster]

    struct Failure: Error, CustomStringConvertible {
        var description: String
    }

    private enum ID {
        static let ebml: UInt32 = 0x1A45_DFA3
        static let segment: UInt32 = 0x1853_8067
        static let info: UInt32 = 0x1549_A966
        static let timestampScale: UInt32 = 0x2A_D7B1
        static let cluster: UInt32 = 0x1F43_B675
        static let clusterTimecode: UInt32 = 0xE7
    }

    init(_ data: Data) throws {
        let bytes = [UInt8](data)
        var reader = EBMLReader(bytes: bytes)
        let first = try reader.elementHead()
        guard first.id == ID.ebml, let headerSize = first.size else { throw Failure(description: "not a WebM file") }
        reader.position += headerSize
        let segment = try reader.elementHead()
        guard segment.id == ID.segment else { throw Failure(description: "no Segment after the EBML header") }
        let segmentEnd = segment.size.map { reader.position + $0 } ?? bytes.count
        var scale = 1_000_000.0  // nanoseconds per timecode unit: Matroska's default
        var clusters: [Cluster] = []
        while reader.position < min(segmentEnd, bytes.count) {
            let start = reader.position
            let element = try reader.elementHead()
            guard let size = element.size else { throw Failure(description: "an element of unknown size at byte \(start)") }
            let body = reader.position..<(reader.position + size)
            switch element.id {
            case ID.info:
                var info = EBMLReader(bytes: bytes, position: body.lowerBound)
                while info.position < body.upperBound {
                    let child = try info.elementHead()
                    guard let childSize = child.size else { break }
                    if child.id == ID.timestampScale { scale = Double(try info.unsigned(size: childSize)) }
                    info.position += childSize
                }
            case ID.cluster:
                var cluster = EBMLReader(bytes: bytes, position: body.lowerBound)
                let timecode = try cluster.elementHead()
                guard timecode.id == ID.clusterTimecode, let timecodeSize = timecode.size else {
                    throw Failure(description: "a Cluster at byte \(start) does not open with its Timecode")
                }
                let units = try cluster.unsigned(size: timecodeSize)
                clusters.append(Cluster(bytes: start..<min(body.upperBound, bytes.count), start: Double(units) * scale / 1e9))
            default:
                break
            }
            reader.position = body.upperBound
        }
        guard let firstCluster = clusters.first else { throw Failure(description: "no clusters") }
        header = 0..<firstCluster.bytes.lowerBound
        self.clusters = clusters
    }
}

/// EBML's variable-length element IDs and sizes.
private struct EBMLReader {
    let bytes: [UInt8]
    var position = 0

    /// The element at `position`: its ID (marker bit kept, as specifications write IDs) and its
    /// data size (nil: unknown); leaves `position` at the data.
    mutating func elementHead() throws -> (id: UInt32, size: Int?) {
        let (id, _) = try variableInteger(keepMarker: true, maxLength: 4)
        let (size, allOnes) = try variableInteger(keepMarker: false, maxLength: 8)
        return (UInt32(id), allOnes ? nil : Int(size))
    }

    mutating func unsigned(size: Int) throws -> UInt64 {
        guard size <= 8, position + size <= bytes.count else { throw WebMClusters.Failure(description: "truncated at byte \(position)") }
        return bytes[position..<(position + size)].reduce(0) { $0 << 8 | UInt64($1) }
    }

    private mutating func variableInteger(keepMarker: Bool, maxLength: Int) throws -> (UInt64, allOnes: Bool) {
        guard position < bytes.count else { throw WebMClusters.Failure(description: "truncated at byte \(position)") }
        let first = bytes[position]
        let length = first.leadingZeroBitCount + 1
        guard length <= maxLength, position + length <= bytes.count else {
            throw WebMClusters.Failure(description: "malformed EBML at byte \(position)")
        }
        var value = UInt64(keepMarker ? first : first & (0xFF >> length))
        var allOnes = value == UInt64(0xFF >> length)
        for byte in bytes[(position + 1)..<(position + length)] {
            value = value << 8 | UInt64(byte)
            allOnes = allOnes && byte == 0xFF
        }
        position += length
        return (value, allOnes)
    }
}
