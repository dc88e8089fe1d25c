import Foundation
#if canImport(FoundationNetworking)
import FoundationNetworking
#endif
import HTTPTypes
import HummingbirdWSClient
import Logging
import NIOCore
import NIOWebSocket

/// A message the server sent on a WebSocket.
public struct ServerMessage: Sendable, Decodable, Equatable {
    public var type: String
    public var seq: Int64?
    public var kiosk: String?
    public var rating: String?
    public var confidence: Double?
    public var time: Double?
    public var at: String?
    public var `class`: String?
    public var hands: Int?
    public var from: Int64?
    public var to: Int64?
    public var message: String?
    public var latencyMilliseconds: Double?

    public enum CodingKeys: String, CodingKey {
        case type, seq, kiosk, rating, confidence, time, at, `class`, hands, from, to, message
        case latencyMilliseconds = "latency_ms"
    }

    public var expected: ExpectedRating? {
        guard type == "rating", let rating, let time else { return nil }
        return ExpectedRating(rating: rating, time: time)
    }
}

public final class MessageLog: @unchecked Sendable {
    private let lock = NSLock()
    private var messages: [ServerMessage] = []

    public init() {}

    public var all: [ServerMessage] { lock.withLock { messages } }
    public var ratings: [ServerMessage] { all.filter { $0.type == "rating" } }
    public func append(_ message: ServerMessage) { lock.withLock { messages.append(message) } }
}

public enum SocketClients {
    public static let logger = Logger(label: "test.ws")

    public static func decode(_ text: String) -> ServerMessage {
        (try? JSONDecoder().decode(ServerMessage.self, from: Data(text.utf8))) ?? ServerMessage(type: "unparsed:\(text)")
    }

    /// Subscribes to `/ws` and collects messages until `done` holds for the log (or the server
    /// closes). `headers` go with the upgrade request (`Authorization`, `Sec-WebSocket-Protocol`).
    @discardableResult
    public static func subscribe(_ url: String, into log: MessageLog = MessageLog(), headers: HTTPFields = [:],
                          until done: @escaping @Sendable (MessageLog) -> Bool) async throws -> MessageLog {
        try await awaiting("subscriber \(url), \(log.all.count) messages so far") {
            try await WebSocketClient.connect(url: url, configuration: .init(additionalHeaders: headers), logger: logger) { inbound, _, _ in
                if done(log) { return }
                for try await message in inbound.messages(maxSize: 1 << 20) {
                    guard case .text(let text) = message else { continue }
                    log.append(decode(text))
                    if done(log) { return }
                }
            }
            return log
        }
    }

    /// Sends chunks to `/ingest/{kiosk}` as binary messages, then `{"type":"end"}`, and collects
    /// what comes back until the server closes. Returns the messages and the close code.
    /// With `sayEnd` false the client closes the socket right after the last chunk instead.
    public static func ingest(_ url: String, chunks: [Data], sayEnd: Bool = true,
                       headers: HTTPFields = [:]) async throws -> (MessageLog, WebSocketErrorCode?) {
        let log = MessageLog()
        let close = try await awaiting("ingest \(url) to close, \(log.all.count) messages so far") {
            try await WebSocketClient.connect(url: url, configuration: .init(additionalHeaders: headers), logger: logger) { inbound, outbound, _ in
                for chunk in chunks {
                    try await outbound.write(.binary(ByteBuffer(bytes: chunk)))
                }
                guard sayEnd else { return }
                try await outbound.write(.text("{\"type\":\"end\"}"))
                for try await message in inbound.messages(maxSize: 1 << 20) {
                    guard case .text(let text) = message else { continue }
                    log.append(decode(text))
                }
            }
        }
        return (log, close?.closeCode)
    }

    public static func get(_ url: String) async throws -> (status: Int, body: Data) {
        let (data, response) = try await URLSession.shared.data(from: URL(string: url)!)
        return ((response as? HTTPURLResponse)?.statusCode ?? 0, data)
    }

    public static func getJSON(_ url: String) async throws -> [String: Any] {
        let (status, body) = try await get(url)
        guard status == 200, let object = try JSONSerialization.jsonObject(with: body) as? [String: Any] else {
            throw MissingTestData(description: "GET \(url): \(status) \(String(decoding: body, as: UTF8.self))")
        }
        return object
    }
}

extension SocketClients {
    /// The value of an unlabelled Prometheus series in `GET /metrics` (nil if it is not there).
    public static func metric(_ baseURL: String, _ name: String) async throws -> Double? {
        let (_, body) = try await get("\(baseURL)/metrics")
        for line in String(decoding: body, as: UTF8.self).split(separator: "\n") where line.hasPrefix(name + " ") {
            return Double(line.dropFirst(name.count + 1).trimmingCharacters(in: .whitespaces))
        }
        return nil
    }

    /// Polls `GET /api/sessions` until every session of `kiosk` (at least `count`) has ended; returns them.
    public static func endedSessions(_ baseURL: String, kiosk: String, count: Int = 1) async throws -> [[String: Any]] {
        var sessions: [[String: Any]] = []
        try await eventually("\(count) ended sessions of \(kiosk), now \(sessions)") {
            sessions = try await getJSON("\(baseURL)/api/sessions?kiosk=\(kiosk)")["sessions"] as? [[String: Any]] ?? []
            return sessions.count >= count && sessions.allSatisfy { $0["end_reason"] is String }
        }
        return sessions
    }

    /// Polls `GET /metrics` until the unlabelled series `name` has `value`.
    public static func waitForMetric(_ baseURL: String, _ name: String, _ value: Double) async throws {
        var last: Double?
        try await eventually("\(name) to be \(value), now \(last.map { "\($0)" } ?? "absent")") {
            last = try await metric(baseURL, name)
            return last == value
        }
    }
}

extension ServerMessage {
    public init(type: String) {
        self.type = type
    }
}
