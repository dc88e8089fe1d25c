import Foundation

/// An event report as one self-contained HTML file: inline style, inline SVG charts, no script
/// and nothing loaded from elsewhere (its own policy forbids it), laid out to print on A4.
public enum ReportPage {
    /// The policy the document carries and the server sends with it: nothing but its own inline style.
    public static let securityPolicy = "default-src 'none'; style-src 'unsafe-inline'; img-src data:; base-uri 'none'; form-action 'none'"

    public static func html(_ figures: EventFigures) -> String {
        let clock = ReportClock(timeZone: figures.scope.timeZone)
        let charts = ReportCharts(figures: figures, clock: clock)
        let event = figures.scope.event.map { HTMLText.escape($0) } ?? "all events"
        let zone = HTMLText.escape(clock.zoneName(at: figures.start))
        let totals = figures.totals
        var body: [String] = []

        body.append("""
            <header>
            <p class="kicker">SnapRate event report</p>
            <h1>\(event)</h1>
            <p class="window">\(HTMLText.escape(clock.moment(figures.start))) to \(HTMLText.escape(clock.moment(figures.end))) \
            · times in \(zone)</p>
            </header>
            """)

        body.append("""
            <section class="totals" aria-label="Totals">
            <div class="total up"><span class="count" id="total-up">\(totals.up)</span><span class="label">thumbs up</span></div>
            <div class="total down"><span class="count" id="total-down">\(totals.down)</span><span class="label">thumbs down</span></div>
            <div class="total all"><span class="count" id="total-all">\(totals.total)</span><span class="label">ratings</span></div>
            <div class="total share"><span class="count" id="share-up">\(totals.sharePercent.map { "\($0)%" } ?? "–")</span>\
            <span class="label">thumbs up share</span></div>
            </section>
            """)

        body.append(highlights(figures, clock: clock))
        body.append(kioskTable(figures))

        body.append("""
            <section class="share-chart">
            <h2>How the share of thumbs up moved</h2>
            <p class="note">Thumbs up in percent of every rating so far, at the end of each hour with ratings.</p>
            \(charts.runningShare())
            </section>
            """)

        let days = Dictionary(grouping: figures.hours) { figures.calendar.startOfDay(for: $0.start) }
        let peak = max(1, figures.hours.map { max($0.counts.up, $0.counts.down) }.max() ?? 1)
        for day in days.keys.sorted() {
            let hours = days[day] ?? []
            let counts = hours.reduce(into: EventFigures.Counts()) { $0.up += $1.counts.up; $0.down += $1.counts.down }
            body.append("""
                <section class="day">
                <h2>Ratings per hour, \(HTMLText.escape(clock.day(day)))</h2>
                <p class="note">\(counts.up) up, \(counts.down) down\(counts.sharePercent.map { ", \($0)% up" } ?? ""). \
                Shaded: hours in which a kiosk streamed.</p>
                \(charts.day(hours, peak: peak))
                </section>
                """)
        }

        body.append(definitions(figures, zone: zone))

        return """
            <!doctype html>
            <html lang="en">
            <head>
            <meta charset="utf-8">
            <meta http-equiv="Content-Security-Policy" content="\(securityPolicy)">
            <meta name="viewport" content="width=device-width, initial-scale=1">
            <title>SnapRate report: \(event)</title>
            <style>\(style)</style>
            </head>
            <body>
            <main class="report" data-up="\(totals.up)" data-down="\(totals.down)">
            \(body.joined(separator: "\n"))
            </main>
            </body>
            </html>

            """
    }

    private static func highlights(_ figures: EventFigures, clock: ReportClock) -> String {
        func describe(_ hour: EventFigures.Hour?) -> String {
            guard let hour else { return "–" }
            let counts = hour.counts
            return "\(HTMLText.escape(clock.hourSpan(hour.start))): \(counts.total) "
                + "rating\(counts.total == 1 ? "" : "s") (\(counts.up) up, \(counts.down) down)"
        }
        return """
            <section class="highlights">
            <h2>Busiest and quietest hours</h2>
            <dl>
            <dt>Busiest hour</dt><dd id="busiest">\(describe(figures.busiestHour))</dd>
            <dt>Quietest hour</dt><dd id="quietest">\(describe(figures.quietestHour))</dd>
            </dl>
            </section>
            """
    }

    private static func kioskTable(_ figures: EventFigures) -> String {
        let rows = figures.kiosks.map { kiosk in
            let id = HTMLText.escape(kiosk.kiosk.value)
            return "<tr data-kiosk=\"\(id)\" data-up=\"\(kiosk.counts.up)\" data-down=\"\(kiosk.counts.down)\">"
                + "<th scope=\"row\">\(id)</th><td class=\"number\">\(kiosk.counts.up)</td><td class=\"number\">\(kiosk.counts.down)</td>"
                + "<td class=\"number\">\(kiosk.counts.sharePercent.map { "\($0)%" } ?? "–")</td>"
                + "<td class=\"number\">\(kiosk.sessions)</td><td class=\"number\">\(ReportClock.duration(kiosk.uptime))</td></tr>"
        }
        var notes: [String] = []
        if figures.kiosks.isEmpty { notes.append("No kiosk rated or streamed in this window.") }
        if figures.openSessions > 0 {
            notes.append("\(figures.openSessions) stream\(figures.openSessions == 1 ? " has" : "s have") no end recorded "
                + "(still streaming, or the server was stopped without a clean shutdown) and count\(figures.openSessions == 1 ? "s" : "") "
                + "as streaming until the end of the report.")
        }
        let empty = notes.map { "<p class=\"note\">\($0)</p>" }.joined()
        return """
            <section class="kiosks">
            <h2>Kiosks</h2>
            <table>
            <thead><tr><th scope="col">Kiosk</th><th scope="col" class="number">Up</th><th scope="col" class="number">Down</th>\
            <th scope="col" class="number">Thumbs up</th><th scope="col" class="number">Streams</th>\
            <th scope="col" class="number">Uptime</th></tr></thead>
            <tbody>
            \(rows.joined(separator: "\n"))
            </tbody>
            </table>
            \(empty)
            </section>
            """
    }

    private static func definitions(_ figures: EventFigures, zone: String) -> String {
        let made = ReportClock(timeZone: figures.scope.timeZone).moment(figures.scope.now)
        return """
            <section class="definitions">
            <h2>How the figures are counted</h2>
            <ul>
            <li>A rating is a thumb held up or down for half a second in front of a kiosk; each is counted once, \
            at the time it was stored. The counts are those of the dashboard and of <code>/api/summary</code> for the same event.</li>
            <li>Thumbs up share: thumbs up in percent of all ratings, rounded.</li>
            <li>Hours are clock hours in \(zone). The quietest hour is the one with the fewest ratings among the hours \
            in which at least one kiosk streamed.</li>
            <li>Uptime: the time a kiosk streamed video, from each stream's start to its end (a stream still open counts \
            until the report was made), overlapping streams counted once, within the report's window.</li>
            </ul>
            <p class="note">Made \(HTMLText.escape(made)).</p>
            </section>
            """
    }

    /// Sized in points and millimetres for print; nothing wider than A4's printable width.
    static let style = """
        @page { size: A4; margin: 14mm 12mm; }
        * { box-sizing: border-box; }
        html { -webkit-print-color-adjust: exact; print-color-adjust: exact; }
        body { margin: 0; background: #fff; color: #1d2430; font: 10.5pt/1.4 "Liberation Sans", Arial, Helvetica, sans-serif; }
        .report { max-width: 186mm; margin: 0 auto; padding: 8mm 0; }
        @media print { .report { max-width: none; padding: 0; } }
        header { border-bottom: 2pt solid #1d2430; margin-bottom: 5mm; }
        .kicker { margin: 0; text-transform: uppercase; letter-spacing: 0.08em; font-size: 8.5pt; color: #5b6473; }
        h1 { margin: 1mm 0; font-size: 20pt; overflow-wrap: anywhere; }
        h2 { margin: 0 0 2mm; font-size: 12.5pt; }
        .window { margin: 0 0 3mm; color: #5b6473; overflow-wrap: anywhere; }
        section { margin: 0 0 6mm; break-inside: avoid; page-break-inside: avoid; }
        .totals { display: grid; grid-template-columns: repeat(4, 1fr); gap: 3mm; }
        .total { border: 0.75pt solid #c9ced6; border-radius: 2mm; padding: 3mm; }
        .total .count { display: block; font-size: 20pt; font-weight: bold; }
        .total .label { color: #5b6473; font-size: 9pt; }
        .total.up .count { color: #1b7f3b; }
        .total.down .count { color: #b3261e; }
        dl { display: grid; grid-template-columns: max-content 1fr; gap: 1mm 4mm; margin: 0; }
        dt { font-weight: bold; }
        dd { margin: 0; }
        table { width: 100%; border-collapse: collapse; table-layout: fixed; }
        th, td { padding: 1.2mm 2mm; border-bottom: 0.5pt solid #d7dbe1; text-align: left; overflow-wrap: anywhere; }
        thead th { border-bottom: 1pt solid #1d2430; font-size: 9pt; }
        /* Room for a kiosk id of 64 characters in two lines; the numbers share the rest. */
        .kiosks thead th:first-child { width: 36%; }
        .number { text-align: right; font-variant-numeric: tabular-nums; }
        tr { break-inside: avoid; }
        .note { margin: 0 0 2mm; color: #5b6473; font-size: 9pt; }
        .chart { display: block; width: 100%; height: auto; }
        .chart text { font-size: 10px; fill: #5b6473; font-family: inherit; }
        .chart .axis, .chart .tick { stroke: #8a93a1; stroke-width: 1; }
        .chart .grid { stroke: #e3e6ea; stroke-width: 1; }
        .chart .half { stroke: #8a93a1; stroke-width: 1; stroke-dasharray: 4 3; }
        .chart .open { fill: #f1f3f6; }
        .chart .up { fill: #2e9e52; }
        .chart .down { fill: #d0473f; }
        .chart polyline.share { fill: none; stroke: #2458b3; stroke-width: 2; }
        .chart circle.share { fill: #2458b3; }
        .definitions ul { margin: 0 0 2mm; padding-left: 5mm; font-size: 9pt; }
        code { font-size: 8.5pt; }
        """
}
