import Foundation
import Testing
import TestSupport

/// `snaprate loadtest` against a real daemon: streams of more than one clip, and the ratings each
/// stream's clip should have given matched against those stored.
@Suite(.timeLimit(.minutes(15))) struct LoadTestCommandTests {
    @Test(.enabled(if: TestData.runGestureTests))
    func aVenueOfTwoClipsGetsEveryExpectedRatingNoLaterThanThreeTenthsOfASecond() async throws {
        let clips = try TestData.requireGestures().appendingPathComponent("clips")
        let folder = try Clips.temporaryFolder()
        defer { try? FileManager.default.removeItem(at: folder) }
        // Every frame reaches the pipeline (`--max-lag inf`), so what is tested is the pipeline
        // and the matching, not how busy the machine is.
        let server = try ServeProcess(store: folder.appendingPathComponent("load.sqlite").path)
        defer { _ = server.terminate() }
        let visitor = clips.appendingPathComponent("didi_kiosk_session.webm").path
        let noThumb = clips.appendingPathComponent("upra_stop.webm").path
        let run = try await ProgramRun.run(TestData.snaprateExecutable, [
            "loadtest", "--url", server.baseURL, "--clip", "\(visitor):2", "--clip", "\(noThumb):1",
            "--subscribers", "3", "--duration", "14", "--warmup", "2", "--json",
        ])
        #expect(run.status == 0, "\(run.errors)")
        let report = try #require(try JSONSerialization.jsonObject(with: Data(run.output.utf8)) as? [String: Any])
        #expect(report["streams"] as? Int == 3)
        let shares = (report["clips"] as? [[String: Any]] ?? []).map { ($0["clip"] as? String ?? "", $0["streams"] as? Int ?? 0) }
        #expect(shares.map(\.0) == [visitor, noThumb] && shares.map(\.1) == [2, 1])
        // The visitor's clip gives a thumb up in each 5 s loop: at least two each in 14 s.
        let expected = try #require(report["ratings_expected"] as? Int)
        #expect(expected >= 4)
        #expect(report["ratings_detected"] as? Int == expected)
        #expect(report["ratings_missing"] as? Int == 0 && report["ratings_extra"] as? Int == 0)
        #expect((report["ratings_late_max_s"] as? Double ?? .infinity) <= 0.3)
        #expect(report["lost_events"] as? Int == 0)
        #expect((report["server_cpu_cores"] as? Double ?? 0) > 0)
        #expect(report["streams_decoding_realtime"] is Int)
    }

    /// A stream over the server's limit is one failure, counted as refused from the server's own
    /// figures. Its reason comes with it when the client reads it; under load the client can lose
    /// the refusal and the server's close with the upgrade's answer, and the stream ends all the
    /// same (`PacedStreamTests`).
    @Test func aStreamOverTheServersLimitIsCountedAsRefused() async throws {
        let folder = try Clips.temporaryFolder()
        defer { try? FileManager.default.removeItem(at: folder) }
        let server = try ServeProcess(store: folder.appendingPathComponent("load.sqlite").path, arguments: ["--max-streams", "1"])
        defer { _ = server.terminate() }
        let run = try await ProgramRun.run(TestData.snaprateExecutable, [
            "loadtest", "--url", server.baseURL, "--clip", "\(TestData.fixture("vp8_640x480.webm")):2", "--no-stagger",
            "--subscribers", "1", "--duration", "4", "--warmup", "1", "--json",
        ])
        #expect(run.status == 0, "\(run.errors)")
        let report = try #require(try JSONSerialization.jsonObject(with: Data(run.output.utf8)) as? [String: Any])
        #expect(report["streams_refused"] as? Int == 1)
        let failures = report["stream_failures"] as? [String] ?? []
        #expect(failures.count == 1 && failures.allSatisfy { $0.contains("/ingest/load-") }, "\(failures)")
    }
}
