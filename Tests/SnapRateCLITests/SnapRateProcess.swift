import Foundation
import TestSupport

/// Runs the built `snaprate` executable for real, as a user would.
struct SnapRateRun {
    let status: Int32
    let stdout: String
    let stderr: String
    /// True when the run was killed for going past its timeout.
    let timedOut: Bool
    /// The signal that ended the process, if one did.
    let signal: Int32?

    var stdoutLines: [String] { stdout.split(separator: "\n").map(String.init) }
    var stderrLines: [String] { stderr.split(separator: "\n").map(String.init) }

    /// Runs `snaprate` with `arguments`; with a `timeout`, kills it (SIGKILL) once that has passed.
    /// A `niceness` above 0 runs it at that lower priority (through `nice`), so a long computation
    /// leaves the cores to the daemons other suites start meanwhile.
    init(_ arguments: [String], stdin: Data? = nil, environment: [String: String] = [:], timeout: TimeInterval? = nil,
         niceness: Int = 0) throws {
        let process = Process()
        if niceness > 0 {
            process.executableURL = URL(fileURLWithPath: "/usr/bin/nice")
            process.arguments = ["-n", "\(niceness)", TestData.snaprateExecutable.path] + arguments
        } else {
            process.executableURL = TestData.snaprateExecutable
            process.arguments = arguments
        }
        process.currentDirectoryURL = TestData.packageRoot
        process.environment = ProcessInfo.processInfo.environment.merging(environment) { $1 }
        let input = Pipe(), output = Pipe(), errors = Pipe()
        process.standardInput = input
        process.standardOutput = output
        process.standardError = errors
        try process.run()
        // A process that refuses its input early closes the pipe while the rest is being written:
        // that write must fail, not kill the test process with SIGPIPE.
        Glibc.signal(SIGPIPE, SIG_IGN)
        // Feed stdin from another thread so a full output pipe cannot deadlock us.
        let writer = input.fileHandleForWriting
        let bytes = stdin ?? Data()
        let feeding = Thread {
            try? writer.write(contentsOf: bytes)
            try? writer.close()
        }
        feeding.start()
        let errorData = Locked(Data())
        let drainErrors = Thread { errorData.set(errors.fileHandleForReading.readDataToEndOfFile()) }
        drainErrors.start()
        let exited = DispatchSemaphore(value: 0)
        let killed = Locked(false)
        if let timeout {
            let pid = process.processIdentifier
            Thread.detachNewThread {
                guard exited.wait(timeout: .now() + timeout) == .timedOut else { return }
                killed.set(true)
                kill(pid, SIGKILL)
            }
        }
        let outData = output.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        exited.signal()
        while drainErrors.isExecuting || !drainErrors.isFinished { usleep(1000) }
        status = process.terminationStatus
        signal = process.terminationReason == .uncaughtSignal ? process.terminationStatus : nil
        timedOut = killed.get()
        stdout = String(decoding: outData, as: UTF8.self)
        stderr = String(decoding: errorData.get(), as: UTF8.self)
    }
}

final class Locked<Value>: @unchecked Sendable {
    private let lock = NSLock()
    private var value: Value
    init(_ value: Value) { self.value = value }
    func get() -> Value { lock.withLock { value } }
    func set(_ newValue: Value) { lock.withLock { value = newValue } }
}

func jsonObject(_ line: String) throws -> [String: Any] {
    guard let object = try JSONSerialization.jsonObject(with: Data(line.utf8)) as? [String: Any] else {
        throw MissingTestData(description: "not a JSON object: \(line)")
    }
    return object
}
