import Foundation
import TestSupport

/// A real `snaprate serve` process on a free loopback port, with a pipe on its stdin.
final class ServeProcess: @unchecked Sendable {
    let process = Process()
    let port: Int
    private let input = Pipe()
    private let errors = Pipe()
    private let errorText = LockedText()

    /// Starts the server and waits (up to `timeout`) for the line that gives its port.
    /// - Parameters:
    ///   - port: 0 for a free one; a given port lets a test restart a server where clients expect it.
    ///   - executable: another copy of `snaprate` (one without its resources beside it).
    init(store: String, arguments: [String] = [], port: Int = 0, executable: URL = TestData.snaprateExecutable,
         timeout: TimeInterval = 60) throws {
        process.executableURL = executable
        process.arguments = ["serve", "--port", "\(port)", "--store", "sqlite:\(store)", "--models", "lite",
                             "--log-level", "info"] + arguments
        process.currentDirectoryURL = TestData.packageRoot
        let output = Pipe()
        process.standardInput = input
        process.standardOutput = output
        process.standardError = errors
        try process.run()
        let errorText = errorText
        let errorHandle = errors.fileHandleForReading
        Thread.detachNewThread {
            while true {
                let data = errorHandle.availableData
                if data.isEmpty { break }
                errorText.append(String(decoding: data, as: UTF8.self))
            }
        }
        let found = LockedText()
        let ready = DispatchSemaphore(value: 0)
        let outputHandle = output.fileHandleForReading
        Thread.detachNewThread {
            var pending = ""
            var signalled = false
            while true {
                let data = outputHandle.availableData
                if data.isEmpty { break }
                pending += String(decoding: data, as: UTF8.self)
                if !signalled, pending.contains("\n") {
                    found.append(pending)
                    signalled = true
                    ready.signal()
                }
            }
            if !signalled { ready.signal() }
        }
        guard ready.wait(timeout: .now() + timeout) == .success,
              let line = found.value.split(separator: "\n").first,
              let object = try? JSONSerialization.jsonObject(with: Data(line.utf8)) as? [String: Any],
              object["type"] as? String == "listening", let port = object["port"] as? Int else {
            process.terminate()
            throw MissingTestData(description: "snaprate serve did not start: \(found.value) \(errorText.value)")
        }
        self.port = port
    }

    var stderr: String { errorText.value }

    /// Writes `data` to the server's stdin from another thread, then closes it unless `keepOpen`
    /// (a live camera that has not stopped). The semaphore is signalled once every byte is in the
    /// pipe: stopping the server before that would kill the test process with SIGPIPE.
    @discardableResult
    func feedStdin(_ data: Data, keepOpen: Bool = false) -> DispatchSemaphore {
        let writer = input.fileHandleForWriting
        let written = DispatchSemaphore(value: 0)
        Thread.detachNewThread {
            try? writer.write(contentsOf: data)
            if !keepOpen { try? writer.close() }
            written.signal()
        }
        return written
    }

    /// Copies everything from `handle` (another process's stdout) to the server's stdin, then closes it.
    func pumpStdin(from handle: FileHandle) {
        let writer = input.fileHandleForWriting
        Thread.detachNewThread {
            while true {
                let data = handle.availableData
                if data.isEmpty { break }
                do { try writer.write(contentsOf: data) } catch { break }
            }
            try? writer.close()
        }
    }

    /// User plus system CPU seconds the server has used so far (Linux /proc).
    var cpuSeconds: Double {
        guard let stat = try? String(contentsOfFile: "/proc/\(process.processIdentifier)/stat", encoding: .utf8),
              let close = stat.lastIndex(of: ")") else { return 0 }
        let fields = stat[stat.index(after: close)...].split(separator: " ")
        // After the command: state is field 3, utime 14 and stime 15 (1-based in proc(5)).
        guard fields.count > 13, let user = Double(fields[11]), let system = Double(fields[12]) else { return 0 }
        return (user + system) / Double(sysconf(Int32(_SC_CLK_TCK)))
    }

    /// SIGTERM, then the exit status (nil if it did not exit within `timeout`; then it is killed).
    func terminate(timeout: TimeInterval = 60) -> Int32? {
        guard process.isRunning else { return process.terminationStatus }
        let exited = DispatchSemaphore(value: 0)
        process.terminationHandler = { _ in exited.signal() }
        if !process.isRunning { return process.terminationStatus }
        kill(process.processIdentifier, SIGTERM)
        guard exited.wait(timeout: .now() + timeout) == .success else {
            kill(process.processIdentifier, SIGKILL)
            return nil
        }
        return process.terminationStatus
    }

    deinit {
        if process.isRunning { kill(process.processIdentifier, SIGKILL) }
    }

    var baseURL: String { "http://127.0.0.1:\(port)" }
    var webSocketURL: String { "ws://127.0.0.1:\(port)" }
}

final class LockedText: @unchecked Sendable {
    private let lock = NSLock()
    private var text = ""
    var value: String { lock.withLock { text } }
    func append(_ more: String) { lock.withLock { text += more } }
}
