import Foundation
import MediaIngest
import Testing
import TestSupport

/// Hostile and broken input: at least a thousand mutated, truncated, spliced and random byte
/// streams built from the fixtures (`FuzzCorpus`, a fixed seed; `SNAPRATE_FUZZ_SEED` and
/// `SNAPRATE_FUZZ_COUNT` override it) go through the decoder from a file, from a chunk feed cut
/// at random and from a source of short reads. Each must end within the timeout with frames then a clean end, or with a
/// one-line error naming its source; memory must stay bounded. The same cases go through stdin
/// (`AnalyzeFuzzTests`) and a WebSocket (`IngestFuzzTests`).
@Suite(.timeLimit(.minutes(15)), .serialized) struct FuzzTests {
    // Long enough that a case the rest of the test run keeps from the CPU is not taken for a hang
    // (a case decodes in milliseconds on its own; a hang never ends).
    static let timeout = Duration.seconds(Int(ProcessInfo.processInfo.environment["SNAPRATE_FUZZ_TIMEOUT"] ?? "") ?? 60)
    /// Far above what a thousand small decodes need (a frame is at most 4096 x 4096 RGB, 48 MB):
    /// only memory that grows with the number of cases, or one runaway allocation, reaches it.
    static let residentLimit = 1536 << 20

    @Test func everySeedDecodesOrIsRefusedAsItShould() async throws {
        for seed in try FuzzCorpus.seeds() {
            let feed = ChunkFeed.feeding([seed.bytes], name: seed.name)
            let outcome = await FuzzDecode.run(feed, options: DecodeOptions(), timeout: Self.timeout)
            if seed.isClip {
                guard case .decoded(let frames, _) = outcome else {
                    Issue.record("\(seed.name): \(outcome)")
                    continue
                }
                #expect(frames > 0, "\(seed.name)")
            } else {
                guard case .refused = outcome else {
                    Issue.record("\(seed.name) should be refused: \(outcome)")
                    continue
                }
            }
        }
    }

    @Test func mutatedStreamsEndCleanlyFromFilesChunkFeedsAndShortReads() async throws {
        let cases = FuzzCorpus.cases(count: FuzzCorpus.count(standard: 1000), seeds: try FuzzCorpus.seeds())
        let file = FileManager.default.temporaryDirectory.appendingPathComponent("snaprate-fuzz-\(getpid()).bin")
        defer { try? FileManager.default.removeItem(at: file) }
        let files = FuzzReport(path: "file"), feeds = FuzzReport(path: "chunk feed"), pipes = FuzzReport(path: "short reads")
        for fuzzCase in cases {
            let options = FuzzDecode.options(forCase: fuzzCase.index)
            try Data(fuzzCase.bytes).write(to: file)
            let fromFile = await FuzzDecode.run(try FileDescriptorSource(path: file.path), options: options, timeout: Self.timeout)
            let feed = ChunkFeed.feeding(fuzzCase.chunks(), name: "fuzz-feed", capacity: 256 << 10)
            let fromFeed = await FuzzDecode.run(feed, options: options, timeout: Self.timeout)
            let step = [1, 100, 4096, 16_384][fuzzCase.index % 4]
            let fromPipe = await FuzzDecode.run(ShortReads(fuzzCase.bytes, step: step), options: options, timeout: Self.timeout)
            for (report, outcome) in [(files, fromFile), (feeds, fromFeed), (pipes, fromPipe)] {
                record(outcome, of: fuzzCase, in: report)
                // Every path reads the same bytes without seeking (but within what the bridge
                // remembers): how much each read returns must change nothing.
                if report !== files, !fromFile.isBroken, !outcome.isBroken, outcome != fromFile {
                    report.fail(fuzzCase, "decoded differently from a file: file \(fromFile), here \(outcome)")
                }
            }
            if fuzzCase.index % 10 == 0 { files.sampleMemory() }
        }
        files.sampleMemory()
        [files, feeds, pipes].forEach { print($0.summary) }
        #expect(cases.count >= 1000 || FuzzCorpus.countIsOverridden)
        #expect(files.failures.isEmpty, "\(files.failures.prefix(20).joined(separator: "\n"))")
        #expect(feeds.failures.isEmpty, "\(feeds.failures.prefix(20).joined(separator: "\n"))")
        #expect(pipes.failures.isEmpty, "\(pipes.failures.prefix(20).joined(separator: "\n"))")
        #expect(files.peak < Self.residentLimit, "peak resident \(ProcessMemory.megabytes(files.peak))")
    }

    private func record(_ outcome: FuzzOutcome, of fuzzCase: FuzzCase, in report: FuzzReport) {
        switch outcome {
        case .decoded(let frames, let endedEarly):
            report.count(frames == 0 ? "no frames" : endedEarly == nil ? "decoded" : "decoded, ended early")
            if fuzzCase.isIntactClip && frames == 0 { report.fail(fuzzCase, "an intact clip gave no frames") }
        case .refused:
            report.count("refused")
            if fuzzCase.isIntactClip { report.fail(fuzzCase, "an intact clip was refused: \(outcome)") }
        case .broken(let problem):
            report.count("broken")
            report.fail(fuzzCase, problem)
        }
    }
}
