import Foundation

/// A program run to its end, as the tests run ffmpeg, openssl, curl or `snaprate` itself: its exit
/// status and everything it wrote.
public struct ProgramRun: Sendable {
    public let status: Int32
    public let output: String
    public let errors: String

    /// Runs `executable` with `arguments` and no input, waiting on a thread of its own (`offPool`),
    /// never on one of the test process's two cooperative threads.
    public static func run(_ executable: URL, _ arguments: [String]) async throws -> ProgramRun {
        try await offPool { try runBlocking(executable, arguments) }
    }

    private static func runBlocking(_ executable: URL, _ arguments: [String]) throws -> ProgramRun {
        let process = Process()
        process.executableURL = executable
        process.arguments = arguments
        let output = Pipe(), errors = Pipe()
        process.standardOutput = output
        process.standardError = errors
        process.standardInput = FileHandle.nullDevice
        try process.run()
        // Both pipes are read while the program runs: a full one would hold it up.
        let errorsRead = DispatchSemaphore(value: 0)
        nonisolated(unsafe) var errorData = Data()
        Thread.detachNewThread {
            errorData = errors.fileHandleForReading.readDataToEndOfFile()
            errorsRead.signal()
        }
        let outputData = output.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        errorsRead.wait()
        return ProgramRun(status: process.terminationStatus, output: String(decoding: outputData, as: UTF8.self),
                          errors: String(decoding: errorData, as: UTF8.self))
    }
}
