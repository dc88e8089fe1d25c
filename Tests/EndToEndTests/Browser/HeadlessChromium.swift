import Foundation
import TestSupport

/// A real headless Chromium with a fake camera that plays a y4m file, driven through the Chrome
/// DevTools Protocol. Each instance has its own profile folder and debugging port.
final class HeadlessChromium: @unchecked Sendable {
    let process = Process()
    let port: Int
    /// The browser's own DevTools WebSocket.
    let browser: String
    private let profile: URL

    /// Browser tests run where Chromium and the gesture set are; on CI always, so that a missing
    /// one fails instead of skipping.
    static var testsShouldRun: Bool {
        TestData.isCI || (TestData.gesturesPresent && executable != nil)
    }

    /// `$SNAPRATE_CHROMIUM`, else the first of Debian's `chromium` and its usual names on the PATH.
    static var executable: URL? {
        if let explicit = ProcessInfo.processInfo.environment["SNAPRATE_CHROMIUM"], !explicit.isEmpty {
            return URL(fileURLWithPath: explicit)
        }
        return onPath(["chromium", "chromium-browser", "google-chrome", "google-chrome-stable"])
    }

    /// The first of `names` that is an executable on the PATH.
    static func onPath(_ names: [String]) -> URL? {
        let path = ProcessInfo.processInfo.environment["PATH"] ?? "/usr/bin:/bin"
        for name in names {
            for folder in path.split(separator: ":") {
                let candidate = URL(fileURLWithPath: String(folder)).appendingPathComponent(name)
                if FileManager.default.isExecutableFile(atPath: candidate.path) { return candidate }
            }
        }
        return nil
    }

    /// Starts Chromium and waits (as long as it takes, unless it exits) for its DevTools port.
    /// - Parameters:
    ///   - fakeCamera: a y4m file the fake camera plays in a loop; nil for Chromium's own test pattern.
    ///   - profile: an empty folder for the profile (DevTools writes its port there).
    ///   - log: where Chromium's own output goes.
    ///   - arguments: more command-line switches (`--host-resolver-rules=...`).
    ///   - environment: variables added to the test's own (`HOME`, whose `.pki/nssdb` holds the
    ///     certificate authorities Chromium trusts).
    init(fakeCamera: URL?, profile: URL, log: URL, arguments extra: [String] = [], environment: [String: String] = [:]) throws {
        guard let executable = Self.executable else {
            throw MissingTestData(description: "chromium is not installed (apt-get install chromium, or set SNAPRATE_CHROMIUM)")
        }
        self.profile = profile
        try FileManager.default.createDirectory(at: profile, withIntermediateDirectories: true)
        guard FileManager.default.createFile(atPath: log.path, contents: nil) else {
            throw MissingTestData(description: "cannot write \(log.path)")
        }
        let output = try FileHandle(forWritingTo: log)
        process.executableURL = executable
        var arguments = [
            "--headless=new",
            "--remote-debugging-port=0",
            // The WebSocket client says `Origin: ws://127.0.0.1`; DevTools refuses other origins.
            "--remote-allow-origins=ws://127.0.0.1",
            "--user-data-dir=\(profile.path)",
            "--use-fake-device-for-media-stream",
            "--use-fake-ui-for-media-stream",
            "--window-size=1280,800",
            "--no-first-run", "--no-default-browser-check", "--disable-extensions", "--disable-sync",
            "--disable-background-networking", "--disable-component-update", "--mute-audio",
            // Two windows (kiosk and dashboard) must both keep running at full speed.
            "--disable-background-timer-throttling", "--disable-renderer-backgrounding",
            "--disable-backgrounding-occluded-windows",
            // Containers often have a tiny /dev/shm.
            "--disable-dev-shm-usage",
        ]
        if let fakeCamera { arguments.append("--use-file-for-fake-video-capture=\(fakeCamera.path)") }
        // Chromium refuses to run as root with its sandbox (CI runs as root).
        if getuid() == 0 { arguments.append("--no-sandbox") }
        process.arguments = arguments + extra + ["about:blank"]
        process.environment = ProcessInfo.processInfo.environment.merging(environment) { $1 }
        process.standardOutput = output
        process.standardError = output
        try process.run()

        // DevTools writes its port and the browser's WebSocket path here once it listens.
        let portFile = profile.appendingPathComponent("DevToolsActivePort")
        let process = process
        var found: (port: Int, path: String)?
        do {
            try blockingEventually("chromium's DevTools port (see \(log.path))") {
                if let text = try? String(contentsOf: portFile, encoding: .utf8) {
                    let lines = text.split(separator: "\n")
                    if lines.count >= 2, let port = Int(lines[0]) { found = (port, String(lines[1])) }
                }
                return found != nil || !process.isRunning
            }
        } catch {
            kill(process.processIdentifier, SIGKILL)
            throw error
        }
        guard let found else {
            throw MissingTestData(description: "chromium exited before it opened its DevTools port (see \(log.path))")
        }
        port = found.port
        browser = "ws://127.0.0.1:\(found.port)\(found.path)"
    }

    /// The DevTools WebSocket of the window Chromium opened at start. (DevTools' HTTP endpoints
    /// are not used: their headers have no space after the colon, which Foundation's client refuses.)
    func firstPage() async throws -> String {
        let browser = browser
        let target = try await BrowserConnection.with(browser) { session in
            let targets = try await session.send("Target.getTargets")["targetInfos"] as? [[String: Any]] ?? []
            return targets.first { $0["type"] as? String == "page" }?["targetId"] as? String
        }
        guard let target else { throw BrowserError(description: "Chromium has no page open") }
        return pageURL(target)
    }

    /// Opens a new window (not a background tab, which Chromium would slow down) and returns its
    /// DevTools WebSocket.
    func openWindow() async throws -> String {
        let target = try await BrowserConnection.with(browser) { session in
            try await session.send("Target.createTarget", ["url": "about:blank", "newWindow": true])["targetId"] as? String
        }
        guard let target else { throw BrowserError(description: "Target.createTarget gave no target id") }
        return pageURL(target)
    }

    private func pageURL(_ target: String) -> String {
        "ws://127.0.0.1:\(port)/devtools/page/\(target)"
    }

    /// SIGTERM, then SIGKILL if it has not gone within `timeout`; removes the profile.
    func stop(timeout: TimeInterval = 15) {
        Self.terminate(process, timeout: timeout)
        try? FileManager.default.removeItem(at: profile)
    }

    /// SIGTERM to a browser this test started, SIGKILL if it is still there after `timeout`.
    static func terminate(_ process: Process, timeout: TimeInterval) {
        guard process.isRunning else { return }
        kill(process.processIdentifier, SIGTERM)
        let deadline = Date().addingTimeInterval(timeout)
        while process.isRunning, Date() < deadline { Thread.sleep(forTimeInterval: 0.1) }
        if process.isRunning { kill(process.processIdentifier, SIGKILL) }
    }

    deinit {
        if process.isRunning { kill(process.processIdentifier, SIGKILL) }
    }
}
