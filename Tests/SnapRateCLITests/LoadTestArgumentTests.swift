import Testing
import TestSupport

/// `loadtest`'s clip arguments, refused before any connection is tried.
@Suite(.timeLimit(.minutes(5))) struct LoadTestArgumentTests {
    @Test func twoClipsWithoutCountsAreRefusedInOneLine() throws {
        let run = try SnapRateRun(["loadtest", "--url", "http://127.0.0.1:9", "--clip", "Fixtures/vp8_640x480.webm",
                                   "--clip", "Fixtures/live_vp8.webm:2"])
        #expect(run.status != 0)
        #expect(run.stderr.contains("give each its count of streams: --clip FILE:COUNT"))
        #expect(run.stdout.isEmpty)
    }

    @Test func anUnreadableClipIsNamed() throws {
        let run = try SnapRateRun(["loadtest", "--url", "http://127.0.0.1:9", "--clip", "Fixtures/no-such-clip.webm:3"])
        #expect(run.status == 1)
        #expect(run.stderrLines.count == 1 && run.stderr.contains("cannot read clip Fixtures/no-such-clip.webm"))
    }
}
