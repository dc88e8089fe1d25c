/// Walks a fragmented MP4 stream's top-level boxes as its bytes arrive, before they reach the
/// decoder, and refuses a stream whose `trun` boxes declare more samples than it has bytes.
///
/// FFmpeg's mov demuxer (5.1, `mov_read_trun`) grows and fills a sample index entry (and a
/// composition offset) for every sample a `trun` declares, before and without reading any sample
/// data: a 20-byte `trun` with no per-sample fields and a sample count near 2^32 costs the daemon
/// gigabytes. Every real sample occupies at least one byte, so the rule here is: the samples
/// declared by all truns so far may not outnumber the stream's bytes up to the end of the `moof`
/// that declares them. That keeps the index within a few dozen bytes per byte received (an index
/// entry and a composition offset per sample), and the ingest rate limit bounds bytes received.
///
/// Recorders (Safari, Chromium's MP4 muxer, ffmpeg's `frag_keyframe`) never come near it: every
/// earlier sample has its byte in an earlier `mdat`, and a fragment's own samples are paid for by
/// the trun itself, which carries each sample's size (four bytes), or else by the `ftyp` and
/// `moov` in front.
///
/// Only `moof` boxes are held, whole, until they can be judged (at most `maxMoofSize`
/// bytes); header bytes are held until the header is complete; everything else passes as it comes.
/// `mdat` bodies pass unread. Any other box's body is scanned for the type `trun`: the demuxer's
/// table-driven parser reads a `trun` in any box it descends into (a `moov`, a `traf` nested deeper)
/// and fragments keep theirs in `moof`/`traf`, so one found anywhere else is refused.
struct MP4BoxWalker: Sendable {
    enum Verdict: Equatable, Sendable {
        /// These bytes go on to the decoder (possibly none: they are held for now).
        case pass([UInt8])
        /// The stream breaks the rule or cannot be walked; says why. Later calls say it again.
        case refuse(String)
    }

    /// The largest `moof` held for judging. Recorders write a few hundred bytes to a few
    /// kilobytes per fragment (16 bytes a sample at most); a megabyte is tens of thousands of samples.
    static let maxMoofSize = 1 << 20

    /// Bytes walked so far (held ones included).
    private(set) var position: UInt64 = 0
    /// Samples declared by the truns of every `moof` passed on so far.
    private(set) var declaredSamples: UInt64 = 0
    /// Bytes held back: an incomplete box header or `moof`.
    var heldBytes: Int { held.count }

    private enum State: Sendable {
        /// Reading a box header into `held`.
        case header
        /// Passing a body on; `remaining` bytes of it (nil: to the end of the stream). `scan` says
        /// whether it is searched for `trun`.
        case body(remaining: UInt64?, scan: Bool)
        /// Holding a `moof` of `size` bytes in `held`, its header included.
        case fragment(size: Int)
    }

    private var state = State.header
    private var held: [UInt8] = []
    /// The last bytes of the scanned body so far: a `trun` split across chunks is still found.
    private var scanTail: [UInt8] = []
    private var refusal: String?

    static let trun = Array("trun".utf8)
    static let moof = Array("moof".utf8)
    static let traf = Array("traf".utf8)
    static let mdat = Array("mdat".utf8)

    mutating func admit(_ bytes: [UInt8]) -> Verdict {
        if let refusal { return .refuse(refusal) }
        var out: [UInt8] = []
        var index = bytes.startIndex
        while index < bytes.endIndex {
            let available = bytes.endIndex - index
            switch state {
            case .header:
                let wanted = Self.headerLength(held) - held.count
                let taken = min(wanted, available)
                held += bytes[index..<index + taken]
                index += taken
                position += UInt64(taken)
                guard held.count == Self.headerLength(held) else { continue }
                if let refused = startBox(passingInto: &out) { return refuse(refused) }
                // A moof of nothing but its header is whole already.
                if let refused = judgeFragment(passingInto: &out) { return refuse(refused) }
            case .body(let remaining, let scan):
                let taken = remaining.map { Int(min(UInt64(available), $0)) } ?? available
                let slice = bytes[index..<index + taken]
                if scan, let refused = self.scan(slice) { return refuse(refused) }
                out += slice
                index += taken
                position += UInt64(taken)
                if let remaining, remaining == UInt64(taken) {
                    state = .header
                } else {
                    state = .body(remaining: remaining.map { $0 - UInt64(taken) }, scan: scan)
                }
            case .fragment(let size):
                let taken = min(size - held.count, available)
                held += bytes[index..<index + taken]
                index += taken
                position += UInt64(taken)
                if let refused = judgeFragment(passingInto: &out) { return refuse(refused) }
            }
        }
        return .pass(out)
    }

    private mutating func refuse(_ message: String) -> Verdict {
        refusal = message
        held = []
        return .refuse(message)
    }

    /// A complete header is in `held`: decides how the box's body is walked.
    private mutating func startBox(passingInto out: inout [UInt8]) -> String? {
        let header = held
        let type = Array(header[4..<8])
        let size: UInt64?
        do { size = try Self.declaredSize(header) } catch { return error.message }
        if type == Self.moof {
            guard let size else { return "its moof box has no size (it runs to the end of the stream)" }
            guard size <= UInt64(Self.maxMoofSize) else {
                return "its moof box of \(size) bytes is over the \(Self.maxMoofSize)-byte limit (MP4 sample limit)"
            }
            state = .fragment(size: Int(size))
            return nil
        }
        out += header
        held = []
        scanTail = []
        let body = size.map { $0 - UInt64(header.count) }
        state = body == 0 ? .header : .body(remaining: body, scan: type != Self.mdat)
        return nil
    }

    /// Once the `moof` being held is whole: checks its truns against the rule and passes it on.
    private mutating func judgeFragment(passingInto out: inout [UInt8]) -> String? {
        guard case .fragment(let size) = state, held.count == size else { return nil }
        do {
            declaredSamples += try Self.samples(inFragment: held)
        } catch {
            return error.message
        }
        guard declaredSamples <= position else {
            return "its trun boxes declare \(declaredSamples) samples in its first \(position) bytes, "
                + "more than one a byte (MP4 sample limit)"
        }
        out += held
        held = []
        state = .header
        return nil
    }

    /// Looks for `trun` in a body's bytes, the previous chunk's last three first.
    private mutating func scan(_ slice: ArraySlice<UInt8>) -> String? {
        let window = scanTail + slice
        if Self.firstTrun(in: window[...]) != nil {
            return "it has a trun box outside a moof's traf box (MP4 sample limit)"
        }
        scanTail = Array(window.suffix(Self.trun.count - 1))
        return nil
    }

    struct Refusal: Error {
        let message: String
    }

    /// A header's length so far: 8 bytes, or 16 when the 32-bit size is 1 (a 64-bit size follows).
    static func headerLength(_ header: [UInt8]) -> Int {
        header.count >= 4 && bigEndian(header[0..<4]) == 1 ? 16 : 8
    }

    /// The size a complete header declares, nil for 0 (to the end of the stream).
    static func declaredSize(_ header: [UInt8]) throws(Refusal) -> UInt64? {
        let short = bigEndian(header[0..<4])
        if short == 0 { return nil }
        let size = short == 1 ? bigEndian(header[8..<16]) : short
        guard size >= UInt64(header.count) else {
            throw Refusal(message: "its \(name(header[4..<8])) box of \(size) bytes is shorter than its own header")
        }
        return size
    }

    /// The samples a whole `moof`'s truns declare (`moof` → `traf` → `trun`).
    static func samples(inFragment moof: [UInt8]) throws(Refusal) -> UInt64 {
        var samples: UInt64 = 0
        // Where the truns found by structure keep their type and their bodies.
        var trunTypes: Set<Int> = []
        var trunBodies: [Range<Int>] = []
        for fragment in try children(of: headerLength(moof)..<moof.count, in: moof) where fragment.type == traf {
            for run in try children(of: fragment.body, in: moof) where run.type == trun {
                // Version and flags (4 bytes), then the sample count.
                guard run.body.count >= 8 else {
                    throw Refusal(message: "its trun box of \(run.body.upperBound - run.typeOffset + 4) bytes is too short for a sample count")
                }
                samples += bigEndian(moof[run.body.lowerBound + 4..<run.body.lowerBound + 8])
                trunTypes.insert(run.typeOffset)
                trunBodies.append(run.body)
            }
        }
        // Any other `trun` in the moof is one the demuxer might read where this walk did not.
        var searched = moof[...]
        while let found = firstTrun(in: searched) {
            if !trunTypes.contains(found) && !trunBodies.contains(where: { $0.contains(found) }) {
                throw Refusal(message: "it has a trun box outside a moof's traf box (MP4 sample limit)")
            }
            searched = moof[(found + 1)...]
        }
        return samples
    }

    /// The boxes that tile `range` of `bytes` exactly; a box that overruns it is refused.
    static func children(of range: Range<Int>, in bytes: [UInt8]) throws(Refusal) -> [(type: [UInt8], typeOffset: Int, body: Range<Int>)] {
        var boxes: [(type: [UInt8], typeOffset: Int, body: Range<Int>)] = []
        var start = range.lowerBound
        while start < range.upperBound {
            let left = range.upperBound - start
            guard left >= 8, left >= headerLength(Array(bytes[start..<start + 4])) else {
                throw Refusal(message: "its moof box ends inside a box header")
            }
            let header = Array(bytes[start..<start + headerLength(Array(bytes[start..<start + 4]))])
            let size: Int
            if let declared = try declaredSize(header) {
                guard declared <= UInt64(left) else {
                    throw Refusal(message: "its \(name(header[4..<8])) box of \(declared) bytes overruns the box around it")
                }
                size = Int(declared)
            } else {
                size = left  // 0: to the end of the enclosing box, as the demuxer reads it
            }
            boxes.append((Array(header[4..<8]), start + 4, start + header.count..<start + size))
            start += size
        }
        return boxes
    }

    /// Where the first `trun` in `bytes` starts (an index into the underlying array).
    static func firstTrun(in bytes: ArraySlice<UInt8>) -> Int? {
        guard bytes.count >= trun.count else { return nil }
        var index = bytes.startIndex
        while index <= bytes.endIndex - trun.count {
            if bytes[index] == trun[0], bytes[index + 1] == trun[1], bytes[index + 2] == trun[2], bytes[index + 3] == trun[3] {
                return index
            }
            index += 1
        }
        return nil
    }

    static func bigEndian(_ bytes: ArraySlice<UInt8>) -> UInt64 {
        bytes.reduce(0) { $0 << 8 | UInt64($1) }
    }

    /// A box type as it reads, or in hex when it is not printable.
    static func name(_ type: ArraySlice<UInt8>) -> String {
        if type.allSatisfy({ (0x20...0x7E).contains($0) }) { return String(decoding: type, as: UTF8.self) }
        return type.map { $0 < 0x10 ? "0" + String($0, radix: 16) : String($0, radix: 16) }.joined(separator: " ")
    }
}
