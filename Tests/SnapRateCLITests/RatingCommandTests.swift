import Foundation
import Testing
import TestSupport

/// `analyze` and `eval` on the real shared gesture set, with the real models.
@Suite(.timeLimit(.minutes(15)), .enabled(if: TestData.runGestureTests)) struct RatingCommandTests {
    private var clip: String { TestData.gestures.appendingPathComponent("clips/nvpr_down_up_down.webm").path }

    @Test func analyzePrintsTheClipsRatingsInOrder() throws {
        _ = try TestData.requireGestures()
        let run = try SnapRateRun(["analyze", "--models", "lite", clip])
        #expect(run.status == 0, "\(run.stderr)")
        let records = try run.stdoutLines.map(jsonObject)
        let ratings = records.filter { $0["type"] as? String == "rating" }
        #expect(ratings.map { $0["rating"] as? String } == ["down", "up", "down"])
        let times = ratings.compactMap { $0["time"] as? Double }
        #expect(times == times.sorted() && (times.last ?? 99) < 5.2)
        #expect(ratings.allSatisfy { ($0["confidence"] as? Double).map { (0.5...1).contains($0) } ?? false })
        #expect(ratings.allSatisfy { $0["source"] as? String == clip })
        #expect(records.last?["type"] as? String == "summary")
        #expect(records.last?["frames"] as? Int == 154)
    }

    /// `analyze`'s summary for `path` with `--detect detect`: frames, frames searched, ratings.
    private func summaryAndRatings(_ detect: String, _ path: String) throws -> (frames: Int, searched: Int, ratings: [String]) {
        let run = try SnapRateRun(["analyze", "--models", "lite", "--detect", detect, path])
        #expect(run.status == 0, "\(run.stderr)")
        let records = try run.stdoutLines.map(jsonObject)
        let summary = try #require(records.last)
        return (summary["frames"] as? Int ?? 0, summary["searched"] as? Int ?? 0,
                records.filter { $0["type"] as? String == "rating" }.compactMap { $0["rating"] as? String })
    }

    @Test func theSceneGateSearchesAMovingVisitorThroughoutAndAStillSceneOnce() throws {
        let gestures = try TestData.requireGestures()
        // The visitor moves all along: every frame is searched either way, for the same ratings.
        let everyFrame = try summaryAndRatings("every-frame", clip), gated = try summaryAndRatings("scene", clip)
        #expect(everyFrame.frames == 154 && everyFrame.searched == 154)
        #expect(gated.frames == 154 && gated.searched == 154)
        #expect(gated.ratings == everyFrame.ratings && gated.ratings == ["down", "up", "down"])

        // Three seconds of an empty wall: only its first picture is searched (a glance would
        // come at 4 s).
        let folder = try Clips.temporaryFolder()
        defer { try? FileManager.default.removeItem(at: folder) }
        let still = folder.appendingPathComponent("still.webm").path
        let encode = Process()
        encode.executableURL = FragmentedMP4.ffmpeg
        encode.arguments = ["-v", "error", "-y", "-loop", "1", "-framerate", "30", "-t", "3",
                            "-i", gestures.appendingPathComponent("images/none/MBSL_empty_0.jpg").path,
                            "-vf", "scale=640:480,format=yuv420p", "-c:v", "libvpx", "-b:v", "1M", "-g", "30", still]
        try encode.run()
        encode.waitUntilExit()
        #expect(encode.terminationStatus == 0)
        let stillEveryFrame = try summaryAndRatings("every-frame", still), stillGated = try summaryAndRatings("scene", still)
        #expect(stillEveryFrame.frames == 90 && stillEveryFrame.searched == 90)
        #expect(stillGated.frames == 90 && stillGated.searched == 1)
        #expect(stillGated.ratings.isEmpty && stillEveryFrame.ratings.isEmpty)
    }

    @Test func framesAndCSV() throws {
        _ = try TestData.requireGestures()
        let run = try SnapRateRun(["analyze", "--models", "lite", "--frames", "--format", "csv", clip])
        #expect(run.status == 0)
        let rows = run.stdoutLines
        #expect(rows.first == "type,source,time,rating,confidence,class,hands,frames,searched,decode_errors,duration,codec,width,height,fps")
        let frames = rows.filter { $0.hasPrefix("frame,") }
        #expect(frames.count == 154)
        let classes = Set(frames.map { $0.split(separator: ",", omittingEmptySubsequences: false)[5] })
        #expect(classes == ["up", "down", "none"])
        #expect(rows.filter { $0.hasPrefix("rating,") }.count == 3)
    }

    @Test func smoothingIsConfigurable() throws {
        _ = try TestData.requireGestures()
        // No gesture in the clip is held for three seconds.
        let run = try SnapRateRun(["analyze", "--models", "lite", "--hold", "3", clip])
        #expect(run.status == 0)
        #expect(try run.stdoutLines.map(jsonObject).filter { $0["type"] as? String == "rating" }.isEmpty)
        #expect(try SnapRateRun(["analyze", "--hold", "0", clip]).status != 0)
    }

    @Test func missingModelsNameTheSetupCommand() throws {
        let run = try SnapRateRun(["analyze", "Fixtures/vp8_640x480.webm"], environment: ["SNAPRATE_MODELS": "/nonexistent/models"])
        #expect(run.status == 1)
        #expect(run.stderrLines.count == 1)
        #expect(run.stderr.contains("snaprate setup"))
    }
}
