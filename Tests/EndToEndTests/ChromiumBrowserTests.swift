import SnapRateCore
import Foundation
import AnalyticsStore
import Testing
import TestSupport

extension BrowserTests {
    /// Chromium's fake camera plays a gesture clip: what the browser records is rated, stored,
    /// confirmed on the kiosk and counted on the dashboard; the daemon restarts and the kiosk
    /// reconnects by itself. Runs where Chromium and the shared gesture set are present; on CI
    /// (`CI=true`) always, so that a missing browser or data set fails.
    @Suite(.enabled(if: HeadlessChromium.testsShouldRun)) struct Chromium {
        static let clipName = "nvpr_down_up_down.webm"
        /// What the clip shows, once per loop of the fake camera.
        static let loop = ["down", "up", "down"]
        static let kiosk = "e2e"
        static var artifacts: URL { BrowserTests.artifacts }

        @Test func theKioskPageRatesTheCameraReconnectsAndTheDashboardCountsIt() async throws {
            let clip = try Clips.clip(Self.clipName)
            let folder = try Clips.temporaryFolder()
            defer { try? FileManager.default.removeItem(at: folder) }
            let artifacts = Self.artifacts
            try FileManager.default.createDirectory(at: artifacts, withIntermediateDirectories: true)
            print("BrowserTests: screenshots and Chromium's log in \(artifacts.path)")

            let camera = try FakeCamera.y4m(from: clip, into: folder)
            let database = folder.appendingPathComponent("browser.sqlite").path
            let serveArguments = ["--event", "browser-test", "--log-level", "debug"]
            let daemon = Daemon(try ServeProcess(store: database, arguments: serveArguments), logs: artifacts)
            let port = daemon.current.port
            let chromium = try HeadlessChromium(fakeCamera: camera, profile: folder.appendingPathComponent("profile"),
                                                log: artifacts.appendingPathComponent("chromium.log"))
            defer { chromium.stop() }
            let base = daemon.current.baseURL
            let kioskWindow = try await chromium.firstPage()
            let dashboardWindow = try await chromium.openWindow()

            try await ChromiumPage.with(kioskWindow) { kiosk in
                let opened = Date()
                try await kiosk.navigate("\(base)/kiosk?kiosk=\(Self.kiosk)")

                // Streaming, with the camera in the preview, mirrored, and classes coming back.
                let streaming = try await kiosk.waitFor(KioskView.self, KioskView.script, "the kiosk to stream") {
                    $0.connections >= 1 && $0.classMessages > 0 && $0.videoWidth > 0
                }
                #expect(streaming.videoWidth == 640 && streaming.videoHeight == 480)
                #expect(streaming.previewTransform == "matrix(-1, 0, 0, 1, 0, 0)", "the preview is mirrored")
                let streamingAfter = Date().timeIntervalSince(opened)
                var firstConfirmationAfter: Double?
                try await kiosk.screenshot(to: artifacts.appendingPathComponent("kiosk-streaming.png"))

                // A confirmation, caught on screen: the overlay must still be up after the screenshot.
                var caught = false
                for _ in 0..<5 where !caught {
                    let shown = try await kiosk.waitFor(KioskView.self, KioskView.script, "a confirmation") {
                        $0.state == "confirmed" && $0.confirmationShown
                    }
                    if firstConfirmationAfter == nil { firstConfirmationAfter = Date().timeIntervalSince(opened) }
                    // Past the overlay's 0.25 s pop-in, so the picture shows it as people see it.
                    try await Task.sleep(for: .milliseconds(400))
                    try await kiosk.screenshot(to: artifacts.appendingPathComponent("kiosk-confirmed.png"))
                    let after = try await kiosk.evaluate(KioskView.self, KioskView.script)
                    caught = after.state == "confirmed" && after.confirmedCount == shown.confirmedCount
                    #expect(shown.confirmationText.contains("thumb \(shown.lastRating ?? "?") was counted"))
                }
                #expect(caught, "the confirmation stayed up while the screenshot was taken")

                // The clip's ratings, down, up, down, stored in a row. The fake camera loops the clip,
                // so there may be more; on a busy machine Chromium drops frames and a loop may lose a
                // gesture, so any loop may be the one that shows all three.
                let firstStored = try await Self.storedRatings(base) { Self.containsLoop($0.map(\.rating)) }
                #expect(firstStored.allSatisfy { $0.rating == "up" || $0.rating == "down" })
                // The page confirmed each of them, in the same order (it hears of a rating as the
                // daemon detects it, just before it is stored).
                let kioskNow = try await kiosk.waitFor(KioskView.self, KioskView.script, "the page to confirm them") {
                    $0.confirmedCount >= firstStored.count
                }
                #expect(kioskNow.confirmedList.starts(with: firstStored.map(\.rating)), "\(kioskNow.confirmedList) vs \(firstStored)")
                let firstSession = try #require(firstStored.first?.session)
                #expect(firstStored.allSatisfy { $0.session == firstSession }, "one stream so far")
                print("BrowserTests: stored ratings \(firstStored.map(\.rating)), confirmed on the page \(kioskNow.confirmedList)")
                print("FIGURE browser: camera \(streaming.camera ?? "?"); page opened to streaming "
                      + "\(BrowserTests.seconds(streamingAfter)), to the first confirmation \(BrowserTests.seconds(firstConfirmationAfter ?? .nan)) "
                      + "(the fake camera shows the first gesture 3 s in and holds it 0.8 s; a rating needs 0.5 s)")

                try await ChromiumPage.with(dashboardWindow) { dashboard in
                    try await dashboard.navigate("\(base)/dashboard")
                    // Replayed from the store, then live; the kiosk's stream is healthy.
                    let live = try await dashboard.waitFor(DashboardView.self, DashboardView.script,
                                                            "the dashboard to show the kiosk live") { view in
                        let row = view.kiosks.first { $0.kiosk == Self.kiosk }
                        return view.up + view.down >= Self.loop.count && row?.stream == "live" && (row?.fps ?? 0) > 0
                    }
                    #expect(live.state == "live")
                    #expect(live.bars > 0, "the chart has bars")
                    try await dashboard.screenshot(to: artifacts.appendingPathComponent("dashboard-live.png"))

                    // The daemon restarts: the kiosk reconnects by itself with a fresh recorder (the
                    // daemon refuses a stream that does not open with a WebM or MP4 header), and the new
                    // stream is rated too.
                    let before = try await kiosk.evaluate(KioskView.self, KioskView.script).connections
                    try daemon.restart { try ServeProcess(store: database, arguments: serveArguments, port: port) }
                    let back = Date()
                    let reconnected = try await kiosk.waitFor(KioskView.self, KioskView.script, "the kiosk to reconnect") {
                        $0.connections > before && $0.connection == "live"
                    }
                    let again = BrowserTests.seconds(Date().timeIntervalSince(back))
                    print("FIGURE browser: kiosk streaming again \(again) after the daemon listened again")
                    #expect(reconnected.problem.isEmpty, "no stream error: \(reconnected.problem)")
                    let later = try await Self.storedRatings(base) { ratings in
                        ratings.contains { $0.session != firstSession }
                    }
                    #expect(Set(later.map(\.session)).count >= 2)

                    // The kiosk leaves; everything it sent is stored; the dashboard (which lost its
                    // socket too and resubscribed from its last sequence number) shows exactly that.
                    try await kiosk.navigate("about:blank")
                    let ended = try await SocketClients.endedSessions(base, kiosk: Self.kiosk, count: 2)
                    let sessions = ended.count
                    BrowserTests.printFrameRates(ended)
                    let summary = try await Summary.read(base)
                    let final = try await Self.storedRatings(base)
                    #expect(summary.up + summary.down == final.count)
                    let settled = try await dashboard.waitFor(DashboardView.self, DashboardView.script,
                                                               "the dashboard to match the summary") {
                        $0.matches(summary, sessions: sessions)
                    }
                    Self.expect(settled, matches: summary, ratings: final)

                    // A reload replays the whole day from the store.
                    try await dashboard.navigate("\(base)/dashboard")
                    let reloaded = try await dashboard.waitFor(DashboardView.self, DashboardView.script,
                                                                "the reloaded dashboard to match the summary") {
                        $0.matches(summary, sessions: sessions)
                    }
                    Self.expect(reloaded, matches: summary, ratings: final)
                    try await dashboard.screenshot(to: artifacts.appendingPathComponent("dashboard.png"))

                    // Its CSV link exports what it counts.
                    let link = try #require(reloaded.csvLinks.first { $0.contains("kiosk=\(Self.kiosk)") })
                    let csv = try await SocketClients.get("\(base)\(link)")
                    #expect(csv.status == 200)
                    #expect(String(decoding: csv.body, as: UTF8.self).split(separator: "\n").count == final.count + 1)

                    BrowserTests.expectNoScriptProblems(dashboard.reportedProblems, page: "dashboard")
                }
                BrowserTests.expectNoScriptProblems(kiosk.reportedProblems, page: "kiosk")
            }

            #expect(daemon.stop() == 0, "see serve-2.log")
            // The SQLite file itself: the ratings the API gave, the first ones the clip's.
            let store = try SQLiteRatingStore(path: database)
            let stored = try await store.ratings(after: 0, kiosk: KioskID(Self.kiosk), limit: 1000)
            #expect(Self.containsLoop(stored.map(\.rating.rawValue)))
            #expect(stored.allSatisfy { $0.event == "browser-test" && $0.model == "lite" })
            let sessions = try await store.sessions(kiosk: KioskID(Self.kiosk))
            #expect(sessions.first?.endReason == "shutdown", "the first stream was cut by the restart")
            #expect(sessions.last?.endReason == "disconnected", "the last one by the page going away")
            #expect(sessions.allSatisfy { $0.framesDecoded > 0 })
        }

        @Test func aKioskWithoutAValidNameAsksForOneAndThenStreams() async throws {
            let folder = try Clips.temporaryFolder()
            defer { try? FileManager.default.removeItem(at: folder) }
            let artifacts = Self.artifacts
            try FileManager.default.createDirectory(at: artifacts, withIntermediateDirectories: true)
            let server = try ServeProcess(store: folder.appendingPathComponent("setup.sqlite").path)
            // Chromium's own fake camera (a test pattern) is enough here.
            let chromium = try HeadlessChromium(fakeCamera: nil, profile: folder.appendingPathComponent("profile"),
                                                log: artifacts.appendingPathComponent("chromium-setup.log"))
            defer { chromium.stop() }
            let base = server.baseURL
            let window = try await chromium.firstPage()
            try await ChromiumPage.with(window) { page in
                try await page.navigate("\(base)/kiosk?kiosk=not%20valid")
                let setup = try await page.evaluate(SetupView.self, SetupView.script)
                #expect(setup.state == "setup" && setup.formShown && !setup.stageShown)
                #expect(setup.name == "not valid", "the given name is offered for correction")
                try await page.screenshot(to: artifacts.appendingPathComponent("kiosk-setup.png"))

                _ = try await page.evaluate("""
                    (() => {
                      document.getElementById("setup-name").value = "door-7";
                      document.getElementById("setup").requestSubmit();
                      return true;
                    })()
                    """)
                let streaming = try await page.waitFor(KioskView.self, KioskView.script, "the named kiosk to stream") {
                    $0.connections >= 1 && $0.classMessages > 0
                }
                #expect(streaming.problem.isEmpty)
                #expect(try await page.evaluate("location.search") as? String == "?kiosk=door-7")
                let streams = try await SocketClients.getJSON("\(base)/api/streams")["streams"] as? [[String: Any]] ?? []
                #expect(streams.contains { $0["kiosk"] as? String == "door-7" })
                BrowserTests.expectNoScriptProblems(page.reportedProblems, page: "kiosk setup")
            }
            #expect(server.terminate() == 0, "\(server.stderr)")
        }

        // MARK: - Helpers

        /// Whether `ratings` holds the clip's ratings one after the other.
        static func containsLoop(_ ratings: [String]) -> Bool {
            guard ratings.count >= loop.count else { return false }
            return (0...(ratings.count - loop.count)).contains { Array(ratings[$0..<($0 + loop.count)]) == loop }
        }

        struct StoredRating: Sendable, CustomStringConvertible {
            var seq: Int64
            var rating: String
            var session: String
            var time: Double
            var description: String { "\(seq):\(rating)@\(time)" }
        }

        /// `GET /api/ratings?kiosk=e2e`, polled until `done` holds.
        static func storedRatings(_ base: String,
                                  until done: @escaping ([StoredRating]) -> Bool = { _ in true }) async throws -> [StoredRating] {
            var ratings: [StoredRating] = []
            try await eventually("the stored ratings of \(kiosk) to be as expected, now \(ratings)", every: .milliseconds(250)) {
                let answer = try await SocketClients.getJSON("\(base)/api/ratings?kiosk=\(kiosk)&limit=1000")
                let rows = answer["ratings"] as? [[String: Any]] ?? []
                ratings = rows.map {
                    StoredRating(seq: ($0["seq"] as? NSNumber)?.int64Value ?? -1, rating: $0["rating"] as? String ?? "",
                                 session: $0["session"] as? String ?? "", time: $0["time"] as? Double ?? -1)
                }
                return done(ratings)
            }
            return ratings
        }

        static func expect(_ view: DashboardView, matches summary: Summary, ratings: [StoredRating],
                           sourceLocation: SourceLocation = #_sourceLocation) {
            let row = view.kiosks.first { $0.kiosk == kiosk }
            #expect(view.ratings == ratings.count, sourceLocation: sourceLocation)
            #expect(row?.up == summary.kiosks[kiosk]?.up && row?.down == summary.kiosks[kiosk]?.down,
                    "row \(String(describing: row)) vs \(summary)", sourceLocation: sourceLocation)
            // Latest first, at most 20.
            #expect(view.events == Array(ratings.suffix(20).reversed().map(\.rating)), sourceLocation: sourceLocation)
            #expect(view.lastSeq == ratings.last?.seq, sourceLocation: sourceLocation)
            #expect(view.bars > 0, sourceLocation: sourceLocation)
        }
    }
}

/// The `snaprate serve` under test, which the test restarts on the same port. Each process's log
/// is kept beside the screenshots (`serve-N.log`).
final class Daemon: @unchecked Sendable {
    private let lock = NSLock()
    private var process: ServeProcess
    private var generation = 1
    private let logs: URL

    init(_ process: ServeProcess, logs: URL) {
        self.process = process
        self.logs = logs
    }

    var current: ServeProcess { lock.withLock { process } }

    /// SIGTERM; the exit status (0 expected) once its log is saved.
    func stop() -> Int32? {
        let (old, number) = lock.withLock { (process, generation) }
        let status = old.terminate()
        try? Data(old.stderr.utf8).write(to: logs.appendingPathComponent("serve-\(number).log"))
        return status
    }

    /// Stops the running process (it must exit 0), then starts a new one with `start`.
    func restart(_ start: () throws -> ServeProcess) throws {
        #expect(stop() == 0, "see serve-\(generation).log")
        let new = try start()
        lock.withLock {
            process = new
            generation += 1
        }
    }
}
