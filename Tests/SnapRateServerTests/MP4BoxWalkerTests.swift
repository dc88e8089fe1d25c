import Foundation
@testable import SnapRateServer
import Testing
import TestSupport

/// The box walk in front of the mov demuxer: boxes split anywhere (one byte at a time), 64-bit
/// sizes, several trafs and truns in a moof, and the streams it refuses: truns declaring more
/// samples than the stream has bytes, a moof over the limit, boxes shorter than their headers,
/// truns where fragments do not keep them.
@Suite(.timeLimit(.minutes(15))) struct MP4BoxWalkerTests {
    static func be32(_ value: Int) -> [UInt8] { (0..<4).map { UInt8(truncatingIfNeeded: value >> (24 - 8 * $0)) } }
    static func be64(_ value: Int) -> [UInt8] { (0..<8).map { UInt8(truncatingIfNeeded: value >> (56 - 8 * $0)) } }

    static func box(_ type: String, _ body: [UInt8] = []) -> [UInt8] { be32(8 + body.count) + Array(type.utf8) + body }
    /// A box with a 64-bit size (the 32-bit size is 1).
    static func largeBox(_ type: String, _ body: [UInt8] = []) -> [UInt8] {
        be32(1) + Array(type.utf8) + be64(16 + body.count) + body
    }
    /// A trun of `count` samples; with `sizes`, each sample's size follows (flag 0x200), as
    /// recorders write it; without, the samples take the tfhd's default size.
    static func trun(_ count: Int, sizes: [Int]? = nil) -> [UInt8] {
        box("trun", [0, sizes == nil ? 0 : 0x02, 0, 0] + be32(count) + (sizes ?? []).flatMap(be32))
    }
    static func traf(_ truns: [UInt8]...) -> [UInt8] {
        box("traf", box("tfhd", [0, 0, 0, 0] + be32(1)) + box("tfdt", [0, 0, 0, 0] + be32(0)) + truns.flatMap { $0 })
    }
    static func moof(_ trafs: [UInt8]...) -> [UInt8] { box("moof", box("mfhd", [0, 0, 0, 0] + be32(1)) + trafs.flatMap { $0 }) }

    static let ftyp = box("ftyp", Array("iso5".utf8) + be32(512) + Array("iso5iso6mp41".utf8))
    static let moov = box("moov", box("mvhd", [UInt8](repeating: 0, count: 100)) + box("trak", box("tkhd", [UInt8](repeating: 0, count: 84))))

    /// `bytes` through a fresh walker in chunks of `size`: what it passed, or its refusal.
    static func walk(_ bytes: [UInt8], chunksOf size: Int) -> (passed: [UInt8], refusal: String?, walker: MP4BoxWalker) {
        var walker = MP4BoxWalker()
        var passed: [UInt8] = []
        for start in stride(from: 0, to: bytes.count, by: size) {
            switch walker.admit(Array(bytes[start..<min(bytes.count, start + size)])) {
            case .pass(let out): passed += out
            case .refuse(let reason): return (passed, reason, walker)
            }
        }
        return (passed, nil, walker)
    }

    @Test(arguments: [1, 3, 7, 4096])
    func aRecordersStreamPassesWholeAndInOrderHoweverItIsCut(chunk: Int) {
        let first = Self.moof(Self.traf(Self.trun(3, sizes: [5, 2, 1])))
        let second = Self.moof(Self.traf(Self.trun(2, sizes: [1, 1])), Self.traf(Self.trun(1, sizes: [3])))
        let stream = Self.ftyp + Self.moov + first + Self.box("mdat", [UInt8](repeating: 9, count: 8))
            + second + Self.box("mdat", Array("trun".utf8))  // sample data is never read as boxes
        let (passed, refusal, walker) = Self.walk(stream, chunksOf: chunk)
        #expect(refusal == nil)
        #expect(passed == stream, "every byte passes once, in order")
        #expect(walker.declaredSamples == 6)
        #expect(walker.heldBytes == 0)
    }

    @Test func aMoofIsHeldUntilItIsWholeAndHeadersUntilTheyAreComplete() {
        let fragment = Self.moof(Self.traf(Self.trun(2, sizes: [1, 1])))
        var walker = MP4BoxWalker()
        #expect(walker.admit(Self.ftyp) == .pass(Self.ftyp))
        #expect(walker.admit(Array(fragment.prefix(5))) == .pass([]), "a header's first bytes are held")
        #expect(walker.heldBytes == 5)
        #expect(walker.admit(Array(fragment[5..<fragment.count - 1])) == .pass([]), "a moof is held until its last byte")
        #expect(walker.admit([fragment.last!] + Self.box("mdat", [1])) == .pass(fragment + Self.box("mdat", [1])))
        #expect(walker.heldBytes == 0)
        // A stream that ends inside a header or a moof leaves those bytes held: the decoder
        // could have done nothing with them.
        #expect(walker.admit(Array(fragment.prefix(12))) == .pass([]))
        #expect(walker.heldBytes == 12)
    }

    @Test(arguments: [1, 4096])
    func sixtyFourBitSizesAreRead(chunk: Int) {
        let fragment = Self.largeBox("moof", Self.box("mfhd", [0, 0, 0, 0] + Self.be32(1))
                                     + Self.largeBox("traf", Self.largeBox("trun", [0, 0, 0, 0] + Self.be32(4))))
        let stream = Self.ftyp + Self.moov + fragment + Self.largeBox("mdat", [UInt8](repeating: 0, count: 4)) + Self.moof()
        let (passed, refusal, walker) = Self.walk(stream, chunksOf: chunk)
        #expect(refusal == nil)
        #expect(passed == stream)
        #expect(walker.declaredSamples == 4)
    }

    @Test func everyTrunOfEveryTrafInAMoofCounts() {
        let fragment = Self.moof(Self.traf(Self.trun(10), Self.trun(20)), Self.traf(Self.trun(30)), Self.traf())
        let (passed, refusal, walker) = Self.walk(Self.ftyp + Self.moov + fragment, chunksOf: 4096)
        #expect(refusal == nil)
        #expect(passed.count == Self.ftyp.count + Self.moov.count + fragment.count)
        #expect(walker.declaredSamples == 60)
    }

    /// The crafted stream that cost gigabytes: a trun of no per-sample fields and a sample count
    /// far beyond the bytes sent. Exactly as many samples as bytes up to the moof's end pass.
    @Test func truncDeclaringMoreSamplesThanTheStreamHasBytesIsRefused() {
        let start = Self.ftyp + Self.moov
        let fragmentSize = Self.moof(Self.traf(Self.trun(0))).count
        let allowed = start.count + fragmentSize
        let (_, fits, _) = Self.walk(start + Self.moof(Self.traf(Self.trun(allowed))), chunksOf: 1)
        #expect(fits == nil)

        var walker = MP4BoxWalker()
        #expect(walker.admit(start) == .pass(start))
        let refusal = "its trun boxes declare \(allowed + 1) samples in its first \(allowed) bytes, more than one a byte (MP4 sample limit)"
        #expect(walker.admit(Self.moof(Self.traf(Self.trun(allowed + 1)))) == .refuse(refusal), "none of the moof passes")
        #expect(walker.admit(Self.box("mdat", [1])) == .refuse(refusal), "a refused stream stays refused")
        // Counts add up over fragments: the second moof's truns break it even if each alone would not.
        let (_, summed, _) = Self.walk(start + Self.moof(Self.traf(Self.trun(allowed - 10)))
                                       + Self.moof(Self.traf(Self.trun(fragmentSize + 11))), chunksOf: 4096)
        #expect(summed?.hasPrefix("its trun boxes declare \(allowed + fragmentSize + 1) samples") == true, "\(summed ?? "passed")")
    }

    @Test func aMoofOverTheLimitIsRefusedAtItsHeader() {
        let limit = MP4BoxWalker.maxMoofSize
        var walker = MP4BoxWalker()
        _ = walker.admit(Self.ftyp)
        #expect(walker.admit(Self.be32(limit + 1) + Array("moof".utf8)) == .refuse(
            "its moof box of \(limit + 1) bytes is over the \(limit)-byte limit (MP4 sample limit)"))
        #expect(walker.heldBytes == 0, "nothing of it is kept")
        var unsized = MP4BoxWalker()
        #expect(unsized.admit(Self.be32(0) + Array("moof".utf8)) == .refuse("its moof box has no size (it runs to the end of the stream)"))
        // A moof of exactly the limit (padded with a free box) is held and passed.
        let inner = Self.box("mfhd", [0, 0, 0, 0] + Self.be32(1)) + Self.traf(Self.trun(1, sizes: [1]))
        let largest = Self.box("moof", inner + Self.box("free", [UInt8](repeating: 0, count: limit - 16 - inner.count)))
        #expect(largest.count == limit)
        let (passed, refusal, _) = Self.walk(Self.ftyp + largest, chunksOf: 65536)
        #expect(refusal == nil, "\(refusal ?? "")")
        #expect(passed == Self.ftyp + largest)
    }

    @Test func boxesShorterThanTheirHeadersOrOverrunningTheirMoofAreRefused() {
        var seven = MP4BoxWalker()
        #expect(seven.admit(Self.ftyp + Self.be32(7) + Array("moov".utf8)) == .refuse("its moov box of 7 bytes is shorter than its own header"))
        var large = MP4BoxWalker()
        #expect(large.admit(Self.be32(1) + Array("mdat".utf8) + Self.be64(15)) == .refuse("its mdat box of 15 bytes is shorter than its own header"))
        let overrun = Self.box("moof", Self.be32(64) + Array("traf".utf8) + Self.trun(1))
        #expect(Self.walk(overrun, chunksOf: 4096).refusal == "its traf box of 64 bytes overruns the box around it")
        let short = Self.moof(Self.box("traf", Self.box("trun", [0, 0, 0, 0, 0, 0])))
        #expect(Self.walk(short, chunksOf: 4096).refusal == "its trun box of 14 bytes is too short for a sample count")
        let cutHeader = Self.box("moof", [0, 0, 0])
        #expect(Self.walk(cutHeader, chunksOf: 4096).refusal == "its moof box ends inside a box header")
        let unprintable = Self.be32(3) + [0x00, 0x0A, 0xFF, 0x41]
        #expect(Self.walk(unprintable, chunksOf: 4096).refusal == "its 00 0a ff 41 box of 3 bytes is shorter than its own header")
    }

    /// The demuxer reads a trun in any box it descends into; fragments keep theirs in moof/traf.
    @Test(arguments: [1, 4096])
    func aTrunAnywhereElseIsRefused(chunk: Int) {
        let outside = "it has a trun box outside a moof's traf box (MP4 sample limit)"
        let inMoov = Self.box("moov", Self.traf(Self.trun(1 << 30)))
        #expect(Self.walk(Self.ftyp + inMoov, chunksOf: chunk).refusal == outside)
        let inMoof = Self.moof(Self.trun(1 << 30))
        #expect(Self.walk(Self.ftyp + inMoof, chunksOf: chunk).refusal == outside)
        let nested = Self.moof(Self.box("traf", Self.box("udta", Self.trun(1 << 30))))
        #expect(Self.walk(Self.ftyp + nested, chunksOf: chunk).refusal == outside)
    }

    /// ffmpeg's fragmented MP4 as Safari writes it (H.264, an AAC track), cut at random: passes
    /// byte for byte, every fragment's samples counted.
    @Test(arguments: [3, 4] as [UInt64])
    func aFragmentedMP4MadeByFFmpegPassesUntouched(seed: UInt64) async throws {
        let folder = try Clips.temporaryFolder()
        defer { try? FileManager.default.removeItem(at: folder) }
        let file = try await FragmentedMP4.make(from: TestData.fixture("vp8_640x480.webm"), into: folder)
        let whole = [UInt8](try Data(contentsOf: file))
        var walker = MP4BoxWalker()
        var passed: [UInt8] = []
        for chunk in FragmentedMP4.chunks(of: whole, seed: seed, largest: 3000) {
            guard case .pass(let out) = walker.admit(chunk) else { Issue.record("refused: \(walker.admit([]))"); return }
            passed += out
        }
        #expect(passed == whole)
        #expect(walker.declaredSamples > 0)
        #expect(walker.declaredSamples * 50 < UInt64(whole.count), "a real sample is far more than a byte")
    }
}
