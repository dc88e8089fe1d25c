import ArgumentParser
import EventReport
import Foundation
import Logging
import AnalyticsStore
import ServiceLifecycle

struct ReportCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "report",
        abstract: "Write an event's report for its sponsor: one self-contained HTML file that prints on A4.",
        discussion: """
        Totals and share of thumbs up, ratings per hour of each day, a row per kiosk with its counts and uptime, \
        the busiest and quietest hours, and how the share moved; the charts are inline SVG and the file loads \
        nothing from elsewhere. The counts are those of /api/summary for the same event. Hours are clock hours \
        in --time-zone (UTC unless given). A running daemon serves the same report at /api/report.html?event=E.
        """
    )

    @Option(help: ArgumentHelp("Where the ratings are kept: sqlite:PATH or postgres://USER@HOST:PORT/DB.", valueName: "store"))
    var store = "sqlite:snaprate.sqlite"

    @Option(help: "The event to report on (default: every event in the store).")
    var event: String?

    @Option(help: ArgumentHelp("Start of the window: 2026-05-04, 2026-05-04T09:00:00Z or with an offset (default: the event's first activity).",
                               valueName: "time"))
    var from: String?

    @Option(help: ArgumentHelp("End of the window, as --from (default: the event's last activity, or now while a kiosk streams).",
                               valueName: "time"))
    var to: String?

    @Option(name: .customLong("time-zone"), help: ArgumentHelp("The zone hours and days are told in (an IANA name).", valueName: "zone"))
    var timeZone = "UTC"

    @Option(help: ArgumentHelp("Where to write the report.", valueName: "file"))
    var out: String

    mutating func run() async throws {
        let scope: ReportScope
        do {
            let zone = try ReportScope.timeZone(named: timeZone)
            scope = ReportScope(event: event, from: try from.map { try ReportScope.date($0, in: zone) },
                                to: try to.map { try ReportScope.date($0, in: zone) }, timeZone: zone)
            try scope.validate()
        } catch {
            Console.error("\(error)")
            throw ExitCode(2)
        }
        // Opening a SQLite path creates the file: a mistyped one would give an empty report.
        if case .sqlite(let path) = try? StoreLocation(store), !FileManager.default.fileExists(atPath: path) {
            Console.error("the store \(store) does not exist")
            throw ExitCode(1)
        }
        let (location, ratingStore) = try await StoreLocation.open(store, logger: Logger(label: "snaprate.store"))
        let figures: EventFigures
        do {
            figures = try await Self.gather(from: ratingStore, scope: scope)
        } catch let error as ReportError {
            Console.error("\(error)")
            throw ExitCode(2)
        } catch {
            Console.error("cannot read the store \(location.shown): \(ratingStore.describe(error))")
            throw ExitCode(1)
        }
        do {
            try Data(ReportPage.html(figures).utf8).write(to: URL(fileURLWithPath: out), options: .atomic)
        } catch {
            Console.error("cannot write \(out): \(error.localizedDescription)")
            throw ExitCode(1)
        }
        var line = JSONLine()
        line.add("type", "report")
        line.add("out", out)
        line.add("up", figures.totals.up)
        line.add("down", figures.totals.down)
        line.add("kiosks", figures.kiosks.count)
        Console.out(line.text)
    }

    /// A PostgreSQL store reads through a pool that runs only while its service does.
    static func gather(from store: any RatingStore, scope: ReportScope) async throws -> EventFigures {
        guard let service = store as? any Service else { return try await EventFigures.gather(from: store, scope: scope) }
        return try await withThrowingTaskGroup(of: EventFigures?.self) { group in
            group.addTask {
                try await service.run()
                return nil
            }
            group.addTask { try await EventFigures.gather(from: store, scope: scope) }
            defer { group.cancelAll() }
            while let result = try await group.next() {
                if let figures = result { return figures }
            }
            throw CancellationError()
        }
    }
}
