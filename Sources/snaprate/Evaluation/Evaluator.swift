import Foundation
import HandEngine
import Logging
import MediaIngest
import Rating

/// Runs the hand engine over a data set, two workers at a time (one per core), each with its own
/// models and tracker.
struct Evaluator: Sendable {
    struct PhotoResult: Sendable {
        let path: String
        let truth: ThumbClass
        let predicted: ThumbClass
        let error: String?
    }

    struct ClipResult: Sendable {
        let name: String
        let expected: [Rating]
        let got: [Rating]
        let error: String?
        var matched: Bool { error == nil && expected == got }
    }

    let variant: ModelVariant
    let models: ModelDirectory
    let logger: Logger
    var workers = 2

    func scorePhotos(_ photos: [GestureDataSet.Photo]) async throws -> [PhotoResult] {
        try await inParallel(photos) { slice in
            let tracker = try HandTracker(variant: variant, models: models, options: .photo, logger: logger)
            let classifier = ThumbClassifier()
            return slice.map { photo in
                do {
                    let decoder = try MediaDecoder(file: photo.path, options: DecodeOptions(pixelFormat: .rgb24, acceptStillImages: true), logger: logger)
                    guard let frame = try decoder.nextFrame() else {
                        return PhotoResult(path: photo.path, truth: photo.truth, predicted: .none, error: "no picture")
                    }
                    let hands = tracker.process(RGBImage(width: frame.width, height: frame.height, pixels: frame.pixels))
                    let verdict = classifier.classify(hands, width: frame.width, height: frame.height)
                    return PhotoResult(path: photo.path, truth: photo.truth, predicted: verdict.thumb, error: nil)
                } catch {
                    return PhotoResult(path: photo.path, truth: photo.truth, predicted: .none, error: "\(error)")
                }
            }
        }
    }

    func scoreClips(_ clips: [GestureDataSet.Clip]) async throws -> [ClipResult] {
        try await inParallel(clips) { slice in
            var results: [ClipResult] = []
            for clip in slice {
                let pipeline = try RatingPipeline(variant: variant, models: models, logger: logger)
                do {
                    let report = try await StreamRating.run(source: try FileDescriptorSource(path: clip.path), pipeline: pipeline,
                                                            options: DecodeOptions(), logger: logger)
                    results.append(ClipResult(name: clip.name, expected: clip.expected, got: report.ratings.map(\.rating), error: nil))
                } catch {
                    results.append(ClipResult(name: clip.name, expected: clip.expected, got: [], error: "\(error)"))
                }
            }
            return results
        }
    }

    /// Splits `items` into `workers` interleaved slices, runs `body` on each concurrently and
    /// returns the results in the items' order.
    private func inParallel<Item: Sendable, Result: Sendable>(
        _ items: [Item], _ body: @escaping @Sendable ([Item]) async throws -> [Result]
    ) async throws -> [Result] {
        let count = max(1, min(workers, items.count))
        return try await withThrowingTaskGroup(of: (Int, [Result]).self) { group in
            for worker in 0..<count {
                let slice = stride(from: worker, to: items.count, by: count).map { items[$0] }
                group.addTask { (worker, try await body(slice)) }
            }
            var byWorker: [Int: [Result]] = [:]
            for try await (worker, results) in group { byWorker[worker] = results }
            var ordered: [Result?] = Array(repeating: nil, count: items.count)
            for (worker, results) in byWorker {
                for (offset, result) in results.enumerated() { ordered[worker + offset * count] = result }
            }
            return ordered.compactMap { $0 }
        }
    }
}
