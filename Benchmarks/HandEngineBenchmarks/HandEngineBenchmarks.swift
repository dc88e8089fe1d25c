import Benchmark
import Foundation
import HandEngine

// Time per inference of the four hand models on SnapRate's engine, against LiteRT (one thread,
// XNNPACK; Benchmarks/peers/litert_models.py) measured in the same run on the same inputs (the
// committed reference pictures). Each iteration is one invoke(); it also records its time as a
// percentage of LiteRT's median (100 = as fast, 150 = the 1.5x budget).
//
// Run (quiet machine; models in ~/.cache/snaprate/models or $SNAPRATE_MODELS;
// `pip install ai-edge-litert numpy` for the peer):
//
//     cd Benchmarks
//     swift package --scratch-path .build-engine-bench benchmark --target HandEngineBenchmarks
//
// The peer alone: `python3 Benchmarks/peers/litert_models.py` (median and min ms per model).
// PipelineBenchmarks.swift adds the whole hand pipeline per frame on a real clip.

let benchmarksFolder = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
let referenceFolder = benchmarksFolder.deletingLastPathComponent().appendingPathComponent("Tests/HandEngineTests/Reference")
let percentOfLiteRT = BenchmarkMetric.custom("% of LiteRT time", polarity: .prefersSmaller, useScalingFactor: false)
let liteRTMicroseconds = BenchmarkMetric.custom("LiteRT median (μs, peer)", polarity: .prefersSmaller, useScalingFactor: false)
let engines = EngineInstances()

let benchmarks: @Sendable () -> Void = {
    Benchmark.defaultConfiguration = .init(
        metrics: [.wallClock, .mallocCountTotal, percentOfLiteRT, liteRTMicroseconds], timeUnits: .microseconds,
        warmupIterations: 10, maxDuration: .seconds(3), maxIterations: 1000)

    for file in [ModelFile.palmLite, .palmFull, .landmarkLite, .landmarkFull] {
        Benchmark("\(file.rawValue) invoke") { benchmark in
            guard let interpreter = engines.interpreter(file) else { return }
            let start = ContinuousClock.now
            benchmark.startMeasurement()
            interpreter.invoke()
            benchmark.stopMeasurement()
            let milliseconds = (ContinuousClock.now - start).milliseconds
            if let peer = engines.liteRTMilliseconds[file], peer > 0 {
                benchmark.measurement(percentOfLiteRT, Int((100 * milliseconds / peer).rounded()))
                benchmark.measurement(liteRTMicroseconds, Int((1000 * peer).rounded()))
            }
        } setup: {
            try engines.load(file)
            if engines.liteRTMilliseconds.isEmpty { engines.liteRTMilliseconds = try runLiteRTPeer() }
        }
    }
    registerPipelineBenchmarks()
}

/// Interpreters and the peer's times, created in the benchmarks' setup (outside measurement).
final class EngineInstances: @unchecked Sendable {
    private let lock = NSLock()
    private var interpreters: [ModelFile: Interpreter] = [:]
    private var peer: [ModelFile: Double] = [:]

    var liteRTMilliseconds: [ModelFile: Double] {
        get { lock.withLock { peer } }
        set { lock.withLock { peer = newValue } }
    }

    func interpreter(_ file: ModelFile) -> Interpreter? {
        lock.withLock { interpreters[file] }
    }

    func load(_ file: ModelFile) throws {
        let interpreter = try Interpreter(model: ModelDirectory.standard().require(file))
        let picture = file == .palmLite || file == .palmFull ? "palm_input.u8" : "landmark_input.u8"
        let bytes = try Data(contentsOf: referenceFolder.appendingPathComponent(picture))
        let input = interpreter.input(0)
        precondition(bytes.count == input.count, "reference picture does not fit \(file.rawValue)")
        for (index, byte) in bytes.enumerated() { input[index] = Float(byte) / 255 }
        lock.withLock { interpreters[file] = interpreter }
    }
}

/// Runs the LiteRT peer once; returns its median ms per inference for each model.
func runLiteRTPeer() throws -> [ModelFile: Double] {
    let process = Process()
    process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
    process.arguments = ["python3", benchmarksFolder.appendingPathComponent("peers/litert_models.py").path, "--seconds", "3"]
    let output = Pipe()
    process.standardOutput = output
    process.standardError = FileHandle.nullDevice
    try process.run()
    let data = output.fileHandleForReading.readDataToEndOfFile()
    process.waitUntilExit()
    var times: [ModelFile: Double] = [:]
    for line in String(decoding: data, as: UTF8.self).split(separator: "\n") {
        // "<model> median <ms> ms  min <ms> ms  (n=…)"
        let fields = line.split(whereSeparator: \.isWhitespace)
        guard fields.count >= 3, fields[1] == "median", let file = ModelFile(rawValue: "\(fields[0]).tflite"),
              let milliseconds = Double(fields[2]) else { continue }
        times[file] = milliseconds
    }
    return times
}

extension Duration {
    var milliseconds: Double {
        let (seconds, attoseconds) = components
        return Double(seconds) * 1000 + Double(attoseconds) / 1e15
    }
}
