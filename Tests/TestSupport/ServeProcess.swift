import Foundation

/// A real `snaprate serve` process on a free loopback port, with a pipe on its stdin.
public final class ServeProcess: @unchecked Sendable {
    public let process = Process()
    public let port: Int
    /// `http`, or `https` when started with a certificate.
    public let scheme: String
    private let input = Pipe()
    private let errors = Pipe()
    private let errorText = LockedText()

    /// Starts the server and waits (as long as it takes) for the line that gives its port. `store` is
    /// a SQLite file's path or any `--store` value (`sqlite:PATH`, `postgres://...`).
    ///
    /// - Parameters:
    ///   - detectsEveryFrame: turns off frame skipping (`--max-lag inf`). The tests that compare
    ///     `serve` with `analyze` feed clips faster than real time on a machine that may be busy
    ///     with other tests; skipping would make the comparison test the load, not the pipeline.
    ///   - port: 0 for a free one; a given port lets a test restart a server where clients expect it.
    ///   - executable: another copy of `snaprate` (one without its resources beside it).
    ///   - environment: variables added to the test's own (`SNAPRATE_TOKENS`, ...).
    public init(store: String, arguments: [String] = [], detectsEveryFrame: Bool = true, port: Int = 0,
         executable: URL = TestData.snaprateExecutable, environment: [String: String] = [:]) throws {
        let location = store.hasPrefix("sqlite:") || store.contains("://") ? store : "sqlite:\(store)"
        process.executableURL = executable
        process.environment = ProcessInfo.processInfo.environment.merging(environment) { $1 }
        // Unless a test sets its own, the idle timeout is long: under the full test run a test's
        // sender can be kept from running for longer than the default 10 s, and what ends a
        // stream must be what the test is about (CI saw both happen).
        let idle = arguments.contains("--idle-timeout") ? [] : ["--idle-timeout", "300"]
        process.arguments = ["serve", "--port", "\(port)", "--store", location, "--models", "lite",
                             "--log-level", "info"] + (detectsEveryFrame ? ["--max-lag", "inf"] : []) + idle + arguments
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
        // The reader signals at the first line or at the end of the output (a server that stopped).
        do {
            try ready.waitWithoutDeadline(for: "snaprate serve to say where it listens")
        } catch {
            kill(process.processIdentifier, SIGKILL)
            throw error
        }
        guard let line = found.value.split(separator: "\n").first,
              let object = try? JSONSerialization.jsonObject(with: Data(line.utf8)) as? [String: Any],
              object["type"] as? String == "listening", let port = object["port"] as? Int else {
            process.terminate()
            throw MissingTestData(description: "snaprate serve did not start: \(found.value) \(errorText.value)")
        }
        self.port = port
        self.scheme = object["scheme"] as? String ?? "http"
    }

    public var stderr: String { errorText.value }

    /// Writes `data` to the server's stdin from another thread, then closes it unless `keepOpen`
    /// (a live camera that has not stopped). The semaphore is signalled once every byte is in the
    /// pipe: stopping the server before that would kill the test process with SIGPIPE.
    @discardableResult
    public func feedStdin(_ data: Data, keepOpen: Bool = false) -> DispatchSemaphore {
        let writer = input.fileHandleForWriting
        let written = DispatchSemaphore(value: 0)
        Thread.detachNewThread {
            try? writer.write(contentsOf: data)
            if !keepOpen { try? writer.close() }
            written.signal()
        }
        return written
    }

    /// Writes `data` to the server's stdin now (blocking until the pipe took it), keeping it open.
    public func writeStdin(_ data: Data) throws {
        try input.fileHandleForWriting.write(contentsOf: data)
    }

    /// Writes `data` to the server's stdin from a thread of its own (the pipe takes it only as
    /// fast as the server reads), keeping it open; returns once all of it was written.
    public func sendStdin(_ data: Data) async throws {
        let writer = input.fileHandleForWriting
        try await withCheckedThrowingContinuation { (continuation: CheckedContinuation<Void, any Error>) in
            Thread.detachNewThread {
                do {
                    try writer.write(contentsOf: data)
                    continuation.resume()
                } catch {
                    continuation.resume(throwing: error)
                }
            }
        }
    }

    /// Closes the server's stdin: the stdin stream ends.
    public func closeStdin() throws {
        try input.fileHandleForWriting.close()
    }

    /// Copies everything from `handle` (another process's stdout) to the server's stdin, then closes it.
    public func pumpStdin(from handle: FileHandle) {
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
    public var cpuSeconds: Double {
        guard let stat = try? String(contentsOfFile: "/proc/\(process.processIdentifier)/stat", encoding: .utf8),
              let close = stat.lastIndex(of: ")") else { return 0 }
        let fields = stat[stat.index(after: close)...].split(separator: " ")
        // After the command: state is field 3, utime 14 and stime 15 (1-based in proc(5)).
        guard fields.count > 13, let user = Double(fields[11]), let system = Double(fields[12]) else { return 0 }
        return (user + system) / Double(sysconf(Int32(_SC_CLK_TCK)))
    }

    /// The server's resident memory now and at its peak so far, in bytes (Linux /proc).
    public var memory: (resident: Int, peak: Int) {
        let status = (try? String(contentsOfFile: "/proc/\(process.processIdentifier)/status", encoding: .utf8)) ?? ""
        func kilobytes(_ field: String) -> Int {
            guard let line = status.split(separator: "\n").first(where: { $0.hasPrefix(field + ":") }) else { return 0 }
            return Int(line.split(separator: " ").dropFirst().first ?? "") ?? 0
        }
        return (kilobytes("VmRSS") * 1024, kilobytes("VmHWM") * 1024)
    }

    public var isRunning: Bool { process.isRunning }

    /// SIGTERM, then the exit status once it exits (nil if the wait was cancelled, by the suite's
    /// time limit: then it is killed).
    public func terminate() -> Int32? {
        guard process.isRunning else { return process.terminationStatus }
        let exited = DispatchSemaphore(value: 0)
        process.terminationHandler = { _ in exited.signal() }
        if !process.isRunning { return process.terminationStatus }
        kill(process.processIdentifier, SIGTERM)
        do {
            try exited.waitWithoutDeadline(for: "snaprate serve to exit after SIGTERM")
        } catch {
            kill(process.processIdentifier, SIGKILL)
            return nil
        }
        return process.terminationStatus
    }

    /// SIGKILL, as a crash or the OOM killer would end it: nothing runs after it. Returns once
    /// the process is gone.
    public func sigkill() {
        guard process.isRunning else { return }
        kill(process.processIdentifier, SIGKILL)
        process.waitUntilExit()
    }

    /// `terminate()` from a thread of its own, keeping Swift's cooperative pool (two threads
    /// here) free while the process exits.
    public func stop() async -> Int32? {
        // The thread's wait gives up (killing the server) when this task is cancelled.
        try? await offPool { self.terminate() }
    }

    deinit {
        if process.isRunning { kill(process.processIdentifier, SIGKILL) }
    }

    /// Runs `snaprate serve --port 0 ARGUMENTS` expecting it to stop before it listens: its exit
    /// status and standard error.
    public static func refusedStart(_ arguments: [String], environment: [String: String] = [:]) throws -> (status: Int32, stderr: String) {
        let process = Process()
        process.executableURL = TestData.snaprateExecutable
        process.arguments = ["serve", "--port", "0"] + arguments
        process.environment = ProcessInfo.processInfo.environment.merging(environment) { $1 }
        let errors = Pipe()
        process.standardError = errors
        process.standardOutput = FileHandle.nullDevice
        try process.run()
        let text = String(decoding: errors.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        process.waitUntilExit()
        return (process.terminationStatus, text)
    }

    public var baseURL: String { "\(scheme)://127.0.0.1:\(port)" }
    public var webSocketURL: String { "\(scheme == "https" ? "wss" : "ws")://127.0.0.1:\(port)" }
}

public final class LockedText: @unchecked Sendable {
    private let lock = NSLock()
    private var text = ""

    public init() {}

    public var value: String { lock.withLock { text } }
    public func append(_ more: String) { lock.withLock { text += more } }
}
