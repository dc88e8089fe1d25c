import TestSupport
import Foundation
import HummingbirdWSClient
import NIOCore
import NIOWebSocket

/// A WebSocket client that sends its chunks (stopping quietly when the server has closed), then
/// stays connected, collecting what the server sends, until the server closes or `release()`.
final class HeldSocket: Sendable {
    let log = MessageLog()
    private let task: Task<WebSocketErrorCode?, any Error>
    private let releaser: AsyncStream<Void>.Continuation
    private let url: String

    /// - Parameters:
    ///   - framesOf: send each chunk as frames of at most this many bytes (one frame otherwise).
    ///   - sayEnd: send `{"type":"end"}` after the chunks, as a kiosk that has finished does.
    init(_ url: String, chunks: [Data] = [], framesOf frameSize: Int? = nil, sayEnd: Bool = false) {
        let (released, releaser) = AsyncStream<Void>.makeStream()
        self.releaser = releaser
        self.url = url
        let log = log
        task = Task {
            let configuration = WebSocketClientConfiguration(maxFrameSize: frameSize ?? 1 << 14)
            let close = try await WebSocketClient.connect(url: url, configuration: configuration,
                                                          logger: SocketClients.logger) { inbound, outbound, _ in
                do {
                    for chunk in chunks {
                        if frameSize != nil {
                            try await outbound.writeBinaryMessage(ByteBuffer(bytes: chunk))
                        } else {
                            try await outbound.write(.binary(ByteBuffer(bytes: chunk)))
                        }
                    }
                    if sayEnd { try await outbound.write(.text("{\"type\":\"end\"}")) }
                } catch {
                    // The server has closed: what it said is in the inbound stream.
                }
                try await withThrowingTaskGroup(of: Void.self) { group in
                    group.addTask {
                        for try await message in inbound.messages(maxSize: 1 << 20) {
                            if case .text(let text) = message { log.append(SocketClients.decode(text)) }
                        }
                    }
                    group.addTask { for await _ in released {} }
                    try await group.next()
                    group.cancelAll()
                }
            }
            return close?.closeCode
        }
    }

    /// Closes the socket from the client's side.
    func release() {
        releaser.finish()
    }

    /// Waits for the socket to close; the server's close code.
    func closed() async throws -> WebSocketErrorCode? {
        let task = task, url = url, log = log
        // Cancelling the wait (the suite's time limit) cancels the client too.
        return try await awaiting("\(url) to close, \(log.all.count) messages so far") {
            try await withTaskCancellationHandler { try await task.value } onCancel: { task.cancel() }
        }
    }

    var errors: [String] { log.all.filter { $0.type == "error" }.compactMap(\.message) }
}
