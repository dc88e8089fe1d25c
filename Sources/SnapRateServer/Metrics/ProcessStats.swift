import Foundation

/// The process's own CPU time and resident memory, read from /proc at each scrape, in the names
/// Prometheus' client libraries use for them.
enum ProcessStats {
    static func prometheusText() -> String {
        var text = ""
        if let statm = try? String(contentsOfFile: "/proc/self/statm", encoding: .utf8),
           let pages = statm.split(separator: " ").dropFirst().first.flatMap({ Double($0) }) {
            let bytes = pages * Double(sysconf(Int32(_SC_PAGESIZE)))
            text += "# TYPE process_resident_memory_bytes gauge\nprocess_resident_memory_bytes \(Int(bytes))\n"
        }
        if let stat = try? String(contentsOfFile: "/proc/self/stat", encoding: .utf8),
           let close = stat.lastIndex(of: ")") {
            // Fields after the command name: state is the first, utime and stime the 12th and 13th.
            let fields = stat[stat.index(after: close)...].split(separator: " ")
            if fields.count > 12, let user = Double(fields[11]), let system = Double(fields[12]) {
                let ticks = Double(sysconf(Int32(_SC_CLK_TCK)))
                text += "# TYPE process_cpu_seconds_total counter\nprocess_cpu_seconds_total \((user + system) / ticks)\n"
            }
        }
        return text
    }
}
