import AnalyticsStore
import Foundation
import Logging
import SnapRateCore
import Testing
import TestSupport

/// The event report from a real SQLite store filled with known ratings and sessions: written by
/// `snaprate report` and served by `snaprate serve` at `/api/report.html` (the dashboard's link),
/// with the counts `/api/summary` gives for the same store; opened in headless Chromium, which
/// must lay it out within A4's printable width, print it on A4 and screenshot it into the artifacts.
@Suite(.timeLimit(.minutes(10)), .enabled(if: TestData.isCI || HeadlessChromium.executable != nil), .serialized)
struct ReportTests {
    static let event = "sponsor-expo"
    /// `$SNAPRATE_ARTIFACTS/report`, else `.build/test-artifacts/report` in the package.
    static var artifacts: URL {
        BrowserTests.artifacts.deletingLastPathComponent().appendingPathComponent("report")
    }

    static func time(_ text: String) -> Date {
        try! Date.ISO8601FormatStyle().parse(text)
    }

    /// Two days at four kiosks, with a name that is long, and a kiosk of another event.
    static func fill(_ store: any RatingStore) async throws {
        let kiosks: [KioskID] = ["door-1", "hall", "stand-B", "a-rather-long-kiosk-name-at-the-back-of-hall-7"]
        var ratings: [RatingRecord] = []
        for day in 0..<2 {
            for (index, kiosk) in kiosks.enumerated() {
                let id = UUID()
                let opened = time("2026-05-04T08:00:00Z").addingTimeInterval(Double(day) * 86_400 + Double(index) * 1_200)
                try await store.startSession(StreamSessionRecord(id: id, event: event, kiosk: kiosk, started: opened))
                try await store.endSession(id: id, ended: opened.addingTimeInterval(9 * 3600), framesDecoded: 1000, decodeErrors: 0,
                                           reason: "finished")
                // A busy midday and quiet edges, more thumbs up at some kiosks than at others.
                for hour in 0..<9 {
                    let count = (hour == 4 ? 12 : 2 + hour % 3) + index
                    for number in 0..<count {
                        let up = (number + hour + index * 2 + day) % 4 != 0
                        ratings.append(RatingRecord(
                            event: event, kiosk: kiosk, session: id, rating: up ? .up : .down, confidence: 0.9,
                            mediaTime: Double(number), wallTime: opened.addingTimeInterval(Double(hour) * 3600 + Double(number) * 60 + 30),
                            latencyMilliseconds: 20, model: "lite"))
                    }
                }
            }
        }
        ratings.append(RatingRecord(event: "another", kiosk: "door-1", session: UUID(), rating: .down, confidence: 0.9, mediaTime: 1,
                                    wallTime: time("2026-05-04T10:00:00Z"), latencyMilliseconds: 20, model: "lite"))
        _ = try await store.append(ratings)
    }

    /// The counts a report shows: in all, and per kiosk.
    struct ShownCounts: Equatable, CustomStringConvertible {
        var up: Int
        var down: Int
        var kiosks: [String: [Int]]

        init(report html: String) throws {
            let total = try #require(html.firstMatch(of: #/<main class="report" data-up="(\d+)" data-down="(\d+)">/#))
            up = Int(total.1)!
            down = Int(total.2)!
            kiosks = [:]
            for row in html.matches(of: #/<tr data-kiosk="([^"]+)" data-up="(\d+)" data-down="(\d+)">/#) {
                kiosks[String(row.1)] = [Int(row.2)!, Int(row.3)!]
            }
        }

        init(summary: [String: Any]) {
            up = summary["up"] as? Int ?? -1
            down = summary["down"] as? Int ?? -1
            kiosks = [:]
            for kiosk in summary["kiosks"] as? [[String: Any]] ?? [] {
                kiosks[kiosk["kiosk"] as? String ?? "?"] = [kiosk["up"] as? Int ?? -1, kiosk["down"] as? Int ?? -1]
            }
        }

        var description: String { "\(up) up, \(down) down, \(kiosks)" }
    }

    @Test func theReportShowsTheSummarysFiguresAndPrintsOnA4() async throws {
        let folder = try Clips.temporaryFolder()
        defer { try? FileManager.default.removeItem(at: folder) }
        let artifacts = Self.artifacts
        try FileManager.default.createDirectory(at: artifacts, withIntermediateDirectories: true)
        let database = folder.appendingPathComponent("event.sqlite").path
        try await Self.fill(try SQLiteRatingStore(path: database))

        // The command line's report.
        let file = artifacts.appendingPathComponent("report.html")
        let run = try await ProgramRun.run(TestData.snaprateExecutable, [
            "report", "--store", "sqlite:\(database)", "--event", Self.event, "--time-zone", "Europe/Zurich", "--out", file.path,
        ])
        #expect(run.status == 0, "\(run.errors)")
        #expect(run.output.contains("\"type\":\"report\""), "\(run.output)")
        let written = try String(contentsOf: file, encoding: .utf8)
        let shown = try ShownCounts(report: written)

        // The daemon's summary and report of the same store and event.
        let server = try ServeProcess(store: database, arguments: ["--event", Self.event])
        let summary = try await SocketClients.getJSON("\(server.baseURL)/api/summary?event=\(Self.event)")
        let expected = ShownCounts(summary: summary)
        #expect(shown == expected)
        #expect(shown.up + shown.down == 2 * (4 * 36 + 9 * 6), "every rating of the event, none of another")
        let served = try await HTTP.get("\(server.baseURL)/api/report.html?tz=Europe/Zurich")
        #expect(served.status == 200)
        #expect(served.header("Content-Security-Policy")?.hasPrefix("default-src 'none'") == true)
        #expect(try ShownCounts(report: String(decoding: served.body, as: UTF8.self)) == expected, "the current event's")
        #expect(written.contains("times in Europe/Zurich (UTC+02:00)"))

        // A hostile query is refused in a line, or shown as text.
        #expect(try await HTTP.get("\(server.baseURL)/api/report.html?tz=Mars/Olympus").status == 400)
        #expect(try await HTTP.get("\(server.baseURL)/api/report.html?from=2026-05-05&to=2026-05-04").status == 400)
        #expect(try await HTTP.get("\(server.baseURL)/api/report.html?event=\(String(repeating: "x", count: 300))").status == 400)
        #expect(try await HTTP.get("\(server.baseURL)/api/report.html?from=2000-01-01").status == 400, "a window of decades")
        let hostile = try await HTTP.get("\(server.baseURL)/api/report.html?event=%3Cscript%3Ealert(1)%3C/script%3E")
        let hostilePage = String(decoding: hostile.body, as: UTF8.self)
        #expect(hostile.status == 200 && !hostilePage.contains("<script") && hostilePage.contains("&lt;script&gt;alert(1)"))

        let chromium = try HeadlessChromium(fakeCamera: nil, profile: folder.appendingPathComponent("profile"),
                                            log: artifacts.appendingPathComponent("chromium-report.log"))
        defer { chromium.stop() }
        let window = try await chromium.firstPage()
        try await ChromiumPage.with(window) { page in
            // The dashboard links to the current event's report.
            try await page.navigate("\(server.baseURL)/dashboard")
            let linked = try await page.evaluate("""
                fetch(document.getElementById("report").href).then((r) => r.text())
                """) as? String ?? ""
            #expect(try ShownCounts(report: linked) == expected)

            try await page.navigate(file.absoluteString)
            // As printed: print media, at A4's width less the page margins (210 − 2 × 12 mm).
            let printable = (210.0 - 24.0) / 25.4 * 96
            try await page.connection.send("Emulation.setEmulatedMedia", ["media": "print"])
            // No scroll bar: it would narrow the layout by its width, and the full-page screenshot
            // (which drops it) would cut that much off on the right.
            try await page.connection.send("Emulation.setScrollbarsHidden", ["hidden": true])
            try await page.connection.send("Emulation.setDeviceMetricsOverride", [
                "width": Int(printable), "height": 1100, "deviceScaleFactor": 2, "mobile": false,
            ])
            struct Layout: Decodable {
                var scrollWidth: Double
                var clientWidth: Double
                var widest: Double
                var charts: Int
            }
            let layout = try await page.evaluate(Layout.self, """
                JSON.stringify({
                  scrollWidth: document.documentElement.scrollWidth,
                  clientWidth: document.documentElement.clientWidth,
                  widest: Math.max(...[...document.querySelectorAll("main *")].map((e) => e.getBoundingClientRect().right)),
                  charts: document.querySelectorAll("svg.chart").length,
                })
                """)
            #expect(layout.scrollWidth <= layout.clientWidth && layout.widest <= layout.clientWidth + 0.5, "\(layout)")
            #expect(layout.charts == 3, "the share's chart and one per day")
            try await page.screenshot(to: artifacts.appendingPathComponent("report.png"))

            try await page.connection.send("Emulation.clearDeviceMetricsOverride")
            let printed = try await page.connection.send("Page.printToPDF", [
                "preferCSSPageSize": true, "printBackground": true,
            ])
            let pdf = try #require((printed["data"] as? String).flatMap { Data(base64Encoded: $0) })
            try pdf.write(to: artifacts.appendingPathComponent("report.pdf"))
            let text = String(decoding: pdf, as: UTF8.self)
            let boxes = text.matches(of: #/MediaBox \[0 0 ([\d.]+) ([\d.]+)\]/#).map { (Double($0.1)!, Double($0.2)!) }
            #expect(!boxes.isEmpty, "the PDF names its page size")
            for (width, height) in boxes {
                // A4 is 595.3 × 841.9 points.
                #expect(abs(width - 595.3) < 2 && abs(height - 841.9) < 2, "a page of \(width) × \(height) points")
            }
            // The printed pages as pictures, to look at: what a browser's "Save as PDF" gives.
            if let pdftoppm = HeadlessChromium.onPath(["pdftoppm"]) {
                let pages = try await ProgramRun.run(pdftoppm, ["-r", "60", "-png", artifacts.appendingPathComponent("report.pdf").path,
                                                                artifacts.appendingPathComponent("report-page").path])
                #expect(pages.status == 0, "\(pages.errors)")
                let pictures = try FileManager.default.contentsOfDirectory(atPath: artifacts.path).filter { $0.hasPrefix("report-page") }
                #expect(pictures.count == boxes.count, "\(pictures)")
            } else {
                #expect(!TestData.isCI, "pdftoppm (poppler-utils) is not installed")
            }
            print("FIGURE report: \(boxes.count) A4 pages, screenshot \(artifacts.appendingPathComponent("report.png").path)")
            BrowserTests.expectNoScriptProblems(page.reportedProblems, page: "report")
            #expect(!page.reportedProblems.contains { $0.contains("Content Security Policy") }, "\(page.reportedProblems)")
        }
        #expect(server.terminate() == 0, "\(server.stderr)")
    }

    /// The command on a PostgreSQL store, whose reads need the store's pool running.
    @Test(.enabled(if: PostgresTestServer.runTests)) func theCommandReadsAPostgresStore() async throws {
        let url = try await PostgresTestServer.shared().makeDatabase()
        let store = try await PostgresRatingStore.open(try PostgresStoreConfiguration(url: url), logger: Logger(label: "test.report"))
        // Run the store (its run() closes its write connection when cancelled) while it is filled.
        try await withThrowingTaskGroup(of: Void.self) { group in
            group.addTask { await store.run() }
            try await Self.fill(store)
            group.cancelAll()
        }
        let folder = try Clips.temporaryFolder()
        defer { try? FileManager.default.removeItem(at: folder) }
        let file = folder.appendingPathComponent("report.html")
        let run = try await ProgramRun.run(TestData.snaprateExecutable, ["report", "--store", url, "--event", Self.event, "--out", file.path])
        #expect(run.status == 0, "\(run.errors)")
        let shown = try ShownCounts(report: try String(contentsOf: file, encoding: .utf8))
        #expect(shown.up + shown.down == 2 * (4 * 36 + 9 * 6))
        #expect(shown.kiosks.count == 4)
        #expect(run.output.contains("\"up\":\(shown.up),\"down\":\(shown.down),\"kiosks\":4"), "\(run.output)")
    }

    @Test func theCommandNamesWhatIsWrongInOneLine() async throws {
        let folder = try Clips.temporaryFolder()
        defer { try? FileManager.default.removeItem(at: folder) }
        let out = folder.appendingPathComponent("report.html").path
        _ = try SQLiteRatingStore(path: "\(folder.path)/r.sqlite")
        for (arguments, message) in [
            (["--store", "mysql://x", "--out", out], "unsupported store"),
            (["--store", "sqlite:\(folder.path)/r.sqlite", "--time-zone", "Mars/Olympus", "--out", out], "unknown time zone"),
            (["--store", "sqlite:\(folder.path)/r.sqlite", "--from", "yesterday", "--out", out], "is not a time"),
            (["--store", "sqlite:\(folder.path)/r.sqlite", "--out", folder.path + "/missing/report.html"], "cannot write"),
            (["--store", "sqlite:\(folder.path)/typo.sqlite", "--out", out], "does not exist"),
        ] {
            let run = try await ProgramRun.run(TestData.snaprateExecutable, ["report"] + arguments)
            #expect(run.status != 0)
            let lines = run.errors.split(separator: "\n")
            #expect(lines.count == 1 && lines[0].hasPrefix("snaprate: ") && lines[0].contains(message), "\(run.errors)")
        }
    }
}
