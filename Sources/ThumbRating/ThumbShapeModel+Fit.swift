import Foundation

extension ThumbShapeModel {
    /// One hand to learn from.
    public struct Sample: Sendable {
        public var features: [Float]
        public var isThumbGesture: Bool
        /// How much the sample counts (to balance classes and sources).
        public var weight: Double

        public init(features: [Float], isThumbGesture: Bool, weight: Double = 1) {
            self.features = features
            self.isThumbGesture = isThumbGesture
            self.weight = weight
        }
    }

    /// The L2-regularised logistic regression that fits `samples` best, by Newton's method
    /// (iteratively reweighted least squares): deterministic, so the same samples always give the
    /// same model. `ridge` is the penalty on the standardised weights, not on the bias.
    public static func fit(_ samples: [Sample], ridge: Double = 1, iterations: Int = 25) -> ThumbShapeModel {
        precondition(!samples.isEmpty, "fitting needs samples")
        let n = HandPose.featureCount
        let totalWeight = samples.map(\.weight).reduce(0, +)
        var mean = [Double](repeating: 0, count: n), variance = [Double](repeating: 0, count: n)
        for sample in samples {
            for i in 0..<n { mean[i] += sample.weight * Double(sample.features[i]) / totalWeight }
        }
        for sample in samples {
            for i in 0..<n {
                let d = Double(sample.features[i]) - mean[i]
                variance[i] += sample.weight * d * d / totalWeight
            }
        }
        let scale = variance.map { max($0.squareRoot(), 1e-6) }
        // Rows: the standardised features and a 1 for the bias.
        let rows = samples.map { sample in (0..<n).map { (Double(sample.features[$0]) - mean[$0]) / scale[$0] } + [1] }
        var beta = [Double](repeating: 0, count: n + 1)
        for _ in 0..<iterations {
            var hessian = [[Double]](repeating: [Double](repeating: 0, count: n + 1), count: n + 1)
            var gradient = [Double](repeating: 0, count: n + 1)
            for (row, sample) in zip(rows, samples) {
                let logit = zip(row, beta).map { $0 * $1 }.reduce(0, +)
                let p = 1 / (1 + exp(-logit))
                let residual = (sample.isThumbGesture ? 1 : 0) - p
                let curvature = max(p * (1 - p), 1e-9) * sample.weight
                for i in 0...n {
                    gradient[i] += sample.weight * residual * row[i]
                    for j in 0...i { hessian[i][j] += curvature * row[i] * row[j] }
                }
            }
            for i in 0..<n {
                gradient[i] -= ridge * beta[i]
                hessian[i][i] += ridge
            }
            for i in 0...n { for j in 0..<i { hessian[j][i] = hessian[i][j] } }
            let step = solve(hessian, gradient)
            for i in 0...n { beta[i] += step[i] }
            if step.map(abs).max()! < 1e-9 { break }
        }
        return ThumbShapeModel(mean: mean.map(Float.init), scale: scale.map(Float.init),
                               weights: beta[0..<n].map(Float.init), bias: Float(beta[n]))
    }

    /// Solves `matrix * x = vector` for a symmetric positive definite matrix (Cholesky).
    private static func solve(_ matrix: [[Double]], _ vector: [Double]) -> [Double] {
        let n = vector.count
        var lower = [[Double]](repeating: [Double](repeating: 0, count: n), count: n)
        for i in 0..<n {
            for j in 0...i {
                var sum = matrix[i][j]
                for k in 0..<j { sum -= lower[i][k] * lower[j][k] }
                lower[i][j] = i == j ? max(sum, 1e-12).squareRoot() : sum / lower[j][j]
            }
        }
        var y = [Double](repeating: 0, count: n)
        for i in 0..<n {
            var sum = vector[i]
            for k in 0..<i { sum -= lower[i][k] * y[k] }
            y[i] = sum / lower[i][i]
        }
        var x = [Double](repeating: 0, count: n)
        for i in stride(from: n - 1, through: 0, by: -1) {
            var sum = y[i]
            for k in (i + 1)..<n { sum -= lower[k][i] * x[k] }
            x[i] = sum / lower[i][i]
        }
        return x
    }
}
