import Foundation
import MediaIngest
import Testing
import TestSupport

/// `FrameDelivery.live`: a consumer slower than real time gets recent frames and the decoder
/// counts the ones it replaced; a source faster than real time (a file piped in) still loses none.
@Suite(.timeLimit(.minutes(15))) struct LiveDeliveryTests {
    /// Reads the 90-frame (3 s) live fixture, spending `perFrame` seconds on each frame as
    /// detection would. Returns the media times delivered and how many frames were replaced.
    private func consume(perFrame: Double, maxLag: Double) async throws -> (times: [Double], replaced: Int, decoded: Int) {
        let source = try FileDescriptorSource(path: TestData.fixture("live_vp8.webm"))
        var iterator = DecodedFrames(source: source, options: DecodeOptions(pixelFormat: .gray8), lookahead: 1,
                                     delivery: .live(maxLag: maxLag)).makeAsyncIterator()
        var times: [Double] = []
        var decoded = 0
        while let event = try await iterator.next() {
            switch event {
            case .frame(let frame):
                times.append(frame.time)
                if perFrame > 0 { try await Task.sleep(for: .seconds(perFrame)) }
            case .finished(let counters):
                decoded = counters.framesDecoded
            case .opened, .picture:
                break
            }
        }
        return (times, iterator.framesReplaced, decoded)
    }

    @Test func aConsumerFasterThanRealTimeGetsEveryFrame() async throws {
        // No time spent per frame, on a thread of its own (as the server's detection runs): the
        // suites around this one keep the cooperative pool's two threads busy for seconds at a
        // time, which would make any consumer there late. The second of slack absorbs the rest.
        let result = try await withTaskExecutorPreference(ConsumerThread()) {
            try await consume(perFrame: 0, maxLag: 1)
        }
        #expect(result.replaced == 0)
        #expect(result.times.count == 90 && result.decoded == 90)
        #expect(result.times == result.times.sorted())
    }

    @Test func aConsumerSlowerThanRealTimeSkipsToRecentFrames() async throws {
        // 80 ms a frame against 33 ms of media: three times slower than the camera.
        let result = try await consume(perFrame: 0.08, maxLag: 0.1)
        #expect(result.replaced > 30, "most frames should give way")
        #expect(result.times.count + result.replaced == result.decoded && result.decoded == 90)
        #expect(result.times == result.times.sorted())
        // The last frame delivered is the clip's last: the consumer ends level with the source.
        #expect((result.times.last ?? 0) > 2.9)
    }

    @Test func everyFrameDeliveryNeverSkips() async throws {
        let source = try FileDescriptorSource(path: TestData.fixture("live_vp8.webm"))
        var frames = 0
        for try await event in DecodedFrames(source: source, options: DecodeOptions(pixelFormat: .gray8), lookahead: 1) {
            if case .frame = event {
                frames += 1
                try await Task.sleep(for: .milliseconds(40))
            }
        }
        #expect(frames == 90)
    }
}

/// A task executor with one thread of its own, for a consumer that must not wait for the
/// cooperative pool.
final class ConsumerThread: TaskExecutor, @unchecked Sendable {
    private let condition = NSCondition()
    private var jobs: [UnownedJob] = []

    init() {
        Thread { [self] in
            while true {
                condition.lock()
                while jobs.isEmpty { condition.wait() }
                let job = jobs.removeFirst()
                condition.unlock()
                job.runSynchronously(on: asUnownedTaskExecutor())
            }
        }.start()
    }

    func enqueue(_ job: consuming ExecutorJob) {
        let job = UnownedJob(job)
        condition.lock()
        jobs.append(job)
        condition.signal()
        condition.unlock()
    }
}
