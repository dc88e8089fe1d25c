import TestSupport
import Foundation
import HummingbirdWSClient
import Logging
import NIOCore

/// One connection to a browser's remote protocol over a WebSocket: Chrome's DevTools Protocol or
/// WebDriver BiDi (Firefox), which frame commands alike (`{"id","method","params"}`, answered
/// with the same id and a `result` or an `error`). It also keeps the events a test wants to see
/// afterwards: uncaught exceptions, console and log errors.
final class BrowserConnection: @unchecked Sendable {
    private let outbound: WebSocketOutboundWriter
    private let lock = NSLock()
    private var nextID = 0
    private var pending: [Int: CheckedContinuation<Data, any Error>] = [:]
    private var cancelled: Set<Int> = []
    private var closed = false
    private var problems: [String] = []

    private init(outbound: WebSocketOutboundWriter) {
        self.outbound = outbound
    }

    /// Connects to `url` (a DevTools or BiDi WebSocket), runs `body`, then closes the connection.
    static func with<T: Sendable>(_ url: String, _ body: @escaping @Sendable (BrowserConnection) async throws -> T) async throws -> T {
        let result = ResultBox<T>()
        // Screenshots arrive as one large text frame.
        let configuration = WebSocketClientConfiguration(maxFrameSize: 64 << 20)
        try await WebSocketClient.connect(url: url, configuration: configuration, logger: Logger(label: "test.browser")) { inbound, outbound, _ in
            let connection = BrowserConnection(outbound: outbound)
            await withThrowingTaskGroup(of: Void.self) { group in
                group.addTask {
                    defer { connection.connectionClosed() }
                    for try await message in inbound.messages(maxSize: 64 << 20) {
                        if case .text(let text) = message { connection.receive(text) }
                    }
                }
                do {
                    result.set(.success(try await body(connection)))
                } catch {
                    result.set(.failure(error))
                }
                // The browser answers the close, which ends the reader above.
                try? await outbound.close(.normalClosure, reason: nil)
                group.cancelAll()
            }
        }
        return try result.get()
    }

    /// Sends a command and waits for its answer's `result` (as JSON). Throws the protocol's error.
    @discardableResult
    func send(_ method: String, _ parameters: [String: Any] = [:]) async throws -> [String: Any] {
        let id = lock.withLock { () -> Int in
            nextID += 1
            return nextID
        }
        let message = try JSONSerialization.data(withJSONObject: ["id": id, "method": method, "params": parameters])
        let data = try await awaiting("the browser's answer to \(method)") {
            try await withTaskCancellationHandler {
                try await self.answer(to: id, method: method, message: message)
            } onCancel: {
                self.cancel(id)
            }
        }
        let object = try JSONSerialization.jsonObject(with: data) as? [String: Any] ?? [:]
        return object
    }

    private func answer(to id: Int, method: String, message: Data) async throws -> Data {
        try await withCheckedThrowingContinuation { (continuation: CheckedContinuation<Data, any Error>) in
            let refusal = lock.withLock { () -> (any Error)? in
                if closed { return BrowserError(description: "browser connection closed before \(method)") }
                // Cancelled before it was even registered.
                if cancelled.remove(id) != nil { return CancellationError() }
                pending[id] = continuation
                return nil
            }
            if let refusal {
                continuation.resume(throwing: refusal)
                return
            }
            let outbound = outbound
            let text = String(decoding: message, as: UTF8.self)
            Task {
                do {
                    try await outbound.write(.text(text))
                } catch {
                    self.complete(id, with: .failure(error))
                }
            }
        }
    }

    /// Uncaught exceptions, console errors and browser log errors seen so far.
    var reportedProblems: [String] { lock.withLock { problems } }

    // MARK: - Receiving

    private func receive(_ text: String) {
        guard let object = try? JSONSerialization.jsonObject(with: Data(text.utf8)) as? [String: Any] else { return }
        if let id = object["id"] as? Int {
            if let error = object["error"] as? [String: Any] {
                complete(id, with: .failure(BrowserError(description: "DevTools error: \(error["message"] ?? error)")))
            } else if let error = object["error"] as? String {
                complete(id, with: .failure(BrowserError(description: "BiDi error: \(error): \(object["message"] ?? "")")))
            } else {
                let result = (try? JSONSerialization.data(withJSONObject: object["result"] ?? [:])) ?? Data("{}".utf8)
                complete(id, with: .success(result))
            }
            return
        }
        guard let method = object["method"] as? String, let parameters = object["params"] as? [String: Any] else { return }
        switch method {
        case "Runtime.exceptionThrown":
            let details = parameters["exceptionDetails"] as? [String: Any] ?? [:]
            record("exception: \(Self.describe(details))")
        case "log.entryAdded" where parameters["level"] as? String == "error":
            // BiDi: uncaught exceptions are `javascript` entries; console.error is `console`.
            let kind = parameters["type"] as? String == "javascript" ? "exception" : "console.error"
            record("\(kind): \(parameters["text"] ?? "")")
        case "Runtime.consoleAPICalled" where parameters["type"] as? String == "error":
            let arguments = parameters["args"] as? [[String: Any]] ?? []
            record("console.error: \(arguments.map { "\($0["value"] ?? $0["description"] ?? "")" }.joined(separator: " "))")
        case "Log.entryAdded":
            let entry = parameters["entry"] as? [String: Any] ?? [:]
            if entry["level"] as? String == "error" {
                record("log (\(entry["source"] ?? "?")): \(entry["text"] ?? "") \(entry["url"] ?? "")")
            }
        default:
            break
        }
    }

    private func record(_ problem: String) {
        lock.withLock { problems.append(problem) }
    }

    private func cancel(_ id: Int) {
        let continuation = lock.withLock { () -> CheckedContinuation<Data, any Error>? in
            guard let waiting = pending.removeValue(forKey: id) else {
                cancelled.insert(id)
                return nil
            }
            return waiting
        }
        continuation?.resume(throwing: CancellationError())
    }

    private func complete(_ id: Int, with result: Result<Data, any Error>) {
        let continuation = lock.withLock { pending.removeValue(forKey: id) }
        continuation?.resume(with: result)
    }

    private func connectionClosed() {
        let waiting = lock.withLock { () -> [CheckedContinuation<Data, any Error>] in
            closed = true
            defer { pending.removeAll() }
            return Array(pending.values)
        }
        for continuation in waiting {
            continuation.resume(throwing: BrowserError(description: "browser connection closed"))
        }
    }

    static func describe(_ details: [String: Any]) -> String {
        let exception = details["exception"] as? [String: Any]
        let text = exception?["description"] as? String ?? details["text"] as? String ?? "\(details)"
        return "\(text) (\(details["url"] ?? "?"):\(details["lineNumber"] ?? "?"))"
    }
}

struct BrowserError: Error, CustomStringConvertible {
    var description: String
}

/// The value a closure produced on another task.
final class ResultBox<T: Sendable>: @unchecked Sendable {
    private let lock = NSLock()
    private var result: Result<T, any Error>?

    func set(_ value: Result<T, any Error>) { lock.withLock { result = value } }

    func get() throws -> T {
        guard let result = lock.withLock({ result }) else {
            throw BrowserError(description: "the browser connection ended before the test did")
        }
        return try result.get()
    }
}
