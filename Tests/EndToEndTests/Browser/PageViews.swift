import TestSupport
import Foundation

/// What the kiosk page shows, read from its DOM.
struct KioskView: Decodable, Sendable, CustomStringConvertible {
    var state: String
    var connection: String
    var connections: Int
    var classMessages: Int
    var confirmedCount: Int
    var confirmed: String
    var lastRating: String?
    var confirmationShown: Bool
    var confirmationText: String
    var seen: String
    var problem: String
    var videoWidth: Int
    var videoHeight: Int
    var previewTransform: String
    var camera: String?
    var recording: String?
    var lastClose: String?
    var lastProblem: String?

    var confirmedList: [String] { confirmed.split(separator: " ").map(String.init) }
    var description: String {
        "\(state) \(connection) connections=\(connections) confirmed=[\(confirmed)] "
            + "last close=\(lastClose ?? "-") \(lastProblem ?? "-") problem=\(problem)"
    }

    static let script = """
        (() => {
          const root = document.getElementById("kiosk");
          const preview = document.getElementById("preview");
          const confirmation = document.getElementById("confirmation");
          const problem = document.getElementById("problem");
          return JSON.stringify({
            state: root.dataset.state,
            connection: document.getElementById("connection").dataset.connection,
            connections: Number(root.dataset.connections),
            classMessages: Number(root.dataset.classMessages),
            confirmedCount: Number(root.dataset.confirmedCount),
            confirmed: root.dataset.confirmed,
            lastRating: root.dataset.lastRating ?? null,
            confirmationShown: !confirmation.hidden,
            confirmationText: document.getElementById("confirmation-text").textContent,
            seen: document.getElementById("seen").dataset.class,
            problem: problem.hidden ? "" : problem.textContent.trim(),
            videoWidth: preview.videoWidth,
            videoHeight: preview.videoHeight,
            previewTransform: getComputedStyle(preview).transform,
            camera: root.dataset.camera ?? null,
            recording: root.dataset.recording ?? null,
            lastClose: root.dataset.lastClose ?? null,
            lastProblem: root.dataset.lastProblem ?? null,
          });
        })()
        """
}

/// The kiosk page's setup form, read from its DOM.
struct SetupView: Decodable, Sendable {
    var state: String
    var formShown: Bool
    var stageShown: Bool
    var name: String

    static let script = """
        JSON.stringify({
          state: document.getElementById("kiosk").dataset.state,
          formShown: !document.getElementById("setup").hidden,
          stageShown: !document.getElementById("stage").hidden,
          name: document.getElementById("setup-name").value,
        })
        """
}

/// What the dashboard shows, read from its DOM.
struct DashboardView: Decodable, Sendable, CustomStringConvertible {
    struct Kiosk: Decodable, Sendable {
        var kiosk: String
        var up: Int
        var down: Int
        var stream: String
        var fps: Double?
        var sessions: Int
    }

    var state: String
    var ratings: Int
    var lastSeq: Int64
    var up: Int
    var down: Int
    var kiosks: [Kiosk]
    var events: [String]
    var bars: Int
    var csvLinks: [String]

    var description: String { "\(state) ratings=\(ratings) up=\(up) down=\(down) kiosks=\(kiosks)" }

    /// The totals and the kiosk's row agree with the summary, its stream has gone and every
    /// session is counted (sessions are polled every few seconds, so this may take a moment).
    func matches(_ summary: Summary, sessions: Int) -> Bool {
        let row = kiosks.first { $0.kiosk == BrowserTests.Chromium.kiosk }
        return up == summary.up && down == summary.down && row?.up == summary.kiosks[BrowserTests.Chromium.kiosk]?.up
            && row?.down == summary.kiosks[BrowserTests.Chromium.kiosk]?.down && row?.stream == "offline" && row?.sessions == sessions
    }

    static let script = """
        (() => {
          const root = document.getElementById("dashboard");
          const rows = [...document.querySelectorAll("#kiosks tbody tr")];
          return JSON.stringify({
            state: root.dataset.state,
            ratings: Number(root.dataset.ratings),
            lastSeq: Number(root.dataset.lastSeq),
            up: Number(document.getElementById("total-up").dataset.count),
            down: Number(document.getElementById("total-down").dataset.count),
            kiosks: rows.map((row) => ({
              kiosk: row.dataset.kiosk,
              up: Number(row.dataset.up),
              down: Number(row.dataset.down),
              stream: row.dataset.stream,
              fps: row.dataset.fps === "" ? null : Number(row.dataset.fps),
              sessions: Number(row.dataset.sessions),
            })),
            events: [...document.querySelectorAll("#events li")].map((item) => item.dataset.rating),
            bars: document.querySelectorAll("#chart rect").length,
            csvLinks: [...document.querySelectorAll("a[href*='ratings.csv']")].map((link) => link.getAttribute("href")),
          });
        })()
        """
}

/// `GET /api/summary`.
struct Summary: Sendable, CustomStringConvertible {
    var up: Int
    var down: Int
    var kiosks: [String: (up: Int, down: Int)]

    var description: String { "up=\(up) down=\(down) \(kiosks)" }

    static func read(_ base: String) async throws -> Summary {
        let object = try await SocketClients.getJSON("\(base)/api/summary")
        var kiosks: [String: (up: Int, down: Int)] = [:]
        for row in object["kiosks"] as? [[String: Any]] ?? [] {
            kiosks[row["kiosk"] as? String ?? ""] = (row["up"] as? Int ?? -1, row["down"] as? Int ?? -1)
        }
        return Summary(up: object["up"] as? Int ?? -1, down: object["down"] as? Int ?? -1, kiosks: kiosks)
    }
}
