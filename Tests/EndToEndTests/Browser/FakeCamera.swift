import Foundation
import TestSupport

/// Chromium's fake camera plays a y4m file in a loop.
enum FakeCamera {
    /// Makes `NAME.y4m` in `folder` from a clip, for the fake camera: 640x480 (letterboxed),
    /// yuv420p, `fps` frames a second, played `slowdown` times slower than recorded, and opening
    /// with `leadIn` seconds (before the slowdown) of no gesture: the clip's last second, whose
    /// first frame is held for the rest.
    ///
    /// Why not the clip as it is: Chromium's recorder drops frames when the machine is busy (on
    /// the shared 2-core test machine it delivered 8 to 14 of 15 frames a second, and 10 to 28 of
    /// 30), and the clip opens with a thumb down shown for only 0.4 s, which `snaprate analyze`
    /// itself misses below about 10 frames a second. Played at half speed, as a slower visitor
    /// would give it, every gesture survives down to 6 frames a second. The lead-in puts the first
    /// gesture after the start-up of the page and its recorder, and every loop opens after a pause,
    /// as the clip's own loop does.
    static func y4m(from clip: String, leadIn: Double = 1.5, slowdown: Double = 2, fps: Int = 15,
                    into folder: URL) throws -> URL {
        let output = folder.appendingPathComponent(URL(fileURLWithPath: clip).deletingPathExtension().lastPathComponent + ".y4m")
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/ffmpeg")
        process.arguments = [
            "-v", "error", "-y", "-sseof", "-1", "-i", clip, "-i", clip,
            "-filter_complex",
            "[0:v]tpad=start_duration=\(leadIn - 1):start_mode=clone[lead];"
                + "[lead][1:v]concat=n=2:v=1,setpts=\(slowdown)*PTS,"
                + "scale=640:480:force_original_aspect_ratio=decrease,pad=640:480:(ow-iw)/2:(oh-ih)/2,"
                + "fps=\(fps),format=yuv420p[out]",
            "-map", "[out]", "-f", "yuv4mpegpipe", output.path,
        ]
        let errors = Pipe()
        process.standardError = errors
        try process.run()
        let message = errors.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        guard process.terminationStatus == 0 else {
            throw MissingTestData(description: "ffmpeg could not make \(output.path): \(String(decoding: message, as: UTF8.self))")
        }
        return output
    }
}
