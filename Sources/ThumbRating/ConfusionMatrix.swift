import SnapRateCore

/// Counts of true class against predicted class, with the scores an evaluation reports.
public struct ConfusionMatrix: Sendable, Equatable {
    public static let classes = ThumbClass.allCases
    private var counts: [ThumbClass: [ThumbClass: Int]] = [:]

    public init() {}

    public mutating func add(truth: ThumbClass, predicted: ThumbClass) {
        counts[truth, default: [:]][predicted, default: 0] += 1
    }

    public func count(truth: ThumbClass, predicted: ThumbClass) -> Int {
        counts[truth]?[predicted] ?? 0
    }

    public var total: Int { counts.values.flatMap(\.values).reduce(0, +) }

    public func precision(_ label: ThumbClass) -> Double {
        let predicted = Self.classes.map { count(truth: $0, predicted: label) }.reduce(0, +)
        return predicted == 0 ? 0 : Double(count(truth: label, predicted: label)) / Double(predicted)
    }

    public func recall(_ label: ThumbClass) -> Double {
        let actual = Self.classes.map { count(truth: label, predicted: $0) }.reduce(0, +)
        return actual == 0 ? 0 : Double(count(truth: label, predicted: label)) / Double(actual)
    }

    public func f1(_ label: ThumbClass) -> Double {
        let p = precision(label), r = recall(label)
        return p + r == 0 ? 0 : 2 * p * r / (p + r)
    }

    public var macroF1: Double {
        Self.classes.map(f1).reduce(0, +) / Double(Self.classes.count)
    }

    public var accuracy: Double {
        total == 0 ? 0 : Double(Self.classes.map { count(truth: $0, predicted: $0) }.reduce(0, +)) / Double(total)
    }
}
