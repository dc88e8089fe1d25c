import Foundation
import HandEngine
import SnapRateCore
import ThumbRating

/// One photo under one picture variant, as a classifier judged it.
struct PhotoVerdict: Sendable {
    let observation: Evaluator.Observation
    let predicted: ThumbClass

    var truth: ThumbClass { observation.photo.truth }
}

/// Photo verdicts and clip results for one picture variant, with their scores.
struct VariantScore {
    let variant: PictureVariant
    let photos: [PhotoVerdict]
    let clips: [Evaluator.ClipResult]
    let matrix: ConfusionMatrix

    init(variant: PictureVariant, photos: [PhotoVerdict], clips: [Evaluator.ClipResult]) {
        self.variant = variant
        self.photos = photos
        self.clips = clips
        matrix = ConfusionMatrix(photos.filter { $0.observation.error == nil })
    }

    var clipsMatched: Int { clips.filter(\.matched).count }

    /// The share of thumbs-up and thumbs-down photos in which any hand was found: what detection
    /// lost before the classifier had a say.
    var handsFound: Double {
        let gestures = photos.filter { $0.truth != .none && $0.observation.error == nil }
        return gestures.isEmpty ? 0 : Double(gestures.filter { !$0.observation.hands.isEmpty }.count) / Double(gestures.count)
    }
}

extension ConfusionMatrix {
    init(_ verdicts: [PhotoVerdict]) {
        self.init()
        for verdict in verdicts { add(truth: verdict.truth, predicted: verdict.predicted) }
    }
}

/// The text `snaprate eval` prints. The figures to quote are the leave-one-source-out ones: each
/// source's photos (and clips of its people) judged by a model fitted without that source. Its
/// last line is `macro-F1 0.XXX clips N/M`, those figures for the pictures as they are.
struct EvaluationReport {
    let variant: ModelVariant
    /// The committed model on the pictures as they are: figures on data that shaped it.
    let trained: VariantScore
    /// Leave-one-source-out, one per picture variant scored, `.asIs` first.
    let heldOut: [VariantScore]

    var headline: VariantScore { heldOut[0] }

    func lines(listErrors: Bool) -> [String] {
        let photos = headline.photos
        let counts = ConfusionMatrix.classes.map { label in "\(photos.filter { $0.truth == label }.count) \(label.rawValue)" }
        var out = ["models \(variant.rawValue): \(photos.count) photos (\(counts.joined(separator: ", "))), \(headline.clips.count) clips", ""]
        out.append(String(format: "committed model, scored on the data it was fitted on (not a figure to quote): macro-F1 %.3f clips %d/%d",
                          trained.matrix.macroF1, trained.clipsMatched, trained.clips.count))
        out.append("")
        out.append("leave-one-source-out: each source scored by a model fitted without it")
        out += matrixLines(headline.matrix)
        out += sourceLines(headline.photos)
        for verdict in photos where verdict.observation.error != nil {
            out.append("unreadable photo: \(verdict.observation.error ?? "")")
        }
        if listErrors {
            for verdict in photos where verdict.observation.error == nil && verdict.predicted != verdict.truth {
                out.append("wrong: \(verdict.observation.photo.path) is \(verdict.truth.rawValue), got \(verdict.predicted.rawValue)")
            }
        }
        out.append("")
        out.append("clips")
        out += clipLines(headline.clips)
        if heldOut.count > 1 {
            out.append("")
            out.append("robustness (leave-one-source-out, photos and clips changed in memory)")
            out.append(pad("variant", 14) + ["macro-F1", "up R", "down R", "none R", "found", "clips"].map { pad($0, 9, right: true) }.joined())
            for score in heldOut {
                let recalls = ConfusionMatrix.classes.map { String(format: "%.3f", score.matrix.recall($0)) }
                out.append(pad(score.variant.rawValue, 14) + ([String(format: "%.3f", score.matrix.macroF1)] + recalls
                        + [String(format: "%.3f", score.handsFound), "\(score.clipsMatched)/\(score.clips.count)"]).map { pad($0, 9, right: true) }.joined())
                if listErrors, score.variant != .asIs {
                    for clip in score.clips where !clip.matched {
                        out.append("  \(clip.clip.name): expected \(list(clip.clip.expected)), got \(list(clip.got))")
                    }
                }
            }
        }
        out.append(String(format: "macro-F1 %.3f clips %d/%d", headline.matrix.macroF1, headline.clipsMatched, headline.clips.count))
        return out
    }

    private func matrixLines(_ matrix: ConfusionMatrix) -> [String] {
        let classes = ConfusionMatrix.classes
        var out = ["confusion matrix (rows: truth, columns: predicted)"]
        out.append(pad("", 8) + classes.map { pad($0.rawValue, 7, right: true) }.joined())
        for truth in classes {
            out.append(pad(truth.rawValue, 8) + classes.map { pad("\(matrix.count(truth: truth, predicted: $0))", 7, right: true) }.joined())
        }
        out.append(pad("class", 8) + ["precision", "recall", "F1"].map { pad($0, 10, right: true) }.joined())
        for label in classes {
            let scores = [matrix.precision(label), matrix.recall(label), matrix.f1(label)]
            out.append(pad(label.rawValue, 8) + scores.map { pad(String(format: "%.3f", $0), 10, right: true) }.joined())
        }
        out.append(String(format: "accuracy %.3f", matrix.accuracy))
        return out
    }

    /// Precision and recall of each class within each source ("-" where the source has no such
    /// photo and none was predicted).
    private func sourceLines(_ verdicts: [PhotoVerdict]) -> [String] {
        let classes = ConfusionMatrix.classes
        var out = ["", "per source (precision / recall)"]
        out.append(pad("source", 8) + pad("photos", 8, right: true) + classes.map { pad($0.rawValue, 14, right: true) }.joined()
            + pad("accuracy", 10, right: true))
        let bySource = Dictionary(grouping: verdicts.filter { $0.observation.error == nil }, by: \.observation.photo.source)
        for source in bySource.keys.sorted() {
            let matrix = ConfusionMatrix(bySource[source]!)
            let cells = classes.map { label -> String in
                let truths = classes.map { matrix.count(truth: label, predicted: $0) }.reduce(0, +)
                let predicted = classes.map { matrix.count(truth: $0, predicted: label) }.reduce(0, +)
                let precision = predicted == 0 ? "-" : String(format: "%.2f", matrix.precision(label))
                let recall = truths == 0 ? "-" : String(format: "%.2f", matrix.recall(label))
                return pad("\(precision) / \(recall)", 14, right: true)
            }
            out.append(pad(source, 8) + pad("\(bySource[source]!.count)", 8, right: true) + cells.joined()
                + pad(String(format: "%.3f", matrix.accuracy), 10, right: true))
        }
        return out
    }

    private func clipLines(_ clips: [Evaluator.ClipResult]) -> [String] {
        let width = max(10, (clips.map(\.clip.name.count).max() ?? 0) + 2)
        return clips.map { clip in
            let verdict = clip.matched ? "ok" : (clip.error.map { "error: \($0)" } ?? "MISMATCH")
            return pad(clip.clip.name, width) + "expected " + pad(list(clip.clip.expected), 18) + "got " + pad(list(clip.got), 18) + verdict
        }
    }

    private func list(_ ratings: [Rating]) -> String {
        ratings.isEmpty ? "[]" : ratings.map(\.rawValue).joined(separator: ",")
    }

    private func pad(_ text: String, _ width: Int, right: Bool = false) -> String {
        let fill = String(repeating: " ", count: max(0, width - text.count))
        return right ? fill + text : text + fill
    }
}
