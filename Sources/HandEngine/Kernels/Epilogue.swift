/// What a convolution does to its output after the bias (which kernels add by starting their
/// accumulators from it): an optional residual add (a following ADD fused in), the activation,
/// and an optional add after the activation (an ADD that follows a fused PRELU). Fusing these
/// saves full passes over the tensor.
///
/// The GEMM finishes its full 16-channel tiles in registers (`Gemm.tile`); other kernels store raw
/// sums and then call `apply` on the pixels just written, while they are still in L1, where the
/// mode switches happen once per call, outside the vector loops.
struct Epilogue {
    var channels: Int
    var residual: ResidualInput?
    var activation: Activation
    /// Added after the activation; same layout as the output.
    var postAdd: UnsafePointer<Float>?

    var isIdentity: Bool {
        if residual != nil || postAdd != nil { return false }
        if case .none = activation { return true }
        return false
    }

    /// Finishes `pixels` (consecutive NHWC pixels of `output`, `channels` floats each).
    func apply(_ output: UnsafeMutablePointer<Float>, pixels: Range<Int>) {
        if isIdentity || pixels.isEmpty { return }
        let start = pixels.lowerBound * channels
        let count = pixels.count * channels
        let values = output + start
        if let residual {
            if residual.channels == channels {
                Vector.add(values, UnsafePointer(residual.base + start), count: count)
            } else {
                let width = min(residual.channels, channels)
                for pixel in pixels {
                    Vector.add(output + pixel * channels, residual.base + pixel * residual.channels, count: width)
                }
            }
        }
        switch activation {
        case .none:
            break
        case let .clamp(lower, upper):
            Vector.clamp(values, count: count, lower: lower, upper: upper)
        case let .prelu(slopes):
            for pixel in pixels { Vector.prelu(output + pixel * channels, slopes: slopes, count: channels) }
        }
        if let postAdd {
            Vector.add(values, postAdd + start, count: count)
        }
    }
}

extension Epilogue {
    /// Finishes channels `group` of `pixels` (for kernels that sweep channel groups).
    func apply(_ output: UnsafeMutablePointer<Float>, pixels: Range<Int>, channels group: Range<Int>) {
        if group == 0..<channels { return apply(output, pixels: pixels) }
        if isIdentity || pixels.isEmpty || group.isEmpty { return }
        for pixel in pixels {
            let values = output + pixel * channels + group.lowerBound
            if let residual, group.lowerBound < residual.channels {
                let count = min(group.upperBound, residual.channels) - group.lowerBound
                Vector.add(values, residual.base + pixel * residual.channels + group.lowerBound, count: count)
            }
            switch activation {
            case .none:
                break
            case let .clamp(lower, upper):
                Vector.clamp(values, count: group.count, lower: lower, upper: upper)
            case let .prelu(slopes):
                Vector.prelu(values, slopes: slopes + group.lowerBound, count: group.count)
            }
            if let postAdd {
                Vector.add(values, postAdd + pixel * channels + group.lowerBound, count: group.count)
            }
        }
    }
}

extension Epilogue {
    /// Whether a kernel can finish the `width` channels from `channel` in registers: always,
    /// unless a residual with fewer channels than the output ends inside them.
    @inline(__always)
    func finishesInRegisters(block channel: Int, width: Int = 16) -> Bool {
        guard let residual, residual.channels != channels else { return true }
        return channel + width <= residual.channels || channel >= residual.channels
    }
}

/// A tensor added into a convolution's output. It may have fewer channels than the output: the
/// palm model adds a channel-padded (PAD op) max-pool result, whose padding is zeros.
struct ResidualInput {
    var base: UnsafePointer<Float>
    var channels: Int
}

/// In-place vector loops over contiguous floats: eight lanes at a time, scalar tail.
enum Vector {
    @inline(__always)
    static func add(_ target: UnsafeMutablePointer<Float>, _ source: UnsafePointer<Float>, count: Int) {
        var index = 0
        while index + 8 <= count {
            target.store8(target.load8(index) + source.load8(index), index)
            index += 8
        }
        while index < count {
            target[index] += source[index]
            index += 1
        }
    }

    @inline(__always)
    static func clamp(_ target: UnsafeMutablePointer<Float>, count: Int, lower: Float, upper: Float) {
        let low = SIMD8<Float>(repeating: lower), high = SIMD8<Float>(repeating: upper)
        var index = 0
        while index + 8 <= count {
            target.store8(target.load8(index).clamped(low, high), index)
            index += 8
        }
        while index < count {
            target[index] = min(max(target[index], lower), upper)
            index += 1
        }
    }

    @inline(__always)
    static func prelu(_ target: UnsafeMutablePointer<Float>, slopes: UnsafePointer<Float>, count: Int) {
        var index = 0
        while index + 8 <= count {
            target.store8(target.load8(index).prelu(slopes.load8(index)), index)
            index += 8
        }
        while index < count {
            let value = target[index]
            target[index] = value < 0 ? value * slopes[index] : value
            index += 1
        }
    }
}
