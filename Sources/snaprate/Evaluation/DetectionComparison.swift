import Foundation

/// One variant's clips rated two ways (`--detect` and every frame searched): how many gave the same
/// ratings, and how much later than the reference the latest of them came.
struct DetectionComparison {
    let variant: PictureVariant
    let same: Int
    let clips: Int
    /// Over the clips with the same ratings, the largest delay (negative: earlier).
    let latestDelay: Double?
    let differing: [String]

    init(variant: PictureVariant, compared: [Evaluator.ClipResult], reference: [Evaluator.ClipResult]) {
        self.variant = variant
        var same = 0, latest: Double?, differing: [String] = []
        for (result, expected) in zip(compared, reference) {
            guard result.error == nil, expected.error == nil, result.got == expected.got else {
                differing.append("\(result.clip.name): \(result.got.map(\.rawValue)) against \(expected.got.map(\.rawValue))")
                continue
            }
            same += 1
            for (time, reference) in zip(result.times, expected.times) { latest = max(latest ?? -.infinity, time - reference) }
        }
        self.same = same
        clips = compared.count
        latestDelay = latest
        self.differing = differing
    }

    var line: String {
        let delay = latestDelay.map { String(format: "%+.3f", $0) } ?? "-"
        let name = variant.rawValue.padding(toLength: 14, withPad: " ", startingAt: 0)
        return "\(name) \(same)/\(clips)   \(delay)" + (differing.isEmpty ? "" : "   differ: " + differing.joined(separator: "; "))
    }
}
