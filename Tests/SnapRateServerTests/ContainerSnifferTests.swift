@testable import SnapRateServer
import Testing

/// Chunk boundaries fall anywhere, the header too: Chromium's MediaRecorder has been seen to send
/// a first chunk of one byte, and its MP4 recorder has sent the `ftyp` box alone. The container is
/// decided on the first four bytes (WebM) or eight (MP4), however many chunks they take.
@Suite(.timeLimit(.minutes(15))) struct ContainerSnifferTests {
    /// The start of Safari's (and ffmpeg's) fragmented MP4: a 28-byte `ftyp` box, then `moov`.
    static let mp4Start: [UInt8] = [0x00, 0x00, 0x00, 0x1C] + Array("ftypiso5".utf8) + [0x00, 0x00, 0x02, 0x00]
        + Array("iso5iso6mp41".utf8) + [0x00, 0x00, 0x04, 0xCD] + Array("moov".utf8)
    static let webmStart: [UInt8] = [0x1A, 0x45, 0xDF, 0xA3, 0x9F, 0x42, 0x86, 0x81, 0x01]

    @Test func aWebMHeaderSplitAcrossChunksPassesWholeAndInOrder() {
        var sniffer = ContainerSniffer()
        #expect(sniffer.admit([0x1A]) == .undecided)
        #expect(sniffer.admit([]) == .undecided)
        #expect(sniffer.admit([0x45, 0xDF]) == .undecided)
        #expect(sniffer.admit([0xA3, 0x9F, 0x42]) == .pass([0x1A, 0x45, 0xDF, 0xA3, 0x9F, 0x42]))
        #expect(sniffer.container == .webm)
        #expect(sniffer.admit([0x00]) == .pass([0x00]), "after the header anything goes on as it came")
        #expect(sniffer.finish() == nil)
    }

    @Test(arguments: [(webmStart, ContainerSniffer.Container.webm, 4), (mp4Start, .mp4, 8)])
    func oneByteChunksAreHeldUntilTheContainerIsKnown(start: [UInt8], container: ContainerSniffer.Container, decidedAfter: Int) {
        var sniffer = ContainerSniffer()
        var passed: [UInt8] = []
        for (index, byte) in start.enumerated() {
            switch sniffer.admit([byte]) {
            case .undecided:
                #expect(index + 1 < decidedAfter, "byte \(index + 1) should have decided it")
            case .pass(let bytes):
                #expect(index + 1 >= decidedAfter)
                passed += bytes
            case .refuse(let reason):
                Issue.record("refused at byte \(index + 1): \(reason)")
            }
        }
        #expect(sniffer.container == container)
        #expect(passed == start, "every byte passes once, in order")
        #expect(sniffer.finish() == nil)
    }

    @Test func anMP4HeaderInTwoUnevenChunksPassesWhole() {
        var sniffer = ContainerSniffer()
        #expect(sniffer.admit(Array(Self.mp4Start.prefix(6))) == .undecided)
        #expect(sniffer.admit(Array(Self.mp4Start.dropFirst(6))) == .pass(Self.mp4Start))
        #expect(sniffer.container == .mp4)
    }

    @Test func otherBytesAreRefusedNamingWhatTheyStartWith() {
        var id3 = ContainerSniffer()
        #expect(id3.admit([0x49, 0x44]) == .undecided)
        #expect(id3.admit([0x33, 0x04, 0x00]) == .refuse(
            "not a WebM or MP4 stream (it starts 49 44 33 04 00, neither an EBML header nor an ftyp box)"))
        #expect(id3.container == nil)
        // An MP4 box that is not `ftyp` (a QuickTime file opening with `moov`) is refused too.
        var moov = ContainerSniffer()
        #expect(moov.admit([0x00, 0x00, 0x04, 0xCD, 0x6D, 0x6F, 0x6F, 0x76]) == .refuse(
            "not a WebM or MP4 stream (it starts 00 00 04 cd 6d 6f 6f 76, neither an EBML header nor an ftyp box)"))
        // Refused as soon as the type cannot become `ftyp`, not only at eight bytes.
        var early = ContainerSniffer()
        #expect(early.admit(Array("GET / HTTP/1.1".utf8).prefix(5).map { $0 }) == .refuse(
            "not a WebM or MP4 stream (it starts 47 45 54 20 2f, neither an EBML header nor an ftyp box)"))
    }

    @Test(arguments: [[0x00, 0x00, 0x00, 0x08], [0xFF, 0xFF, 0xFF, 0xFF], [0x00, 0x00, 0x00, 0x01], [0x00, 0x00, 0x00, 0x1E]] as [[UInt8]])
    func anFtypBoxOfAnImpossibleSizeIsRefused(size: [UInt8]) {
        var sniffer = ContainerSniffer()
        let claimed = size.reduce(0) { $0 << 8 | Int($1) }
        #expect(sniffer.admit(size + Array("ftyp".utf8)) == .refuse("not an MP4 stream (its ftyp box claims \(claimed) bytes)"))
    }

    @Test func aStreamThatEndsBeforeItIsDecidedIsRefusedAtItsEnd() {
        var short = ContainerSniffer()
        #expect(short.admit([0x1A, 0x45]) == .undecided)
        #expect(short.finish() == "not a WebM or MP4 stream (it ended after 2 bytes)")
        var halfMP4 = ContainerSniffer()
        #expect(halfMP4.admit(Array(Self.mp4Start.prefix(7))) == .undecided)
        #expect(halfMP4.finish() == "not a WebM or MP4 stream (it ended after 7 bytes)")
        #expect(ContainerSniffer().finish() == nil, "no bytes at all is the decoder's to report")
    }
}
