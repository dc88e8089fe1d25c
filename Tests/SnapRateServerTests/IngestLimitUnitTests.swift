import Foundation
import HummingbirdWebSocket
import NIOCore
@testable import SnapRateServer
import Testing

/// The limits' bookkeeping on its own, without sockets or clocks.
@Suite(.timeLimit(.minutes(15))) struct IngestLimitUnitTests {
    @Test func theRateAllowsABurstOfAWindowThenTheRate() {
        let start = ContinuousClock.now
        var burst = IngestRate(bytesPerSecond: 1000, window: .seconds(2))
        let whole = burst.admit(2000, at: start), more = burst.admit(1, at: start)
        #expect(whole, "a window's worth at once")
        #expect(!more, "nothing more at once")
        // A second later the bucket has a second's worth again, and no more.
        var steady = IngestRate(bytesPerSecond: 1000, window: .seconds(2))
        let first = steady.admit(2000, at: start)
        let second = steady.admit(1000, at: start + .seconds(1))
        let third = steady.admit(1001, at: start + .seconds(2))
        #expect(first && second && !third)
    }

    @Test func framesJoinIntoMessagesUntilTheLimit() {
        var messages = MessageAssembler(limit: 10)
        func add(_ opcode: WebSocketDataFrame.Opcode, _ bytes: [UInt8], fin: Bool) -> MessageAssembler.Message? {
            messages.add(opcode, ByteBuffer(bytes: bytes), fin: fin)
        }
        #expect(add(.binary, [1, 2, 3], fin: false) == nil)
        #expect(add(.continuation, [4], fin: true) == .binary([1, 2, 3, 4]))
        #expect(add(.text, Array("{\"e\"}".utf8), fin: true) == .text("{\"e\"}"))
        #expect(add(.binary, [UInt8](repeating: 0, count: 8), fin: false) == nil)
        #expect(add(.continuation, [1, 2, 3], fin: false) == .tooLarge(11))
        #expect(add(.continuation, [1], fin: true) == nil, "the rest of a refused message is dropped")
        #expect(add(.binary, [9], fin: true) == .binary([9]))
        #expect(add(.binary, [UInt8](repeating: 7, count: 11), fin: true) == .tooLarge(11), "a message in one frame is held to the limit too")
        #expect(add(.binary, [UInt8](repeating: 7, count: 10), fin: true) == .binary([UInt8](repeating: 7, count: 10)))
    }

    @Test func connectionsAreCountedPerAddressAndInAll() {
        var limits = IngestLimits()
        limits.streamsPerAddress = 2
        limits.subscribersPerAddress = 1
        limits.maxStreams = 3
        let counts = ConnectionCounts(limits: limits)
        let one = Peer(address: "10.0.0.1"), two = Peer(address: "10.0.0.2"), local = Peer(address: "127.0.0.1")
        #expect(counts.admit(.stream, from: one) == nil)
        #expect(counts.admit(.stream, from: one) == nil)
        #expect(counts.admit(.stream, from: one)?.limit == .streamsPerAddress)
        #expect(counts.admit(.subscriber, from: one) == nil, "subscribers have a count of their own")
        #expect(counts.admit(.subscriber, from: one)?.limit == .subscribersPerAddress)
        #expect(counts.admit(.stream, from: two) == nil)
        let full = counts.admit(.stream, from: local)
        #expect(full?.limit == .maxStreams && full?.limit.closeCode == 1013, "loopback is spared the per-address limits only")
        counts.release(.stream, from: one)
        #expect(counts.admit(.stream, from: local) == nil)
        #expect(counts.admit(.subscriber, from: local) == nil && counts.admit(.subscriber, from: local) == nil)
        #expect(Peer(address: "::ffff:127.0.0.1").isLoopback && Peer(address: "::1").isLoopback)
        #expect(!Peer(address: "128.0.0.1").isLoopback)
    }
}
