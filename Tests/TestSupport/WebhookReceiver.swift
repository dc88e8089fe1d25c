import Crypto
import Foundation
import HTTPTypes
import Hummingbird
import Logging
import NIOCore

/// One POST a `WebhookReceiver` took: its headers, its body's exact bytes and when it arrived.
public struct ReceivedWebhook: Sendable {
    public let key: String?
    public let signature: String?
    public let body: [UInt8]
    public let arrived: ContinuousClock.Instant
    /// The status it was answered with; nil while it is held.
    public var status: Int?

    /// The body as the test clients read WebSocket messages.
    public var message: ServerMessage { SocketClients.decode(String(decoding: body, as: UTF8.self)) }
    public var seq: Int64? { message.seq }

    /// Whether `SnapRate-Signature` is `t=T,v1=HEX` with HEX the HMAC-SHA256 of `T.BODY` under `secret`,
    /// checked here the way a receiver would, from the header alone.
    public func isSigned(with secret: String) -> Bool {
        guard let signature else { return false }
        var fields: [Substring: Substring] = [:]
        for part in signature.split(separator: ",") {
            let pair = part.split(separator: "=", maxSplits: 1)
            if pair.count == 2 { fields[pair[0]] = pair[1] }
        }
        guard let timestamp = fields["t"], Int64(timestamp) != nil, let given = fields["v1"] else { return false }
        let mac = HMAC<SHA256>.authenticationCode(for: Array("\(timestamp).".utf8) + body,
                                                  using: SymmetricKey(data: Data(secret.utf8)))
        return mac.map { String(format: "%02x", $0) }.joined() == given
    }
}

/// A real HTTP server on loopback that records every webhook POSTed to `/hook` and answers each
/// as `answer` says for the request's index (0 for the first): a status, or held until `release()`.
public final class WebhookReceiver: @unchecked Sendable {
    public enum Answer: Sendable {
        case status(Int)
        /// Not answered until `release()`, then with this status.
        case held(Int)
    }

    public let port: Int
    private let lock = NSLock()
    private var received: [ReceivedWebhook] = []
    private var holding = true
    private let task: Task<Void, any Error>

    public init(answer: @escaping @Sendable (Int) -> Answer = { _ in .status(200) }) async throws {
        let (ports, portSink) = AsyncStream<Int>.makeStream()
        let router = Router()
        let box = Box()
        router.post("/hook") { request, _ -> Response in
            let body = try await request.body.collect(upTo: 1 << 20)
            guard let receiver = box.receiver else { return Response(status: .serviceUnavailable) }
            let index = receiver.record(ReceivedWebhook(
                key: request.headers[HTTPField.Name("Idempotency-Key")!], signature: request.headers[HTTPField.Name("SnapRate-Signature")!],
                body: Array(buffer: body), arrived: .now))
            let status: Int
            switch answer(index) {
            case .status(let code):
                status = code
            case .held(let code):
                while receiver.isHolding { try await Task.sleep(for: .milliseconds(20)) }
                status = code
            }
            receiver.answered(index, status)
            return Response(status: .init(code: status))
        }
        let app = Application(router: router, configuration: .init(address: .hostname("127.0.0.1", port: 0)),
                              onServerRunning: { portSink.yield($0.localAddress?.port ?? 0) },
                              logger: Logger(label: "test.webhook-receiver"))
        task = Task { try await app.runService(gracefulShutdownSignals: []) }
        var bound = 0
        for await port in ports {
            bound = port
            break
        }
        port = bound
        box.receiver = self
    }

    public var url: String { "http://127.0.0.1:\(port)/hook" }

    public var requests: [ReceivedWebhook] { lock.withLock { received } }

    /// The requests answered with a 2xx, in the order they arrived.
    public var acknowledged: [ReceivedWebhook] { requests.filter { ($0.status ?? 0) / 100 == 2 } }

    /// Lets every held request (and any held later) be answered.
    public func release() { lock.withLock { holding = false } }

    public func stop() {
        release()
        task.cancel()
    }

    var isHolding: Bool { lock.withLock { holding } }

    func record(_ request: ReceivedWebhook) -> Int {
        lock.withLock {
            received.append(request)
            return received.count - 1
        }
    }

    func answered(_ index: Int, _ status: Int) { lock.withLock { received[index].status = status } }

    deinit { task.cancel() }

    /// The route is made before the receiver exists; it finds it here.
    private final class Box: @unchecked Sendable {
        private let lock = NSLock()
        private var value: WebhookReceiver?
        var receiver: WebhookReceiver? {
            get { lock.withLock { value } }
            set { lock.withLock { value = newValue } }
        }
    }
}

/// A loopback port that takes connections (the kernel completes them) and never reads or answers:
/// a receiver that hangs.
public final class SilentListener: @unchecked Sendable {
    public let port: Int
    private let socket: Int32

    public init() throws {
        (socket, port) = try LoopbackSocket.bind(listening: 64)
    }

    public var url: String { "http://127.0.0.1:\(port)/hook" }

    deinit { close(socket) }
}
