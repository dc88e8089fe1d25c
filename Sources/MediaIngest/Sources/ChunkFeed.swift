import Foundation

/// Byte chunks pushed from async code (a WebSocket, a test), read by the decoder's thread.
///
/// This is how a browser's MediaRecorder output reaches FFmpeg: the first chunk holds the EBML
/// header and Tracks, later chunks start anywhere, often mid-cluster. The decoder sees one
/// continuous byte stream. Memory is bounded: `push` suspends while more than `capacity` bytes wait.
public final class ChunkFeed: ByteSource, @unchecked Sendable {
    public let name: String
    public let capacity: Int

    // Every field below is guarded by `condition`.
    private let condition = NSCondition()
    private var chunks: [[UInt8]] = []
    private var head = 0
    private var offsetInHead = 0
    private var buffered = 0
    private var finished = false
    private var failure: String?
    private var readerGone = false
    private var waitingProducers: [CheckedContinuation<Void, Never>] = []

    public init(name: String, capacity: Int = 16 << 20) {
        self.name = name
        self.capacity = capacity
    }

    /// Queues one chunk. Suspends while the buffer is over capacity; returns false once the reader
    /// has gone (the decoder ended or failed), when further chunks would be thrown away.
    @discardableResult
    public func push(_ chunk: [UInt8]) async -> Bool {
        while true {
            let admitted: Bool? = condition.withLock {
                if readerGone || finished { return false }
                if buffered < capacity {
                    if !chunk.isEmpty {
                        chunks.append(chunk)
                        buffered += chunk.count
                        condition.broadcast()
                    }
                    return true
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

    /// Pushes every chunk of a sequence, then finishes; a thrown error finishes with a failure.
    public func pump<Chunks: AsyncSequence>(_ sequence: Chunks) async where Chunks.Element == [UInt8] {
        do {
            for try await chunk in sequence {
                guard await push(chunk) else { return }
            }
            finish()
        } catch {
            finish(failure: "\(error)")
        }
    }

    public func read(into buffer: UnsafeMutableRawBufferPointer) -> ByteRead {
        guard let destination = buffer.baseAddress, !buffer.isEmpty else { return .bytes(0) }
        var producers: [CheckedContinuation<Void, Never>] = []
        let result: ByteRead = condition.withLock {
            while buffered == 0 && !finished && !readerGone {
                condition.wait()
            }
            if buffered == 0 {
                if let failure { return .failure(failure) }
                return .end
            }
            var written = 0
            while written < buffer.count && head < chunks.count {
                let chunk = chunks[head]
                let count = min(chunk.count - offsetInHead, buffer.count - written)
                chunk.withUnsafeBytes { bytes in
                    (destination + written).copyMemory(from: bytes.baseAddress! + offsetInHead, byteCount: count)
                }
                written += count
                offsetInHead += count
                if offsetInHead == chunk.count {
                    head += 1
                    offsetInHead = 0
                }
            }
            buffered -= written
            compactIfWorthIt()
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

    /// Drops consumed chunks once they are the larger part of the array, so it never grows unbounded.
    private func compactIfWorthIt() {
        if head > 32 && head * 2 > chunks.count {
            chunks.removeFirst(head)
            head = 0
        }
    }

    private func takeProducers() -> [CheckedContinuation<Void, Never>] {
        defer { waitingProducers.removeAll() }
        return waitingProducers
    }
}
