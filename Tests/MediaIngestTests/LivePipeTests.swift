import Foundation
import MediaIngest
import Testing
import TestSupport

@Suite(.timeLimit(.minutes(15))) struct LivePipeTests {
    /// A camera pipe stays open while it runs: frames must come out before the writer closes it.
    @Test func framesArriveWhileThePipeIsStillOpen() async throws {
        let whole = try bytes(of: TestData.fixture("live_vp8.webm"))
        let pipe = Pipe()
        let source = FileDescriptorSource(descriptor: pipe.fileHandleForReading.fileDescriptor, name: "stdin")
        pipe.fileHandleForWriting.write(Data(whole.prefix(whole.count / 2)))

        var iterator = DecodedFrames(source: source).makeAsyncIterator()
        var framesBeforeClose = 0
        while framesBeforeClose < 10, let event = try await iterator.next() {
            if case .frame = event { framesBeforeClose += 1 }
        }
        #expect(framesBeforeClose == 10)

        pipe.fileHandleForWriting.write(Data(whole.dropFirst(whole.count / 2)))
        try pipe.fileHandleForWriting.close()
        var total = framesBeforeClose
        while let event = try await iterator.next() {
            if case .frame = event { total += 1 }
        }
        #expect(total == 90)
    }
}
