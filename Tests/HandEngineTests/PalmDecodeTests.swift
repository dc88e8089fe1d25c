import Foundation
import HandEngine
import Testing

@Suite(.timeLimit(.minutes(15))) struct PalmDecodeTests {
    let anchors = SSDAnchors.generate(.palmDetection)

    /// Raw outputs with every score far below threshold, and `set` applied on top.
    func decode(_ set: (inout [Float], inout [Float]) -> Void) -> [PalmDetection] {
        var boxes = [Float](repeating: 0, count: 2016 * 18)
        var scores = [Float](repeating: -20, count: 2016)
        set(&boxes, &scores)
        return boxes.withUnsafeBufferPointer { b in
            scores.withUnsafeBufferPointer { s in PalmTensorDecoder(anchors: anchors).decode(boxes: b, scores: s) }
        }
    }

    @Test func boxesAndKeypointsAreOffsetsFromTheAnchorIn192ths() throws {
        let found = decode { boxes, scores in
            scores[2] = 3
            boxes[2 * 18 + 0] = 19.2   // x centre +0.1
            boxes[2 * 18 + 1] = -9.6   // y centre -0.05
            boxes[2 * 18 + 2] = 38.4   // width 0.2
            boxes[2 * 18 + 3] = 96     // height 0.5
            boxes[2 * 18 + 4] = 1.92   // keypoint 0 x +0.01
            boxes[2 * 18 + 17] = -1.92 // keypoint 6 y -0.01
        }
        let palm = try #require(found.first)
        #expect(found.count == 1)
        let anchor = anchors[2]
        #expect(abs(palm.xMin - (anchor.xCenter + 0.1 - 0.1)) < 1e-6)
        #expect(abs(palm.yMin - (anchor.yCenter - 0.05 - 0.25)) < 1e-6)
        #expect(abs(palm.width - 0.2) < 1e-6 && abs(palm.height - 0.5) < 1e-6)
        #expect(abs(palm.keypoints[0].x - (anchor.xCenter + 0.01)) < 1e-6)
        #expect(abs(palm.keypoints[6].y - (anchor.yCenter - 0.01)) < 1e-6)
        #expect(palm.keypoints.count == 7)
        #expect(abs(palm.score - 1 / (1 + exp(-3))) < 1e-6)
    }

    @Test func scoreIsAClippedSigmoidKeptFromOneHalf() {
        let found = decode { _, scores in
            scores[0] = 0          // exactly 0.5: kept
            scores[1] = -0.01      // just below: dropped
            scores[5] = 1_000      // clipped to 100 before the sigmoid
        }
        #expect(found.count == 2)
        #expect(found.map(\.score) == [0.5, 1])
    }

    @Test func negativeSizesAreDropped() {
        let found = decode { boxes, scores in
            scores[7] = 5
            boxes[7 * 18 + 2] = -1
        }
        #expect(found.isEmpty)
    }
}

@Suite(.timeLimit(.minutes(15))) struct PalmNMSTests {
    func palm(_ score: Float, _ x: Float, _ y: Float, _ size: Float = 0.2) -> PalmDetection {
        PalmDetection(score: score, xMin: x, yMin: y, width: size, height: size,
                      keypoints: Array(repeating: SIMD2(x, y), count: 7))
    }

    @Test func overlappingPalmsMergeIntoTheScoreWeightedMean() throws {
        let merged = WeightedNMS.suppress([palm(0.6, 0.12, 0.1), palm(0.9, 0.1, 0.1), palm(0.8, 0.6, 0.6)])
        #expect(merged.count == 2)
        let first = try #require(merged.first)
        // Best score kept, box and keypoints averaged with weights 0.9 and 0.6.
        #expect(first.score == 0.9)
        let x = (0.1 * 0.9 + 0.12 * 0.6) / 1.5 as Float
        #expect(abs(first.xMin - x) < 1e-6)
        #expect(abs(first.width - 0.2) < 1e-6)
        #expect(abs(first.keypoints[3].x - x) < 1e-6)
        #expect(merged[1].score == 0.8 && merged[1].xMin == 0.6)
    }

    @Test func palmsOverlappingByLessThanTheThresholdStaySeparate() {
        // IoU of two 0.2 boxes shifted by 0.1 horizontally: 0.02 / 0.06 = 1/3 > 0.3; by 0.11: < 0.3.
        #expect(WeightedNMS.suppress([palm(0.9, 0.1, 0.1), palm(0.8, 0.2, 0.1)]).count == 1)
        #expect(WeightedNMS.suppress([palm(0.9, 0.1, 0.1), palm(0.8, 0.21, 0.1)]).count == 2)
    }
}
