import Foundation

/// What a fuzz run saw: outcomes by kind, the cases that broke the contract (kept on disk for a
/// replay), and the process's memory as the run went.
public final class FuzzReport: @unchecked Sendable {
    public let path: String
    private let lock = NSLock()
    private var counts: [String: Int] = [:]
    private var problems: [String] = []
    private var peakResident = 0
    private let startResident: Int
    private let clock = ContinuousClock()
    private let start: ContinuousClock.Instant

    /// `path` names the ingest path in messages ("file", "chunk feed", "stdin", "websocket").
    public init(path: String) {
        self.path = path
        self.startResident = ProcessMemory.resident() ?? 0
        self.start = clock.now
    }

    public func count(_ kind: String) {
        lock.withLock { counts[kind, default: 0] += 1 }
    }

    /// Records a case that broke the contract and keeps its bytes for a replay.
    public func fail(_ fuzzCase: FuzzCase, _ problem: String) {
        let kept = Self.keep(fuzzCase)
        lock.withLock { problems.append("\(path): \(fuzzCase): \(problem) [bytes: \(kept)]") }
    }

    /// Notes the resident memory of `pid` (this process by default) now.
    public func sampleMemory(pid: Int32 = getpid()) {
        guard let resident = ProcessMemory.resident(pid: pid) else { return }
        lock.withLock { peakResident = max(peakResident, resident) }
    }

    public var failures: [String] { lock.withLock { problems } }
    public var peak: Int { lock.withLock { peakResident } }

    public var summary: String {
        lock.withLock {
            let kinds = counts.sorted { $0.key < $1.key }.map { "\($0.key) \($0.value)" }.joined(separator: ", ")
            let elapsed = (clock.now - start).components
            let seconds = String(format: "%.1f", Double(elapsed.seconds) + Double(elapsed.attoseconds) * 1e-18)
            // Memory only when it was sampled; the sampled process may be another (a daemon).
            let memory = peakResident == 0 ? ""
                : "resident at start \(ProcessMemory.megabytes(startResident)), peak \(ProcessMemory.megabytes(peakResident)); "
            return "fuzz \(path) (seed 0x\(String(FuzzCorpus.seed, radix: 16))): \(kinds); \(problems.count) broken; \(memory)\(seconds) s"
        }
    }

    /// Where a broken case's bytes go: `$SNAPRATE_ARTIFACTS/fuzz`, else the temporary folder.
    private static func keep(_ fuzzCase: FuzzCase) -> String {
        let root = ProcessInfo.processInfo.environment["SNAPRATE_ARTIFACTS"].map { URL(fileURLWithPath: $0) }
            ?? FileManager.default.temporaryDirectory
        let folder = root.appendingPathComponent("fuzz")
        let file = folder.appendingPathComponent("case-\(fuzzCase.index)-seed-\(String(FuzzCorpus.seed, radix: 16)).bin")
        try? FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        try? Data(fuzzCase.bytes).write(to: file)
        return file.path
    }
}
