import ArgumentParser
import SnapRateCore
import StreamRating
import ThumbRating

enum OutputFormat: String, ExpressibleByArgument {
    case jsonl
    case csv
}

/// One line of `analyze` output.
enum Record {
    case rating(source: String, event: RatingEvent)
    case frame(source: String, outcome: FrameOutcome)
    case summary(source: String, report: StreamReport, elapsed: Duration)
}

/// Writes records as JSON lines or as CSV rows with one shared header (empty cells where a kind of
/// record has no such field).
struct RecordWriter: Sendable {
    let format: OutputFormat
    private static let columns = ["type", "source", "time", "rating", "confidence", "class", "hands",
                                  "frames", "searched", "decode_errors", "duration", "codec", "width", "height", "fps"]

    func writeHeader() {
        if format == .csv { Console.out(Self.columns.joined(separator: ",")) }
    }

    func write(_ record: Record) {
        Console.out(line(record))
    }

    /// The record as its output line.
    func line(_ record: Record) -> String {
        var line = JSONLine()
        switch record {
        case .rating(let source, let event):
            line.add("type", "rating")
            line.add("source", source)
            line.add("time", event.time)
            line.add("rating", event.rating.rawValue)
            line.add("confidence", Double(event.confidence))
        case .frame(let source, let outcome):
            line.add("type", "frame")
            line.add("source", source)
            line.add("time", outcome.time)
            line.add("class", outcome.frameClass.thumb.rawValue)
            line.add("hands", outcome.frameClass.hands)
        case .summary(let source, let report, let elapsed):
            let seconds = elapsed.inSeconds
            line.add("type", "summary")
            line.add("source", source)
            line.add("frames", report.counters.framesDecoded)
            line.add("searched", report.framesDetected)
            line.add("decode_errors", report.counters.decodeErrors)
            line.add("duration", report.duration)
            line.add("codec", report.info?.codec ?? "")
            line.add("width", report.info?.width ?? 0)
            line.add("height", report.info?.height ?? 0)
            line.add("fps", seconds > 0 ? Double(report.counters.framesDecoded) / seconds : 0, decimals: 1)
        }
        return format == .jsonl ? line.text : csvRow(line)
    }

    private func csvRow(_ line: JSONLine) -> String {
        Self.columns.map { column in
            guard let value = line.value(column) else { return "" }
            return value.contains(",") || value.contains("\"") ? "\"" + value.replacingOccurrences(of: "\"", with: "\"\"") + "\"" : value
        }.joined(separator: ",")
    }
}
