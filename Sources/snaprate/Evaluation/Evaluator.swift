import Foundation
import HandEngine
import Logging
import MediaIngest
import SnapRateCore
import StreamRating
import ThumbRating

/// Runs the hand engine over a data set, two workers at a time (one per core), each with its own
/// models and tracker.
///
/// Photos are observed once per picture variant (the hands found, not yet classified), so the
/// committed classifier and every leave-one-source-out refit can judge the same hands.
struct Evaluator: Sendable {
    /// The hands found in one photo under one picture variant.
    struct Observation: Sendable {
        let photo: GestureDataSet.Photo
        let variant: PictureVariant
        let width: Int
        let height: Int
        let hands: [Hand]
        let error: String?
    }

    struct ClipResult: Sendable {
        let clip: GestureDataSet.Clip
        let variant: PictureVariant
        let got: [Rating]
        /// Each rating's media time.
        var times: [Double] = []
        let error: String?
        var matched: Bool { error == nil && clip.expected == got }
    }

    let variant: ModelVariant
    let models: ModelDirectory
    /// Which clip pictures are searched: the clips are rated as `analyze` rates them.
    var detection = Detection.followingScene(SceneGate.Configuration())
    let logger: Logger
    var workers = 2

    func observePhotos(_ photos: [GestureDataSet.Photo], variants: [PictureVariant]) async throws -> [Observation] {
        let perPhoto = try await inParallel(photos) { slice in
            let tracker = try HandTracker(variant: variant, models: models, options: .photo, logger: logger)
            return slice.map { photo -> [Observation] in
                let picture: RGBImage
                do {
                    picture = try Self.decodePhoto(photo.path, logger: logger)
                } catch {
                    return variants.map { Observation(photo: photo, variant: $0, width: 0, height: 0, hands: [], error: "\(error)") }
                }
                return variants.map { pictureVariant in
                    let image = pictureVariant.apply(picture)
                    return Observation(photo: photo, variant: pictureVariant, width: image.width, height: image.height,
                                       hands: tracker.process(image), error: nil)
                }
            }
        }
        return perPhoto.flatMap { $0 }
    }

    /// Each clip rated from start to end, its frames changed by `pictureVariant`, with the
    /// classifier `classifier(clip)` gives it.
    func scoreClips(_ clips: [GestureDataSet.Clip], variant pictureVariant: PictureVariant,
                    classifier: @escaping @Sendable (GestureDataSet.Clip) -> ThumbClassifier) async throws -> [ClipResult] {
        try await inParallel(clips) { (slice: [GestureDataSet.Clip]) async throws -> [ClipResult] in
            var results: [ClipResult] = []
            for clip in slice {
                let tracker = try HandTracker(variant: variant, models: models, options: .video, logger: logger)
                let pipeline = RatingPipeline(tracker: tracker, classifier: classifier(clip))
                do {
                    let source = try FileDescriptorSource(path: clip.path)
                    let driver = StreamDriver(configuration: .init(detection: detection, adjustPicture: pictureVariant.adjustment),
                                              logger: logger)
                    let report = await driver.run(source: source, pipeline: pipeline)
                    if let failure = report.failure { throw failure }
                    results.append(ClipResult(clip: clip, variant: pictureVariant, got: report.ratings.map(\.rating),
                                              times: report.ratings.map(\.time), error: nil))
                } catch {
                    results.append(ClipResult(clip: clip, variant: pictureVariant, got: [], error: "\(error)"))
                }
            }
            return results
        }
    }

    private static func decodePhoto(_ path: String, logger: Logger) throws -> RGBImage {
        let decoder = try MediaDecoder(file: path, options: DecodeOptions(pixelFormat: .rgb24, acceptStillImages: true), logger: logger)
        guard let frame = try decoder.nextFrame() else { throw ValidationErrorMessage("\(path): no picture") }
        return RGBImage(width: frame.width, height: frame.height, pixels: frame.pixels)
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

/// A photo that decodes to no picture.
struct ValidationErrorMessage: Error, CustomStringConvertible {
    let description: String
    init(_ description: String) { self.description = description }
}
