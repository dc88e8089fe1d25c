/// One SSD anchor in the model's input, normalised to [0, 1].
public struct Anchor: Sendable, Equatable {
    public var xCenter: Float
    public var yCenter: Float
    public var width: Float
    public var height: Float

    public init(xCenter: Float, yCenter: Float, width: Float, height: Float) {
        self.xCenter = xCenter
        self.yCenter = yCenter
        self.width = width
        self.height = height
    }
}

/// The options of MediaPipe's `SsdAnchorsCalculator` that the palm detector uses. Defaults are the
/// calculator's proto defaults; `palmDetection` is the set in `palm_detection_cpu.pbtxt`.
public struct SSDAnchorOptions: Sendable {
    public var inputWidth: Int
    public var inputHeight: Int
    public var minScale: Float
    public var maxScale: Float
    public var anchorOffsetX: Float = 0.5
    public var anchorOffsetY: Float = 0.5
    public var strides: [Int]
    public var aspectRatios: [Float]
    /// The proto default is 1.0, which adds one more anchor per aspect ratio per layer: this is
    /// what makes the palm model's count 2016 rather than 1008.
    public var interpolatedScaleAspectRatio: Float = 1.0
    public var reduceBoxesInLowestLayer = false
    public var fixedAnchorSize = false

    /// `palm_detection_cpu.pbtxt`: num_layers 4, scales 0.1484375…0.75, 192x192, strides 8/16/16/16.
    public static let palmDetection = SSDAnchorOptions(
        inputWidth: 192, inputHeight: 192, minScale: 0.1484375, maxScale: 0.75,
        strides: [8, 16, 16, 16], aspectRatios: [1.0], fixedAnchorSize: true)
}

/// MediaPipe's SSD anchor generation (`SsdAnchorsCalculator::GenerateAnchors`), needed to decode
/// the palm model's box regressions: the order of anchors must match the model's output rows.
public enum SSDAnchors {
    public static func generate(_ options: SSDAnchorOptions) -> [Anchor] {
        var anchors: [Anchor] = []
        let strides = options.strides
        var layer = 0
        while layer < strides.count {
            var heights: [Float] = []
            var widths: [Float] = []
            var aspectRatios: [Float] = []
            var scales: [Float] = []
            // Consecutive layers with the same stride share one feature map; their anchors are
            // interleaved per cell, in layer order.
            var last = layer
            while last < strides.count, strides[last] == strides[layer] {
                let scale = scaleFor(layer: last, options: options)
                if last == 0 && options.reduceBoxesInLowestLayer {
                    aspectRatios += [1.0, 2.0, 0.5]
                    scales += [0.1, scale, scale]
                } else {
                    for ratio in options.aspectRatios {
                        aspectRatios.append(ratio)
                        scales.append(scale)
                    }
                    if options.interpolatedScaleAspectRatio > 0 {
                        let next: Float = last == strides.count - 1 ? 1.0 : scaleFor(layer: last + 1, options: options)
                        scales.append((scale * next).squareRoot())
                        aspectRatios.append(options.interpolatedScaleAspectRatio)
                    }
                }
                last += 1
            }
            for (ratio, scale) in zip(aspectRatios, scales) {
                let root = ratio.squareRoot()
                heights.append(scale / root)
                widths.append(scale * root)
            }
            let stride = Float(strides[layer])
            let mapHeight = Int((Float(options.inputHeight) / stride).rounded(.up))
            let mapWidth = Int((Float(options.inputWidth) / stride).rounded(.up))
            for y in 0..<mapHeight {
                for x in 0..<mapWidth {
                    for index in heights.indices {
                        let xCenter = (Float(x) + options.anchorOffsetX) / Float(mapWidth)
                        let yCenter = (Float(y) + options.anchorOffsetY) / Float(mapHeight)
                        anchors.append(options.fixedAnchorSize
                            ? Anchor(xCenter: xCenter, yCenter: yCenter, width: 1, height: 1)
                            : Anchor(xCenter: xCenter, yCenter: yCenter, width: widths[index], height: heights[index]))
                    }
                }
            }
            layer = last
        }
        return anchors
    }

    private static func scaleFor(layer: Int, options: SSDAnchorOptions) -> Float {
        let count = options.strides.count
        if count == 1 { return (options.minScale + options.maxScale) / 2 }
        return options.minScale + (options.maxScale - options.minScale) * Float(layer) / Float(count - 1)
    }
}
