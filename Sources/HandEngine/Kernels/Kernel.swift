/// One compiled step of a model: all shapes, pointers and packed constants are resolved at load,
/// so `run()` only computes (and never allocates).
protocol Kernel: AnyObject {
    func run()
}

/// Height, width and channels of one NHWC image (the batch is always 1 here).
struct ImageShape: Equatable, CustomStringConvertible {
    var height: Int
    var width: Int
    var channels: Int

    var pixels: Int { height * width }
    var count: Int { height * width * channels }
    var description: String { "\(height)x\(width)x\(channels)" }
}

/// Output size and leading padding of a sliding window along one axis, as tflite computes them.
struct WindowAxis: Equatable {
    var input: Int
    var filter: Int
    var stride: Int
    var dilation: Int
    var output: Int
    /// Padding before the first input element (SAME puts the odd extra element after).
    var padBefore: Int

    init(input: Int, filter: Int, stride: Int, dilation: Int = 1, padding: Padding) {
        self.input = input
        self.filter = filter
        self.stride = stride
        self.dilation = dilation
        let effective = (filter - 1) * dilation + 1
        switch padding {
        case .same:
            output = (input + stride - 1) / stride
            padBefore = max((output - 1) * stride + effective - input, 0) / 2
        case .valid:
            output = (input - effective + stride) / stride
            padBefore = 0
        }
    }

    /// The filter taps `first..<end` that land inside the input for output position `position`.
    @inline(__always)
    func validTaps(at position: Int) -> (first: Int, end: Int, origin: Int) {
        let origin = position * stride - padBefore
        var first = 0, end = filter
        while first < end && origin + first * dilation < 0 { first += 1 }
        while end > first && origin + (end - 1) * dilation >= input { end -= 1 }
        return (first, end, origin)
    }
}
