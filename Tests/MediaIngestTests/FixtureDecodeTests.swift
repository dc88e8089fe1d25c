import Foundation
import MediaIngest
import Testing
import TestSupport

@Suite(.timeLimit(.minutes(15))) struct FixtureDecodeTests {
    @Test func vp8ClipDecodesEveryFrameInOrder() throws {
        let clip = try DecodedClip(source: FileDescriptorSource(path: TestData.fixture("vp8_640x480.webm")))
        #expect(clip.info.codec == "vp8")
        #expect(clip.info.width == 640 && clip.info.height == 480)
        #expect(clip.times.count == 150)
        #expect(clip.sizes == ["640x480"])
        #expect(clip.counters.decodeErrors == 0)
        #expect(clip.counters.endedEarly == nil)
        // 30 fps on a millisecond timebase: each step is 33 or 34 ms.
        for (earlier, later) in zip(clip.times, clip.times.dropFirst()) {
            #expect(abs(later - earlier - 1.0 / 30) < 0.002)
        }
        #expect(clip.keyframes.enumerated().filter(\.element).map(\.offset) == [0, 30, 60, 90, 120])
    }

    @Test func vp9ClipDecodes() throws {
        let clip = try DecodedClip(source: FileDescriptorSource(path: TestData.fixture("vp9_320x240.webm")))
        #expect(clip.info.codec == "vp9")
        #expect(clip.times.count == 60)
        #expect(clip.sizes == ["320x240"])
    }

    @Test func liveMuxedClipWithUnknownSizeClustersDecodes() throws {
        let clip = try DecodedClip(source: FileDescriptorSource(path: TestData.fixture("live_vp8.webm")))
        #expect(clip.times.count == 90)
        #expect(clip.counters.endedEarly == nil)
    }

    @Test func truncatedFileKeepsTheFramesBeforeTheCutAndSaysSo() throws {
        let whole = try DecodedClip(source: FileDescriptorSource(path: TestData.fixture("vp8_640x480.webm")))
        let cut = try DecodedClip(source: FileDescriptorSource(path: TestData.fixture("truncated_vp8.webm")))
        #expect(cut.times.count > 60 && cut.times.count < 150)
        #expect(cut.checksums == Array(whole.checksums.prefix(cut.times.count)))
        #expect(cut.counters.endedEarly?.contains("truncated") == true)
    }

    @Test func rgbAndGrayAndScaledOutputsHaveTheirLayouts() throws {
        let path = TestData.fixture("vp9_320x240.webm")
        let rgb = try MediaDecoder(file: path, options: DecodeOptions(pixelFormat: .rgb24))
        let frame = try #require(try rgb.nextFrame())
        #expect(frame.pixels.count == 320 * 240 * 3 && frame.rowBytes == 960)
        let gray = try MediaDecoder(file: path, options: DecodeOptions(pixelFormat: .gray8, outputSize: (160, 120)))
        let small = try #require(try gray.nextFrame())
        #expect(small.width == 160 && small.height == 120 && small.pixels.count == 160 * 120)
        // lavfi's testsrc is colourful: an RGB frame is not grey everywhere.
        let pixels = frame.pixels
        let coloured = stride(from: 0, to: pixels.count, by: 3).contains { (index: Int) -> Bool in
            pixels[index] != pixels[index + 1] || pixels[index + 1] != pixels[index + 2]
        }
        #expect(coloured)
    }

    /// Planar YUV420P is what the decoder of VP8 gives; other layouts and sizes are converted to it,
    /// and each frame is the three planes packed, whatever the size's parity.
    @Test(arguments: [("mjpeg_65x33.mkv", 65, 33), ("vp9_10bit_96x64.webm", 96, 64), ("h264_97x61.mkv", 97, 61)])
    func yuvOutputComesFromAnyLayout(name: String, width: Int, height: Int) throws {
        let clip = try DecodedClip(source: FileDescriptorSource(path: TestData.fixture(name)))
        #expect(clip.times.count >= 10)
        #expect(clip.sizes == ["\(width)x\(height)"])
        #expect(clip.counters.decodeErrors == 0)
        let decoder = try MediaDecoder(file: TestData.fixture(name), options: DecodeOptions(pixelFormat: .yuv420p))
        let frame = try #require(try decoder.nextFrame())
        #expect(frame.pixels.count == width * height + 2 * ((width + 1) / 2) * ((height + 1) / 2))
        let scaled = try MediaDecoder(file: TestData.fixture(name),
                                      options: DecodeOptions(pixelFormat: .yuv420p, outputSize: (31, 17)))
        #expect(try #require(try scaled.nextFrame()).pixels.count == 31 * 17 + 2 * 16 * 9)
    }
}
