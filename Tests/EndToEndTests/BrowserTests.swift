import Foundation
import Testing
import TestSupport

/// The kiosk page and the dashboard in real browsers against a real `snaprate serve`: Chromium
/// with a gesture clip as its camera (`BrowserTests.Chromium`) and Firefox (`BrowserTests.Firefox`).
/// One browser at a time: each keeps a core busy, and Chromium drops camera frames when starved.
/// Screenshots, browser logs and the daemon's logs are kept in `artifacts`.
@Suite(.timeLimit(.minutes(15)), .serialized) struct BrowserTests {
    /// `$SNAPRATE_ARTIFACTS/browser`, else `.build/test-artifacts/browser` in the package.
    static var artifacts: URL {
        let base = ProcessInfo.processInfo.environment["SNAPRATE_ARTIFACTS"].flatMap { $0.isEmpty ? nil : URL(fileURLWithPath: $0) }
            ?? TestData.packageRoot.appendingPathComponent(".build/test-artifacts")
        return base.appendingPathComponent("browser")
    }

    /// Uncaught exceptions and policy violations fail; failed connections while the daemon
    /// restarts are expected and ignored.
    static func expectNoScriptProblems(_ problems: [String], page: String) {
        let real = problems.filter { $0.hasPrefix("exception") || $0.contains("Content Security Policy") }
        #expect(real.isEmpty, "\(page): \(real)")
    }

    static func seconds(_ value: Double) -> String { String(format: "%.1f s", value) }

    /// Frames the daemon decoded per second of each session: the rate the browser delivered.
    static func printFrameRates(_ sessions: [[String: Any]]) {
        let iso = Date.ISO8601FormatStyle(includingFractionalSeconds: true)
        for session in sessions {
            guard let started = (session["started"] as? String).flatMap({ try? iso.parse($0) }),
                  let ended = (session["ended"] as? String).flatMap({ try? iso.parse($0) }),
                  let frames = session["frames"] as? Int else { continue }
            let duration = ended.timeIntervalSince(started)
            print("FIGURE browser: \(session["kiosk"] ?? "?") stream \(frames) frames in \(seconds(duration)) = "
                  + "\(String(format: "%.1f", Double(frames) / duration)) frames/s, ended \(session["end_reason"] ?? "?")")
        }
    }
}
