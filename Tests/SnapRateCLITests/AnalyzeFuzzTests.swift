import Foundation
import Testing
import TestSupport

/// The fuzz cases of `FuzzTests` through standard input: a real `snaprate analyze -` process per
/// case (the first `SNAPRATE_FUZZ_STDIN_COUNT`, 200 by default: a process, its models and hand
/// detection cost far more than a decode). Each must exit within the timeout, 0 with its summary
/// or 1 with one error line naming stdin, never by a signal.
@Suite(.timeLimit(.minutes(15))) struct AnalyzeFuzzTests {
    @Test func mutatedStreamsOnStandardInputEndWithASummaryOrOneError() throws {
        let count = ProcessInfo.processInfo.environment["SNAPRATE_FUZZ_STDIN_COUNT"].flatMap(Int.init) ?? 200
        let cases = FuzzCorpus.cases(count: count, seeds: try FuzzCorpus.seeds())
        let report = FuzzReport(path: "stdin")
        for fuzzCase in cases {
            let run = try SnapRateRun(["analyze", "--models", "lite", "--log-level", "error", "-"],
                                      stdin: Data(fuzzCase.bytes), timeout: 60)
            let problem = Self.problem(with: run)
            report.count(problem != nil ? "broken" : run.status == 0 ? "summary" : "refused")
            if let problem { report.fail(fuzzCase, problem) }
        }
        var usage = rusage()
        getrusage(__rusage_who_t(RUSAGE_CHILDREN.rawValue), &usage)
        let childPeak = usage.ru_maxrss * 1024
        print(report.summary + "; largest child peak resident \(ProcessMemory.megabytes(childPeak))")
        #expect(report.failures.isEmpty, "\(report.failures.prefix(20).joined(separator: "\n"))")
        // Any child of this test process: far above what one analyze of a small clip needs.
        #expect(childPeak < 1536 << 20)
    }

    /// What breaks the contract in a run, if anything.
    static func problem(with run: SnapRateRun) -> String? {
        if run.timedOut { return "no exit within the timeout" }
        if let signal = run.signal { return "killed by signal \(signal)" }
        let errors = run.stderrLines.filter { !$0.hasPrefix("snaprate: warning: stdin: ") }
        switch run.status {
        case 0:
            guard errors.isEmpty else { return "exit 0 with errors: \(errors)" }
            let summaries = run.stdoutLines.filter { $0.contains("\"type\":\"summary\"") }
            return summaries.count == 1 ? nil : "exit 0 with \(summaries.count) summaries: \(run.stdout.suffix(300))"
        case 1:
            guard errors.count == 1, let line = errors.first, line.hasPrefix("snaprate: stdin: "),
                  line.count > "snaprate: stdin: ".count else {
                return "exit 1 without one error line naming stdin: \(run.stderrLines)"
            }
            return run.stdoutLines.contains { $0.contains("\"type\":\"summary\"") } ? "a summary and an error" : nil
        default:
            return "exit status \(run.status): \(run.stderr.suffix(300))"
        }
    }
}
