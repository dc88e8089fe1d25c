import Foundation
import NIOCore
import SnapRateCore

/// Byte chunks pushed from async code (a WebSocket, a test), read by the decoder's thread.
///
/// This is how a browser's MediaRecorder output reaches FFmpeg: the first chunk holds the EBML
/// header and Tracks, later chunks start anywhere, often mid-cluster. The decoder sees one
/// continuous byte stream. Memory is bounded: `push` suspends while more than `capacity` bytes wait,
/// and a chunk over `maxChunkSize` is refused (it ends the feed). A feed whose reader has waited
/// `idleTimeout` for a byte ends with a failure: a sender that went quiet does not hold a decoder
/// thread forever.
public final class ChunkFeed: ByteSource, @unchecked Sendable {
    public let name: String
    public let capacity: Int
    public let maxChunkSize: Int
    public let idleTimeout: Duration?

    /// What became of a pushed chunk.
    public enum Push: Sendable, Equatable {
        /// Queued for the reader.
        case queued
        /// The reader has gone or the feed has ended: the chunk was thrown away.
        case closed
        /// The chunk broke a limit; the feed has ended with this message as its failure.
        case refused(String)
    }

    // Every field below is guarded by `condition`.
    private let condition = NSCondition()
    private var chunks = CircularBuffer<[UInt8]>()
    /// Bytes of the first chunk already read.
    private var offsetInHead = 0
    private var buffered = 0
    private var finished = false
    private var failure: String?
    private var readerGone = false
    private var idledOut = false
    private var waitingProducers: [CheckedContinuation<Void, Never>] = []

    public init(name: String, capacity: Int = 16 << 20, maxChunkSize: Int = Defaults.maxMessageSize, idleTimeout: Duration? = nil) {
        self.name = name
        self.capacity = capacity
        self.maxChunkSize = maxChunkSize
        self.idleTimeout = idleTimeout
    }

    /// True once the feed ended because its reader waited `idleTimeout` for a byte.
    public var timedOut: Bool { condition.withLock { idledOut } }

    /// Queues one chunk. Suspends while the buffer is over capacity. A chunk over `maxChunkSize`
    /// ends the feed with a failure the reader sees after the bytes already queued.
    @discardableResult
    public func push(_ chunk: [UInt8]) async -> Push {
        if chunk.count > maxChunkSize {
            let reason = "a chunk of \(chunk.count) bytes is over the \(maxChunkSize)-byte chunk limit"
            return condition.withLock { readerGone || finished } ? .closed : refuse(reason)
        }
        while true {
            let admitted: Push? = condition.withLock {
                if readerGone || finished { return .closed }
                if buffered < capacity {
                    if !chunk.isEmpty {
                        chunks.append(chunk)
                        buffered += chunk.count
                        condition.broadcast()
                    }
                    return .queued
                }
                return nil
            }
            if let admitted { return admitted }
            await withCheckedContinuation { continuation in
                let wakeNow = condition.withLock {
                    if buffered < capacity || readerGone || finished { return true }
                    waitingProducers.append(continuation)
                    return false
                }
                if wakeNow { continuation.resume() }
            }
        }
    }

    /// Ends the stream: the reader sees `.end` (or `.failure`) after the bytes already queued.
    /// The first call decides: a later plain `finish()` (a socket's clean-up) keeps the failure.
    public func finish(failure: String? = nil) {
        let producers = condition.withLock {
            guard !finished else { return [CheckedContinuation<Void, Never>]() }
            finished = true
            self.failure = failure
            condition.broadcast()
            return takeProducers()
        }
        producers.forEach { $0.resume() }
    }

    /// Ends the stream at once with a failure: bytes still queued are dropped, so a sender that
    /// broke a limit costs no more decoding.
    public func abort(failure: String) {
        let producers = condition.withLock {
            guard !finished else { return [CheckedContinuation<Void, Never>]() }
            finished = true
            self.failure = failure
            dropQueued()
            condition.broadcast()
            return takeProducers()
        }
        producers.forEach { $0.resume() }
    }

    public func read(into buffer: UnsafeMutableRawBufferPointer) -> ByteRead {
        guard let destination = buffer.baseAddress, !buffer.isEmpty else { return .bytes(0) }
        var producers: [CheckedContinuation<Void, Never>] = []
        let result: ByteRead = condition.withLock {
            let deadline = idleTimeout.map { Date(timeIntervalSinceNow: $0.inSeconds) }
            while buffered == 0 && !finished && !readerGone {
                guard let deadline else {
                    condition.wait()
                    continue
                }
                if !condition.wait(until: deadline) && buffered == 0 && !finished && !readerGone {
                    finished = true
                    idledOut = true
                    failure = "no bytes for \(idleTimeout?.shown ?? "") (idle timeout)"
                    producers = takeProducers()
                }
            }
            if buffered == 0 {
                if let failure { return .failure(failure) }
                return .end
            }
            var written = 0
            while written < buffer.count, let chunk = chunks.first {
                let count = min(chunk.count - offsetInHead, buffer.count - written)
                chunk.withUnsafeBytes { bytes in
                    (destination + written).copyMemory(from: bytes.baseAddress! + offsetInHead, byteCount: count)
                }
                written += count
                offsetInHead += count
                if offsetInHead == chunk.count {
                    chunks.removeFirst()
                    offsetInHead = 0
                }
            }
            buffered -= written
            if buffered < capacity { producers = takeProducers() }
            return .bytes(written)
        }
        producers.forEach { $0.resume() }
        return result
    }

    public func close() {
        let producers = condition.withLock {
            readerGone = true
            condition.broadcast()
            return takeProducers()
        }
        producers.forEach { $0.resume() }
    }

    private func refuse(_ reason: String) -> Push {
        abort(failure: reason)
        return .refused(reason)
    }

    /// Called with `condition` held.
    private func dropQueued() {
        chunks.removeAll()
        offsetInHead = 0
        buffered = 0
    }


    private func takeProducers() -> [CheckedContinuation<Void, Never>] {
        defer { waitingProducers.removeAll() }
        return waitingProducers
    }
}
