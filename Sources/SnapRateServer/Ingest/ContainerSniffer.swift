/// Decides from a stream's first bytes which container it is, wherever the chunk boundaries fall:
/// WebM (or Matroska) opens with EBML's magic, MP4 with an ISO BMFF `ftyp` box. Anything else is
/// refused before it reaches the decoder.
///
/// MediaRecorder's chunks split the stream anywhere, the header too: Chromium has been seen to
/// send a first chunk of one byte (`1a`) when a timeslice ended while its muxer was writing the
/// EBML header, and its MP4 recorder has sent the 36-byte `ftyp` box alone. So the sniffer holds
/// bytes back until it can tell (four bytes for WebM, eight for MP4) instead of judging the first
/// chunk alone.
struct ContainerSniffer {
    enum Container: Sendable {
        /// Chromium's and Firefox's MediaRecorder: VP8 or VP9 in WebM.
        case webm
        /// Safari's MediaRecorder (and Chromium's when asked): H.264 in fragmented MP4.
        case mp4
    }

    enum Verdict: Equatable {
        /// Not enough bytes yet to tell; nothing to pass on.
        case undecided
        /// A container the decoder reads: these bytes (the held-back ones first) go on to it.
        case pass([UInt8])
        /// Neither; says what the stream starts with.
        case refuse(String)
    }

    /// EBML's magic number: every WebM (and Matroska) file starts with it.
    static let ebmlMagic: [UInt8] = [0x1A, 0x45, 0xDF, 0xA3]
    /// The type of the box every MP4 file starts with, after the box's 32-bit size.
    static let fileType: [UInt8] = Array("ftyp".utf8)
    /// An `ftyp` box is its header (8 bytes), a major brand and a minor version (8), then
    /// compatible brands of four bytes each. Recorders write a handful; a box claiming more than
    /// this is not a file's start.
    static let fileTypeSizes = 16...1024

    /// The container, once decided.
    private(set) var container: Container?
    private var held: [UInt8] = []

    mutating func admit(_ bytes: [UInt8]) -> Verdict {
        if container != nil { return .pass(bytes) }
        held += bytes
        switch judge(held) {
        case nil:
            return .undecided
        case .failure(let refusal):
            return .refuse(refusal.message)
        case .success(let decided):
            container = decided
            defer { held = [] }
            return .pass(held)
        }
    }

    /// At the end of the stream: a refusal when it ended before its container could be told.
    func finish() -> String? {
        guard container == nil, !held.isEmpty else { return nil }
        return "not a WebM or MP4 stream (it ended after \(held.count) bytes)"
    }

    struct Refusal: Error {
        let message: String
    }

    /// The container `bytes` open with, a refusal, or nil while they could still be either.
    private func judge(_ bytes: [UInt8]) -> Result<Container, Refusal>? {
        if bytes.count < Self.ebmlMagic.count { return nil }
        if bytes.starts(with: Self.ebmlMagic) { return .success(.webm) }
        // Not EBML: only an `ftyp` box in bytes 4..<8 is left.
        let type = bytes.dropFirst(4).prefix(Self.fileType.count)
        guard type.elementsEqual(Self.fileType.prefix(type.count)) else {
            let start = bytes.prefix(8).map { hex($0) }.joined(separator: " ")
            return .failure(Refusal(message: "not a WebM or MP4 stream (it starts \(start), neither an EBML header nor an ftyp box)"))
        }
        guard type.count == Self.fileType.count else { return nil }
        let size = bytes.prefix(4).reduce(0) { $0 << 8 | Int($1) }
        guard Self.fileTypeSizes.contains(size), size % 4 == 0 else {
            return .failure(Refusal(message: "not an MP4 stream (its ftyp box claims \(size) bytes)"))
        }
        return .success(.mp4)
    }

    private func hex(_ byte: UInt8) -> String {
        let digits = Array("0123456789abcdef")
        return String([digits[Int(byte >> 4)], digits[Int(byte & 0x0F)]])
    }
}
