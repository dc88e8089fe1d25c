import Foundation
import TestSupport

/// A real headless Firefox (Debian's `firefox-esr`) with its own fake camera (moving coloured
/// frames, no hand), driven through WebDriver BiDi.
final class HeadlessFirefox: @unchecked Sendable {
    let process = Process()
    /// The BiDi WebSocket for a new session.
    let bidi: String
    private let profile: URL

    /// `$SNAPRATE_FIREFOX`, else `firefox-esr` or `firefox` on the PATH.
    static var executable: URL? {
        if let explicit = ProcessInfo.processInfo.environment["SNAPRATE_FIREFOX"], !explicit.isEmpty {
            return URL(fileURLWithPath: explicit)
        }
        return HeadlessChromium.onPath(["firefox-esr", "firefox"])
    }

    /// Firefox tests run where Firefox is; on CI always, so that a missing one fails.
    static var testsShouldRun: Bool { TestData.isCI || executable != nil }

    /// Starts Firefox on an empty page and waits (as long as it takes, unless it exits) for its BiDi server.
    init(profile: URL, log: URL) throws {
        guard let executable = Self.executable else {
            throw MissingTestData(description: "firefox is not installed (apt-get install firefox-esr, or set SNAPRATE_FIREFOX)")
        }
        self.profile = profile
        try FileManager.default.createDirectory(at: profile, withIntermediateDirectories: true)
        // A fake camera, granted without asking; no first-run pages or update checks.
        let preferences = [
            "media.navigator.streams.fake": "true",
            "media.navigator.permission.disabled": "true",
            "browser.shell.checkDefaultBrowser": "false",
            "browser.startup.homepage_override.mstone": "\"ignore\"",
            "datareporting.policy.dataSubmissionEnabled": "false",
            "toolkit.telemetry.reportingpolicy.firstRun": "false",
            "app.update.disabledForTesting": "true",
        ].map { "user_pref(\"\($0.key)\", \($0.value));" }.joined(separator: "\n")
        try Data((preferences + "\n").utf8).write(to: profile.appendingPathComponent("user.js"))
        guard FileManager.default.createFile(atPath: log.path, contents: nil) else {
            throw MissingTestData(description: "cannot write \(log.path)")
        }
        let output = try FileHandle(forWritingTo: log)
        process.executableURL = executable
        process.arguments = [
            "--headless", "--no-remote", "--profile", profile.path, "--window-size=1280,800",
            // Port 0 picks a free one; Firefox writes it to WebDriverBiDiServer.json in the profile.
            "--remote-debugging-port", "0",
            // The WebSocket client says `Origin: ws://127.0.0.1`.
            "--remote-allow-origins", "ws://127.0.0.1",
            "about:blank",
        ]
        process.standardOutput = output
        process.standardError = output
        try process.run()

        let portFile = profile.appendingPathComponent("WebDriverBiDiServer.json")
        let process = process
        var port: Int?
        do {
            try blockingEventually("firefox's BiDi port (see \(log.path))") {
                if let data = try? Data(contentsOf: portFile),
                   let object = try? JSONSerialization.jsonObject(with: data) as? [String: Any] {
                    port = object["ws_port"] as? Int
                }
                return port != nil || !process.isRunning
            }
        } catch {
            kill(process.processIdentifier, SIGKILL)
            throw error
        }
        guard let port else {
            throw MissingTestData(description: "firefox exited before it opened its BiDi port (see \(log.path))")
        }
        bidi = "ws://127.0.0.1:\(port)/session"
    }

    /// SIGTERM, then SIGKILL if it has not gone within `timeout`; removes the profile.
    func stop(timeout: TimeInterval = 15) {
        HeadlessChromium.terminate(process, timeout: timeout)
        try? FileManager.default.removeItem(at: profile)
    }

    deinit {
        if process.isRunning { kill(process.processIdentifier, SIGKILL) }
    }
}
