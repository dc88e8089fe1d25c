/// MediaPipe's weighted non-maximum suppression (`NonMaxSuppressionCalculator`, algorithm WEIGHTED,
/// overlap INTERSECTION_OVER_UNION): the best remaining detection absorbs every detection that
/// overlaps it by more than the threshold (itself included), and its box and keypoints become the
/// score-weighted mean of the absorbed ones; its score stays the best one's.
public enum WeightedNMS {
    public static func suppress(_ detections: [PalmDetection], iouThreshold: Float = 0.3) -> [PalmDetection] {
        var remaining = detections.sorted { $0.score > $1.score }
        var kept: [PalmDetection] = []
        while let best = remaining.first {
            var absorbed: [PalmDetection] = []
            var rest: [PalmDetection] = []
            for candidate in remaining {
                if candidate.iou(best) > iouThreshold { absorbed.append(candidate) } else { rest.append(candidate) }
            }
            kept.append(weightedMean(of: absorbed, keeping: best))
            // MediaPipe stops when nothing was absorbed (possible only for a degenerate best box).
            if rest.count == remaining.count { break }
            remaining = rest
        }
        return kept
    }

    private static func weightedMean(of group: [PalmDetection], keeping best: PalmDetection) -> PalmDetection {
        guard !group.isEmpty else { return best }
        var total: Float = 0
        var xMin: Float = 0, yMin: Float = 0, xMax: Float = 0, yMax: Float = 0
        var keypoints = [SIMD2<Float>](repeating: .zero, count: best.keypoints.count)
        for member in group {
            let weight = member.score
            total += weight
            xMin += member.xMin * weight
            yMin += member.yMin * weight
            xMax += (member.xMin + member.width) * weight
            yMax += (member.yMin + member.height) * weight
            for k in keypoints.indices { keypoints[k] += member.keypoints[k] * weight }
        }
        var merged = best
        merged.xMin = xMin / total
        merged.yMin = yMin / total
        merged.width = xMax / total - merged.xMin
        merged.height = yMax / total - merged.yMin
        merged.keypoints = keypoints.map { $0 / total }
        return merged
    }
}
