import Foundation

/// The report's charts as inline SVG: a viewBox and no fixed size, so they scale to the page's
/// width on screen and on A4 alike. Every label passes through `HTMLText`.
struct ReportCharts {
    let figures: EventFigures
    let clock: ReportClock

    static let width = 700.0
    private static let left = 44.0
    private static let right = 10.0

    /// Ratings per hour of one day: up bars above the middle line, down bars below it, one slot
    /// per hour of the day. `peak` is the same for every day, so days compare at a glance.
    func day(_ hours: [EventFigures.Hour], peak: Int) -> String {
        let height = 150.0, top = 10.0, bottom = 22.0
        let half = (height - top - bottom) / 2
        let middle = top + half
        let plot = Self.width - Self.left - Self.right
        let step = plot / 24
        let calendar = figures.calendar
        var parts: [String] = []
        parts.append(line(Self.left, middle, Self.width - Self.right, middle, "axis"))
        parts.append(text(Self.left - 6, top + 9, "\(peak) up", anchor: "end"))
        parts.append(text(Self.left - 6, height - bottom, "\(peak) down", anchor: "end"))
        for hour in hours {
            let slot = Double(calendar.component(.hour, from: hour.start))
            let x = Self.left + slot * step + step * 0.15
            let label = "\(clock.hourSpan(hour.start)): \(hour.counts.up) up, \(hour.counts.down) down"
            if hour.streaming > 0 {
                // The hours the booth was open, shaded, so an empty open hour reads as quiet, not closed.
                parts.append(rect(Self.left + slot * step, top, step, height - top - bottom, "open", title: nil))
            }
            if hour.counts.up > 0 {
                let h = Double(hour.counts.up) / Double(peak) * half
                parts.append(rect(x, middle - h, step * 0.7, h, "up", title: label))
            }
            if hour.counts.down > 0 {
                let h = Double(hour.counts.down) / Double(peak) * half
                parts.append(rect(x, middle, step * 0.7, h, "down", title: label))
            }
        }
        for slot in stride(from: 0, through: 24, by: 3) {
            let x = Self.left + Double(slot) * step
            parts.append(line(x, height - bottom, x, height - bottom + 4, "tick"))
            parts.append(text(x, height - 6, String(format: "%02d:00", slot % 24), anchor: slot == 24 ? "end" : slot == 0 ? "start" : "middle"))
        }
        return svg(height: height, label: "Ratings per hour: up above the line, down below", parts)
    }

    /// The share of thumbs up of every rating so far, at the end of each hour, over the window.
    func runningShare() -> String {
        let height = 180.0, top = 10.0, bottom = 24.0
        let plot = Self.width - Self.left - Self.right
        let hours = figures.hours
        let step = plot / Double(max(1, hours.count))
        func y(_ percent: Int) -> Double { top + (100 - Double(percent)) / 100 * (height - top - bottom) }
        var parts: [String] = []
        for percent in [0, 50, 100] {
            parts.append(line(Self.left, y(percent), Self.width - Self.right, y(percent), percent == 50 ? "half" : "grid"))
            parts.append(text(Self.left - 6, y(percent) + 4, "\(percent)%", anchor: "end"))
        }
        var points: [String] = []
        for (index, hour) in hours.enumerated() {
            guard let share = hour.runningSharePercent else { continue }
            let x = Self.left + (Double(index) + 1) * step
            points.append("\(Self.number(x)),\(Self.number(y(share)))")
            if hour.counts.total > 0 {
                let label = "until \(clock.moment(hour.start.addingTimeInterval(3600))): \(share)% up"
                parts.append("<circle cx=\"\(Self.number(x))\" cy=\"\(Self.number(y(share)))\" r=\"2.5\" class=\"share\">"
                    + "<title>\(HTMLText.escape(label))</title></circle>")
            }
        }
        if !points.isEmpty {
            parts.insert("<polyline class=\"share\" points=\"\(points.joined(separator: " "))\"/>", at: 0)
        }
        // Labels at the window's start, middle and end.
        if let first = hours.first {
            let ticks = hours.count > 2 ? [0, hours.count / 2, hours.count] : [0, hours.count]
            for index in ticks {
                let x = Self.left + Double(index) * step
                let date = index < hours.count ? hours[index].start : figures.calendar.date(byAdding: .hour, value: 1, to: hours[hours.count - 1].start) ?? first.start
                parts.append(line(x, height - bottom, x, height - bottom + 4, "tick"))
                parts.append(text(x, height - 7, clock.moment(date), anchor: index == 0 ? "start" : index == hours.count ? "end" : "middle"))
            }
        }
        return svg(height: height, label: "Share of thumbs up over the event", parts)
    }

    private func svg(height: Double, label: String, _ parts: [String]) -> String {
        "<svg class=\"chart\" viewBox=\"0 0 \(Self.number(Self.width)) \(Self.number(height))\" role=\"img\" "
            + "aria-label=\"\(HTMLText.escape(label))\" preserveAspectRatio=\"xMidYMid meet\">"
            + parts.joined() + "</svg>"
    }

    private func line(_ x1: Double, _ y1: Double, _ x2: Double, _ y2: Double, _ kind: String) -> String {
        "<line x1=\"\(Self.number(x1))\" y1=\"\(Self.number(y1))\" x2=\"\(Self.number(x2))\" y2=\"\(Self.number(y2))\" class=\"\(kind)\"/>"
    }

    private func rect(_ x: Double, _ y: Double, _ width: Double, _ height: Double, _ kind: String, title: String?) -> String {
        let shape = "x=\"\(Self.number(x))\" y=\"\(Self.number(y))\" width=\"\(Self.number(width))\" height=\"\(Self.number(height))\" class=\"\(kind)\""
        guard let title else { return "<rect \(shape)/>" }
        return "<rect \(shape)><title>\(HTMLText.escape(title))</title></rect>"
    }

    private func text(_ x: Double, _ y: Double, _ content: String, anchor: String) -> String {
        "<text x=\"\(Self.number(x))\" y=\"\(Self.number(y))\" text-anchor=\"\(anchor)\">\(HTMLText.escape(content))</text>"
    }

    static func number(_ value: Double) -> String {
        String(format: "%.1f", value)
    }
}
