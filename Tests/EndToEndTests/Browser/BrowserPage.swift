import TestSupport
import Foundation

/// One page (a window) of a real browser under test, whichever protocol drives it.
protocol BrowserPage: Sendable {
    /// Evaluates a JavaScript expression in the page, awaiting a promise, and returns its value
    /// (a string, number or boolean; tests return `JSON.stringify(...)` for anything larger).
    func evaluate(_ expression: String) async throws -> Any?
    /// Loads `url` and returns once the document is complete.
    func navigate(_ url: String) async throws
    /// A PNG of the page, written to `file`.
    func screenshot(to file: URL) async throws
    /// Uncaught exceptions and console errors seen so far.
    var reportedProblems: [String] { get }
}

extension BrowserPage {
    /// Evaluates an expression that returns `JSON.stringify(...)` and decodes it.
    func evaluate<T: Decodable>(_ type: T.Type, _ expression: String) async throws -> T {
        guard let text = try await evaluate(expression) as? String else {
            throw BrowserError(description: "\(expression) gave no string")
        }
        return try JSONDecoder().decode(T.self, from: Data(text.utf8))
    }

    /// Polls `expression` (a JSON string) until `done` holds for its value, saying once a minute
    /// what it last saw.
    func waitFor<T: Decodable & Sendable>(_ type: T.Type, _ expression: String, _ what: String,
                                          until done: @escaping @Sendable (T) -> Bool) async throws -> T {
        var waiting = StillWaiting()
        var last: T?
        while true {
            if let value = try? await evaluate(T.self, expression) {
                last = value
                if done(value) { return value }
            }
            try await Task.sleep(for: .milliseconds(200))
            waiting.report("\(what); last seen: \(String(describing: last))")
        }
    }

    /// Polls until `document.readyState` is complete.
    func waitUntilLoaded(_ url: String) async throws {
        try await eventually("\(url) to finish loading") {
            try await evaluate("document.readyState") as? String == "complete"
        }
    }
}

/// A Chromium window through the Chrome DevTools Protocol.
struct ChromiumPage: BrowserPage {
    let connection: BrowserConnection

    /// Connects to a page's DevTools WebSocket, subscribes to its exceptions and logs, runs `body`.
    static func with<T: Sendable>(_ url: String, _ body: @escaping @Sendable (ChromiumPage) async throws -> T) async throws -> T {
        try await BrowserConnection.with(url) { connection in
            try await connection.send("Page.enable")
            try await connection.send("Runtime.enable")
            try await connection.send("Log.enable")
            return try await body(ChromiumPage(connection: connection))
        }
    }

    func evaluate(_ expression: String) async throws -> Any? {
        let answer = try await connection.send("Runtime.evaluate", ["expression": expression, "returnByValue": true, "awaitPromise": true])
        if let exception = answer["exceptionDetails"] as? [String: Any] {
            throw BrowserError(description: "JavaScript threw: \(BrowserConnection.describe(exception))")
        }
        return (answer["result"] as? [String: Any])?["value"]
    }

    func navigate(_ url: String) async throws {
        let answer = try await connection.send("Page.navigate", ["url": url])
        if let error = answer["errorText"] as? String {
            throw BrowserError(description: "navigating to \(url): \(error)")
        }
        try await waitUntilLoaded(url)
    }

    /// The whole page, beyond the window when it is longer.
    func screenshot(to file: URL) async throws {
        let metrics = try await connection.send("Page.getLayoutMetrics")
        let size = metrics["cssContentSize"] as? [String: Any] ?? [:]
        let answer = try await connection.send("Page.captureScreenshot", [
            "format": "png", "captureBeyondViewport": true,
            "clip": ["x": 0, "y": 0, "width": size["width"] as? Double ?? 1280, "height": size["height"] as? Double ?? 800,
                     "scale": 1],
        ])
        try Self.writePNG(answer["data"], to: file)
    }

    var reportedProblems: [String] { connection.reportedProblems }

    static func writePNG(_ base64: Any?, to file: URL) throws {
        guard let base64 = base64 as? String, let png = Data(base64Encoded: base64) else {
            throw BrowserError(description: "no screenshot data")
        }
        try png.write(to: file)
    }
}

/// A Firefox window through WebDriver BiDi.
struct FirefoxPage: BrowserPage {
    let connection: BrowserConnection
    /// The browsing context (the window's top-level document).
    let context: String

    /// Connects to Firefox's BiDi server, opens a session, takes its first window, runs `body`.
    static func with<T: Sendable>(_ url: String, _ body: @escaping @Sendable (FirefoxPage) async throws -> T) async throws -> T {
        try await BrowserConnection.with(url) { connection in
            try await connection.send("session.new", ["capabilities": [String: Any]()])
            try await connection.send("session.subscribe", ["events": ["log.entryAdded"]])
            let tree = try await connection.send("browsingContext.getTree")
            guard let context = (tree["contexts"] as? [[String: Any]])?.first?["context"] as? String else {
                throw BrowserError(description: "Firefox has no window: \(tree)")
            }
            return try await body(FirefoxPage(connection: connection, context: context))
        }
    }

    /// Opens another window in the same session.
    func openWindow() async throws -> FirefoxPage {
        let answer = try await connection.send("browsingContext.create", ["type": "window"])
        guard let context = answer["context"] as? String else {
            throw BrowserError(description: "browsingContext.create gave no context: \(answer)")
        }
        return FirefoxPage(connection: connection, context: context)
    }

    func evaluate(_ expression: String) async throws -> Any? {
        let answer = try await connection.send("script.evaluate", [
            "expression": expression, "target": ["context": context], "awaitPromise": true,
        ])
        if answer["type"] as? String == "exception" {
            let details = answer["exceptionDetails"] as? [String: Any] ?? [:]
            throw BrowserError(description: "JavaScript threw: \(details["text"] ?? details)")
        }
        return (answer["result"] as? [String: Any])?["value"]
    }

    func navigate(_ url: String) async throws {
        try await connection.send("browsingContext.navigate", ["context": context, "url": url, "wait": "complete"])
        try await waitUntilLoaded(url)
    }

    /// The window as shown.
    func screenshot(to file: URL) async throws {
        let answer = try await connection.send("browsingContext.captureScreenshot", ["context": context])
        try ChromiumPage.writePNG(answer["data"], to: file)
    }

    var reportedProblems: [String] { connection.reportedProblems }
}
