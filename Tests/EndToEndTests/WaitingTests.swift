import Foundation
import Testing
import TestSupport

/// The waits without deadlines (`Waiting.swift`) that every suite here leans on: each returns
/// what it waited for, and each gives up when its test is cancelled, as a suite's time limit
/// does, even while blocked on a thread of its own.
@Suite(.timeLimit(.minutes(15))) struct WaitingTests {
    /// A connected pair of sockets, closed when `body` returns.
    private static func withSocketPair<T>(_ body: (_ reader: Int32, _ writer: Int32) async throws -> T) async throws -> T {
        var pair: [Int32] = [0, 0]
        guard socketpair(AF_UNIX, Int32(SOCK_STREAM.rawValue), 0, &pair) == 0 else {
            throw MissingTestData(description: "socketpair: errno \(errno)")
        }
        defer { close(pair[0]); close(pair[1]) }
        return try await body(pair[0], pair[1])
    }

    @Test func aReadReturnsWhatArrivesAndGivesUpWhenItsTaskIsCancelled() async throws {
        try await Self.withSocketPair { reader, writer in
            #expect(send(writer, "hi", 2, 0) == 2)
            let got = try await offPool {
                var buffer = [UInt8](repeating: 0, count: 16)
                let count = try receiveWithoutDeadline(reader, into: &buffer, count: buffer.count, waitingFor: "two bytes")
                return String(decoding: buffer[..<max(0, count)], as: UTF8.self)
            }
            #expect(got == "hi")

            // Nothing more is sent: only the cancellation ends this read.
            let reading = Task {
                try await offPool {
                    var buffer = [UInt8](repeating: 0, count: 16)
                    return try receiveWithoutDeadline(reader, into: &buffer, count: buffer.count, waitingFor: "bytes nobody sends")
                }
            }
            reading.cancel()
            await #expect(throws: CancellationError.self) { try await reading.value }
        }
    }

    @Test func aSemaphoreWaitOnItsOwnThreadGivesUpWhenItsTaskIsCancelled() async throws {
        // (Made at 0 and signalled: libdispatch traps on freeing a semaphore below its start value.)
        let signalled = DispatchSemaphore(value: 0)
        signalled.signal()
        try await offPool { try signalled.waitWithoutDeadline(for: "a signal already given") }

        let never = DispatchSemaphore(value: 0)
        let waiting = Task { try await offPool { try never.waitWithoutDeadline(for: "a signal nobody gives") } }
        waiting.cancel()
        await #expect(throws: CancellationError.self) { try await waiting.value }
    }

    @Test func aPollingWaitOnItsOwnThreadGivesUpWhenItsTaskIsCancelled() async throws {
        let polls = LockedText()
        try await offPool {
            try blockingEventually("the third poll") {
                polls.append(".")
                return polls.value.count == 3
            }
        }
        #expect(polls.value == "...")

        let waiting = Task { try await offPool { try blockingEventually("a condition that never holds") { false } } }
        waiting.cancel()
        await #expect(throws: CancellationError.self) { try await waiting.value }
    }

    @Test func awaitingReturnsTheBodysValueAndCancelsTheBodyWhenCancelled() async throws {
        #expect(try await awaiting("a value") { 42 } == 42)

        let bodyEnded = AsyncStream<Void>.makeStream()
        let waiting = Task {
            try await awaiting("a body that sleeps for an hour") {
                defer { bodyEnded.continuation.yield() }
                try await Task.sleep(for: .seconds(3600))
            }
        }
        waiting.cancel()
        await #expect(throws: CancellationError.self) { try await waiting.value }
        // The body was cancelled too, not left sleeping.
        var ended = bodyEnded.stream.makeAsyncIterator()
        #expect(await ended.next() != nil)
    }
}
