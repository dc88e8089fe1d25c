import Benchmark
import Foundation
import HandEngine
import MediaIngest

// The whole hand pipeline per frame (palm detection when due, landmarks, tracking) on a real clip
// from the shared gesture set, decoded once in setup: `$SNAPRATE_GESTURES/clips/...`, else
// `../shared/gestures` beside the repository. One iteration is one frame; the clip loops.

let pipelineClip = "nvpr_down_up_down.webm"

func registerPipelineBenchmarks() {
    for variant in ModelVariant.allCases {
        for (label, options) in [("SnapRate video defaults", HandTrackerOptions.video), ("MediaPipe semantics", .mediaPipeVideo)] {
            let run = PipelineRun()
            Benchmark("hand pipeline per frame, \(variant.rawValue), \(label)",
                      configuration: .init(metrics: [.wallClock, .mallocCountTotal], timeUnits: .microseconds,
                                           warmupIterations: 30, maxDuration: .seconds(4), maxIterations: 2000)) { benchmark in
                run.step(benchmark)
            } setup: {
                try run.load(variant: variant, options: options)
            }
        }
    }
}

/// A tracker and the clip's frames, stepped one frame per iteration.
final class PipelineRun: @unchecked Sendable {
    private var tracker: HandTracker?
    private var frames: [(image: RGBImage, time: Double)] = []
    private var index = 0
    private var loops = 0

    func load(variant: ModelVariant, options: HandTrackerOptions) throws {
        tracker = try HandTracker(variant: variant, options: options, logger: .init(label: "bench"))
        let decoder = try MediaDecoder(file: Self.clipPath(), options: DecodeOptions(pixelFormat: .rgb24))
        while let frame = try decoder.nextFrame() {
            frames.append((RGBImage(width: frame.width, height: frame.height, pixels: frame.pixels), frame.time))
        }
    }

    func step(_ benchmark: Benchmark) {
        guard let tracker, !frames.isEmpty else { return }
        let frame = frames[index]
        // Media time keeps growing across loops, as a live stream's does.
        let time = frame.time + Double(loops) * 10
        benchmark.startMeasurement()
        blackHole(tracker.process(frame.image, time: time))
        benchmark.stopMeasurement()
        index += 1
        if index == frames.count {
            index = 0
            loops += 1
        }
    }

    static func clipPath() -> String {
        let environment = ProcessInfo.processInfo.environment
        let gestures = environment["SNAPRATE_GESTURES"].map { URL(fileURLWithPath: $0) }
            ?? benchmarksFolder.deletingLastPathComponent().deletingLastPathComponent().appendingPathComponent("shared/gestures")
        return gestures.appendingPathComponent("clips/\(pipelineClip)").path
    }
}
