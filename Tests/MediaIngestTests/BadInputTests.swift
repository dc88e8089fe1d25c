import Foundation
import MediaIngest
import Testing
import TestSupport

@Suite(.timeLimit(.minutes(15))) struct BadInputTests {
    private func failure(_ source: ByteSource, options: DecodeOptions = DecodeOptions()) -> MediaError? {
        do {
            let decoder = try MediaDecoder(source: source, options: options)
            while try decoder.nextFrame() != nil {}
            return nil
        } catch {
            return error
        }
    }

    @Test(arguments: [
        ("garbage.bin", "not a video format"),
        ("tone.mp3", "no video stream"),
        ("still.png", "still image"),
        ("huge_4112x16.webm", "over the 4096 px limit"),
    ])
    func badFilesAreRefusedWithAMessageNamingThem(name: String, reason: String) throws {
        let path = TestData.fixture(name)
        let error = try #require(failure(try FileDescriptorSource(path: path)))
        #expect(error.source == path)
        #expect(error.reason.contains(reason), "\(error)")
        #expect(!error.description.contains("\n"))
    }

    @Test func emptyInputIsRefused() throws {
        let error = try #require(failure(ChunkFeed.feeding([], name: "stdin")))
        #expect(error.description == "stdin: is empty: no bytes to decode")
    }

    @Test func missingFileIsRefused() {
        #expect(throws: MediaError.self) { try FileDescriptorSource(path: "/nonexistent/clip.webm") }
    }

    @Test func sizeLimitIsConfigurable() throws {
        let path = TestData.fixture("vp8_640x480.webm")
        let error = try #require(failure(try FileDescriptorSource(path: path), options: DecodeOptions(maxDimension: 320)))
        #expect(error.reason.contains("640x480 is over the 320 px limit"))
    }

    @Test func stillImagesDecodeWhenAsked() throws {
        let decoder = try MediaDecoder(file: TestData.fixture("still.png"),
                                       options: DecodeOptions(pixelFormat: .rgb24, acceptStillImages: true))
        #expect(decoder.info.isStillImage)
        let frame = try #require(try decoder.nextFrame())
        #expect(frame.width == 64 && frame.height == 48)
        #expect(try decoder.nextFrame() == nil)
    }

    @Test func aFailingSourceEndsTheStreamWithItsReason() async throws {
        let whole = try bytes(of: TestData.fixture("vp8_640x480.webm"))
        let feed = ChunkFeed(name: "kiosk-7")
        Task {
            await feed.push(Array(whole.prefix(150_000)))
            feed.finish(failure: "socket closed")
        }
        let clip = try await DecodedClip.decode(DecodedFrames(source: feed))
        #expect(clip.times.count > 0)
        #expect(clip.counters.endedEarly == "socket closed")
    }
}
