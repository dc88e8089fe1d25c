import Foundation
import Testing
import TestSupport

@Suite(.timeLimit(.minutes(15))) struct AnalyzeCommandTests {
    @Test func summaryLineDescribesTheClip() throws {
        let run = try SnapRateRun(["analyze", "Fixtures/vp8_640x480.webm"])
        #expect(run.status == 0)
        #expect(run.stdoutLines.count == 1)
        let summary = try jsonObject(run.stdoutLines[0])
        #expect(summary["type"] as? String == "summary")
        #expect(summary["source"] as? String == "Fixtures/vp8_640x480.webm")
        #expect(summary["frames"] as? Int == 150)
        #expect(summary["decode_errors"] as? Int == 0)
        #expect(summary["codec"] as? String == "vp8")
        #expect(summary["width"] as? Int == 640 && summary["height"] as? Int == 480)
        #expect(abs((summary["duration"] as? Double ?? 0) - 5.0) < 0.05)
        #expect((summary["fps"] as? Double ?? 0) > 0)
        #expect(run.stdoutLines[0].hasPrefix(#"{"type":"summary","source":"#))
    }

    @Test func standardInputIsAStream() throws {
        let clip = try Data(contentsOf: URL(fileURLWithPath: TestData.fixture("live_vp8.webm")))
        let run = try SnapRateRun(["analyze", "-"], stdin: clip)
        #expect(run.status == 0)
        let summary = try jsonObject(try #require(run.stdoutLines.first))
        #expect(summary["source"] as? String == "stdin")
        #expect(summary["frames"] as? Int == 90)
    }

    @Test func emptyStandardInputIsAnError() throws {
        let run = try SnapRateRun(["analyze", "-"], stdin: Data())
        #expect(run.status == 1)
        #expect(run.stdout.isEmpty)
        #expect(run.stderrLines == ["snaprate: stdin: is empty: no bytes to decode"])
    }

    @Test(arguments: ["garbage.bin", "tone.mp3", "still.png", "huge_4112x16.webm", "missing.webm"])
    func badSourcesGetOneLineNamingThem(name: String) throws {
        let path = "Fixtures/\(name)"
        let run = try SnapRateRun(["analyze", path])
        #expect(run.status == 1)
        #expect(run.stdout.isEmpty)
        #expect(run.stderrLines.count == 1)
        #expect(run.stderr.hasPrefix("snaprate: \(path): "))
    }

    @Test func truncatedClipWarnsAndSucceeds() throws {
        let run = try SnapRateRun(["analyze", "Fixtures/truncated_vp8.webm"])
        #expect(run.status == 0)
        let summary = try jsonObject(try #require(run.stdoutLines.first))
        #expect((summary["frames"] as? Int ?? 0) > 60)
        #expect(run.stderr.contains("warning: Fixtures/truncated_vp8.webm: input ended early"))
    }

    @Test func oneBadSourceDoesNotStopTheOthers() throws {
        let run = try SnapRateRun(["analyze", "Fixtures/vp9_320x240.webm", "Fixtures/garbage.bin", "Fixtures/live_vp8.webm"])
        #expect(run.status == 1)
        let sources = try run.stdoutLines.map { try jsonObject($0)["source"] as? String }
        #expect(sources == ["Fixtures/vp9_320x240.webm", "Fixtures/live_vp8.webm"])
        #expect(run.stderrLines.count == 1)
    }
}
