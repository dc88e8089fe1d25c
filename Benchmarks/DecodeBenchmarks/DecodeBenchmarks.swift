import Benchmark
import Foundation
import MediaIngest

// Decode throughput on the 640x480 VP8 fixture, against the ffmpeg CLI decoding the same clip with
// one thread (Benchmarks/peers/ffmpeg_decode.sh), measured in the same run. Each SnapRate iteration
// records its frames per second and that rate as a percentage of ffmpeg's.

let benchmarksFolder = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
let clip = benchmarksFolder.deletingLastPathComponent().appendingPathComponent("Fixtures/vp8_640x480.webm").path
let framesPerSecond = BenchmarkMetric.custom("frames per second", polarity: .prefersLarger, useScalingFactor: false)
let percentOfFFmpeg = BenchmarkMetric.custom("% of ffmpeg CLI fps", polarity: .prefersLarger, useScalingFactor: false)
let peerRate = PeerRate()

let benchmarks: @Sendable () -> Void = {
    Benchmark.defaultConfiguration = .init(timeUnits: .milliseconds, maxDuration: .seconds(5), maxIterations: 100)

    Benchmark("ffmpeg CLI -threads 1 (peer)", configuration: .init(metrics: [framesPerSecond], maxIterations: 7)) { benchmark in
        let peer = try runFFmpegPeer(runs: 1)
        benchmark.measurement(framesPerSecond, Int(peer))
    }

    for format in [PixelFormat.yuv420p, .rgb24] {
        Benchmark("SnapRate decode to \(format.rawValue)",
                  configuration: .init(metrics: [.wallClock, .mallocCountTotal, framesPerSecond, percentOfFFmpeg])) { benchmark in
            let start = ContinuousClock.now
            let frames = try decodeClip(format)
            let elapsed = ContinuousClock.now - start
            let rate = Double(frames) / elapsed.seconds
            benchmark.measurement(framesPerSecond, Int(rate))
            benchmark.measurement(percentOfFFmpeg, Int((100 * rate / peerRate.value).rounded()))
        } setup: {
            peerRate.value = try runFFmpegPeer(runs: 5)
        }
    }
}

/// Decodes the whole clip once, as `snaprate` does; returns the frame count.
func decodeClip(_ format: PixelFormat) throws -> Int {
    let decoder = try MediaDecoder(file: clip, options: DecodeOptions(pixelFormat: format))
    var frames = 0
    while let frame = try decoder.nextFrame() {
        blackHole(frame.pixels.count)
        frames += 1
    }
    return frames
}

/// The ffmpeg CLI's best decode rate over `runs` runs, in frames per second.
func runFFmpegPeer(runs: Int) throws -> Double {
    let process = Process()
    process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
    process.arguments = ["bash", benchmarksFolder.appendingPathComponent("peers/ffmpeg_decode.sh").path, clip, "\(runs)"]
    let output = Pipe()
    process.standardOutput = output
    try process.run()
    let data = output.fileHandleForReading.readDataToEndOfFile()
    process.waitUntilExit()
    let fields = String(decoding: data, as: UTF8.self).split(whereSeparator: \.isWhitespace)
    guard fields.count == 2, let frames = Double(fields[0]), let seconds = Double(fields[1]), seconds > 0 else {
        throw PeerFailed()
    }
    return frames / seconds
}

struct PeerFailed: Error {}

final class PeerRate: @unchecked Sendable {
    private let lock = NSLock()
    private var rate = 1.0
    var value: Double {
        get { lock.withLock { rate } }
        set { lock.withLock { rate = newValue } }
    }
}

extension Duration {
    var seconds: Double { Double(components.seconds) + Double(components.attoseconds) * 1e-18 }
}
