import Foundation

/// A clip played at its own frame rate by `ffmpeg -re`, looped, as one WebM stream on a pipe: what
/// a camera delivers, for tests that need a stream still running when something happens to it.
final class PacedCamera: @unchecked Sendable {
    let process = Process()
    private let pipe = Pipe()

    init(clip: String, loops: Int) throws {
        process.executableURL = URL(fileURLWithPath: "/usr/bin/ffmpeg")
        process.arguments = ["-v", "error", "-re", "-stream_loop", "\(loops - 1)", "-i", clip, "-c", "copy", "-f", "webm", "-"]
        process.standardOutput = pipe
        // Its only complaint in these tests is the broken pipe when the server goes first.
        process.standardError = FileHandle.nullDevice
        try process.run()
    }

    /// The stream's bytes.
    var output: FileHandle { pipe.fileHandleForReading }

    func stop() {
        if process.isRunning { process.terminate() }
    }

    deinit { stop() }
}
