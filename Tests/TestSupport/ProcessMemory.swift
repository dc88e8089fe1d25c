import Foundation

/// Resident memory of a process, from Linux's /proc: now (VmRSS) and at its peak (VmHWM).
public enum ProcessMemory {
    /// Bytes resident now, or nil when the process (or /proc) is not there.
    public static func resident(pid: Int32 = getpid()) -> Int? {
        field("VmRSS", pid: pid)
    }

    /// The most bytes the process has had resident.
    public static func peak(pid: Int32 = getpid()) -> Int? {
        field("VmHWM", pid: pid)
    }

    private static func field(_ name: String, pid: Int32) -> Int? {
        guard let status = try? String(contentsOfFile: "/proc/\(pid)/status", encoding: .utf8) else { return nil }
        for line in status.split(separator: "\n") where line.hasPrefix(name + ":") {
            let kilobytes = line.dropFirst(name.count + 1).split(whereSeparator: \.isWhitespace).first.flatMap { Int($0) }
            return kilobytes.map { $0 * 1024 }
        }
        return nil
    }

    public static func megabytes(_ bytes: Int) -> String {
        String(format: "%.0f MB", Double(bytes) / 1_048_576)
    }
}
