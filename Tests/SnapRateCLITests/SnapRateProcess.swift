import Foundation
import TestSupport

/// Runs the built `snaprate` executable for real, as a user would.
struct SnapRateRun {
    let status: Int32
    let stdout: String
    let stderr: String

    var stdoutLines: [String] { stdout.split(separator: "\n").map(String.init) }
    var stderrLines: [String] { stderr.split(separator: "\n").map(String.init) }

    init(_ arguments: [String], stdin: Data? = nil, environment: [String: String] = [:]) throws {
        let process = Process()
        process.executableURL = TestData.snaprateExecutable
        process.arguments = arguments
        process.currentDirectoryURL = TestData.packageRoot
        process.environment = ProcessInfo.processInfo.environment.merging(environment) { $1 }
        let input = Pipe(), output = Pipe(), errors = Pipe()
        process.standardInput = input
        process.standardOutput = output
        process.standardError = errors
        try process.run()
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
        let outData = output.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        while drainErrors.isExecuting || !drainErrors.isFinished { usleep(1000) }
        status = process.terminationStatus
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
