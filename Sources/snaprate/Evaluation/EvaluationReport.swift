import Foundation
import HandEngine
import Rating

/// The text `snaprate eval` prints; its last line is `macro-F1 0.XXX clips N/M`.
struct EvaluationReport {
    let variant: ModelVariant
    let photos: [Evaluator.PhotoResult]
    let clips: [Evaluator.ClipResult]
    let matrix: ConfusionMatrix

    init(variant: ModelVariant, photos: [Evaluator.PhotoResult], clips: [Evaluator.ClipResult]) {
        self.variant = variant
        self.photos = photos
        self.clips = clips
        var matrix = ConfusionMatrix()
        for photo in photos { matrix.add(truth: photo.truth, predicted: photo.predicted) }
        self.matrix = matrix
    }

    func lines(listErrors: Bool) -> [String] {
        let classes = ConfusionMatrix.classes
        var out: [String] = []
        let counts = classes.map { label in "\(photos.filter { $0.truth == label }.count) \(label.rawValue)" }
        out.append("models \(variant.rawValue): \(photos.count) photos (\(counts.joined(separator: ", "))), \(clips.count) clips")
        out.append("")
        out.append("confusion matrix (rows: truth, columns: predicted)")
        out.append(pad("", 8) + classes.map { pad($0.rawValue, 7, right: true) }.joined())
        for truth in classes {
            out.append(pad(truth.rawValue, 8) + classes.map { pad("\(matrix.count(truth: truth, predicted: $0))", 7, right: true) }.joined())
        }
        out.append("")
        out.append(pad("class", 8) + ["precision", "recall", "F1"].map { pad($0, 10, right: true) }.joined())
        for label in classes {
            let scores = [matrix.precision(label), matrix.recall(label), matrix.f1(label)]
            out.append(pad(label.rawValue, 8) + scores.map { pad(String(format: "%.3f", $0), 10, right: true) }.joined())
        }
        out.append(String(format: "accuracy %.3f", matrix.accuracy))
        let unreadable = photos.filter { $0.error != nil }
        for photo in unreadable { out.append("unreadable photo: \(photo.error ?? "")") }
        if listErrors {
            for photo in photos where photo.error == nil && photo.predicted != photo.truth {
                out.append("wrong: \(photo.path) is \(photo.truth.rawValue), got \(photo.predicted.rawValue)")
            }
        }
        out.append("")
        out.append("clips")
        let width = max(10, (clips.map(\.name.count).max() ?? 0) + 2)
        for clip in clips {
            let verdict = clip.matched ? "ok" : (clip.error.map { "error: \($0)" } ?? "MISMATCH")
            out.append(pad(clip.name, width) + "expected " + pad(list(clip.expected), 18) + "got " + pad(list(clip.got), 18) + verdict)
        }
        out.append(String(format: "macro-F1 %.3f clips %d/%d", matrix.macroF1, clips.filter(\.matched).count, clips.count))
        return out
    }

    private func list(_ ratings: [Rating]) -> String {
        ratings.isEmpty ? "[]" : ratings.map(\.rawValue).joined(separator: ",")
    }

    private func pad(_ text: String, _ width: Int, right: Bool = false) -> String {
        let fill = String(repeating: " ", count: max(0, width - text.count))
        return right ? fill + text : text + fill
    }
}
