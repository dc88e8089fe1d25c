/// Decides whether a stream of chunks is WebM from its first four bytes, wherever the chunk
/// boundaries fall.
///
/// MediaRecorder's chunks split the stream anywhere, the header too: Chromium has been seen to
/// send a first chunk of one byte (`1a`) when a timeslice ended while its muxer was writing the
/// EBML header. So the check holds bytes back until four have arrived, instead of judging the
/// first chunk alone.
struct EBMLHeaderCheck {
    /// EBML's magic number: every WebM (and Matroska) file starts with it.
    static let magic: [UInt8] = [0x1A, 0x45, 0xDF, 0xA3]

    enum Verdict: Equatable {
        /// Not enough bytes yet to tell; nothing to pass on.
        case undecided
        /// WebM so far: these bytes (the held-back ones first) go on to the decoder.
        case pass([UInt8])
        /// Not WebM; says what the stream starts with.
        case refuse(String)
    }

    private var held: [UInt8] = []
    private var decided = false

    mutating func admit(_ bytes: [UInt8]) -> Verdict {
        if decided { return .pass(bytes) }
        held += bytes
        guard held.count >= Self.magic.count else { return .undecided }
        guard held.starts(with: Self.magic) else {
            let start = held.prefix(4).map { hex($0) }.joined(separator: " ")
            return .refuse("not a WebM stream (it starts \(start), not with an EBML header)")
        }
        decided = true
        defer { held = [] }
        return .pass(held)
    }

    /// At the end of the stream: a refusal when it ended before it could be told WebM.
    func finish() -> String? {
        guard !decided, !held.isEmpty else { return nil }
        return "not a WebM stream (it ended after \(held.count) bytes)"
    }

    private func hex(_ byte: UInt8) -> String {
        let digits = Array("0123456789abcdef")
        return String([digits[Int(byte >> 4)], digits[Int(byte & 0x0F)]])
    }
}
