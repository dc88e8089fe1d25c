import Foundation

/// A clip looped by `ffmpeg` into one WebM stream on a pipe. At its own frame rate (`-re`) it is
/// what a camera delivers: a stream still running when something happens to the server.
public final class LoopedClip: @unchecked Sendable {
    public let process = Process()
    private let pipe = Pipe()

    public init(_ clip: String, loops: Int, realTime: Bool = true) throws {
        process.executableURL = URL(fileURLWithPath: "/usr/bin/ffmpeg")
        process.arguments = ["-v", "error"] + (realTime ? ["-re"] : [])
            + ["-stream_loop", "\(loops - 1)", "-i", clip, "-c", "copy", "-f", "webm", "-"]
        process.standardOutput = pipe
        // Its only complaint in these tests is the broken pipe when the server goes first.
        process.standardError = FileHandle.nullDevice
        try process.run()
    }

    /// The stream's bytes.
    public var output: FileHandle { pipe.fileHandleForReading }

    public func stop() {
        if process.isRunning { process.terminate() }
    }

    deinit { stop() }
}
