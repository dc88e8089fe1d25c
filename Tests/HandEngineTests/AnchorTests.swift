import HandEngine
import Testing

@Suite(.timeLimit(.minutes(15))) struct AnchorTests {
    let anchors = SSDAnchors.generate(.palmDetection)

    @Test func palmOptionsGive2016Anchors() {
        #expect(anchors.count == 2016)
    }

    @Test func strideEightLayerHasTwoAnchorsPerCellOfA24Grid() {
        // One aspect ratio plus the interpolated scale: two anchors on each of 24x24 cells.
        #expect(anchors[0] == Anchor(xCenter: 0.5 / 24, yCenter: 0.5 / 24, width: 1, height: 1))
        #expect(anchors[1] == anchors[0])
        #expect(anchors[2].xCenter == 1.5 / 24 && anchors[2].yCenter == 0.5 / 24)
        #expect(anchors[2 * 24].yCenter == 1.5 / 24 && anchors[2 * 24].xCenter == 0.5 / 24)
        #expect(anchors[1151].xCenter == 23.5 / 24 && anchors[1151].yCenter == 23.5 / 24)
    }

    @Test func threeStrideSixteenLayersShareOne12GridWithSixAnchorsPerCell() {
        let first = anchors[1152]
        #expect(first.xCenter == 0.5 / 12 && first.yCenter == 0.5 / 12)
        #expect(anchors[1152..<1158].allSatisfy { $0 == first })
        #expect(anchors[1158].xCenter == 1.5 / 12)
        #expect(anchors[2015] == Anchor(xCenter: 11.5 / 12, yCenter: 11.5 / 12, width: 1, height: 1))
    }

    @Test func fixedAnchorSizeMakesEveryAnchorUnitSized() {
        #expect(anchors.allSatisfy { $0.width == 1 && $0.height == 1 })
        var sized = SSDAnchorOptions.palmDetection
        sized.fixedAnchorSize = false
        let scaled = SSDAnchors.generate(sized)
        // Layer 0 scale is min_scale; its interpolated partner is sqrt(min · next).
        #expect(abs(scaled[0].width - 0.1484375) < 1e-6)
        let next: Float = 0.1484375 + (0.75 - 0.1484375) / 3
        #expect(abs(scaled[1].width - (0.1484375 * next).squareRoot()) < 1e-6)
    }
}
