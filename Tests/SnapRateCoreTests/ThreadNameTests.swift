import Foundation
import SnapRateCore
import Testing

@Suite struct ThreadNameTests {
    @Test func aLongSubjectKeepsItsEndWithinLinuxsFifteenBytes() {
        #expect(threadName("detect ", "1") == "detect 1")
        #expect(threadName("decode ", "ws:booth-north-01") == "decode north-01")
        #expect(threadName("decode ", "stdin") == "decode stdin")
        // Never half a character: "é" is two bytes, and only its second would fit.
        #expect(threadName("decode ", "1234567é") == "decode 234567é")
        #expect(threadName("decode ", "xxxxxxxé1234567") == "decode 1234567")
        #expect(threadName("a-prefix-longer-than-fifteen", "x").utf8.count == 15)
    }

    /// The kernel's own record of the thread, as `top -H` reads it.
    @Test func theKernelShowsTheName() throws {
        let comm = CommReading()
        let thread = Thread {
            nameCurrentThread("decode ", "ws:booth-north-01")
            comm.value = try? String(contentsOfFile: "/proc/thread-self/comm", encoding: .utf8)
            comm.done.signal()
        }
        thread.start()
        comm.done.wait()
        #expect(comm.value == "decode north-01\n")
    }
}

/// What the named thread read, handed back to the test.
private final class CommReading: @unchecked Sendable {
    var value: String?
    let done = DispatchSemaphore(value: 0)
}
