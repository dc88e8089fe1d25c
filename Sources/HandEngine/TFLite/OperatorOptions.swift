/// Typed views of the `builtin_options` tables the supported ops use. Field ids are those of
/// schema.fbs; absent fields take the schema defaults.
struct ConvOptions: Sendable, Equatable {
    var padding: Padding
    var strideW: Int
    var strideH: Int
    var dilationW: Int
    var dilationH: Int
    var depthMultiplier: Int
    var activation: FusedActivation
}

struct PoolOptions: Sendable, Equatable {
    var padding: Padding
    var strideW: Int
    var strideH: Int
    var filterW: Int
    var filterH: Int
    var activation: FusedActivation
}

struct ResizeBilinearOptions: Sendable, Equatable {
    var alignCorners: Bool
    var halfPixelCenters: Bool
}

struct OptionsError: Error {
    let description: String
}

extension TFLiteModel.Operator {
    private func padding(_ code: Int8) throws(OptionsError) -> Padding {
        guard let padding = Padding(rawValue: code) else { throw OptionsError(description: "padding code \(code)") }
        return padding
    }

    private func activation(_ code: Int8) throws(OptionsError) -> FusedActivation {
        guard let activation = FusedActivation(rawValue: code) else {
            throw OptionsError(description: "fused activation code \(code)")
        }
        return activation
    }

    private func int(_ table: FlatBufferTable?, _ id: Int, _ value: Int32) throws(TFLiteFormatError) -> Int {
        Int(try table?.scalar(id, default: value) ?? value)
    }

    private func byte(_ table: FlatBufferTable?, _ id: Int) throws(TFLiteFormatError) -> Int8 {
        try table?.scalar(id, default: Int8(0)) ?? 0
    }

    /// Conv2DOptions: 0 padding, 1 stride_w, 2 stride_h, 3 activation, 4 dilation_w, 5 dilation_h.
    func conv2DOptions() throws -> ConvOptions {
        ConvOptions(
            padding: try padding(byte(options, 0)), strideW: try int(options, 1, 1), strideH: try int(options, 2, 1),
            dilationW: try int(options, 4, 1), dilationH: try int(options, 5, 1), depthMultiplier: 1,
            activation: try activation(byte(options, 3))
        )
    }

    /// DepthwiseConv2DOptions: 0 padding, 1 stride_w, 2 stride_h, 3 depth_multiplier,
    /// 4 activation, 5 dilation_w, 6 dilation_h.
    func depthwiseOptions() throws -> ConvOptions {
        ConvOptions(
            padding: try padding(byte(options, 0)), strideW: try int(options, 1, 1), strideH: try int(options, 2, 1),
            dilationW: try int(options, 5, 1), dilationH: try int(options, 6, 1),
            depthMultiplier: try int(options, 3, 1), activation: try activation(byte(options, 4))
        )
    }

    /// Pool2DOptions: 0 padding, 1 stride_w, 2 stride_h, 3 filter_width, 4 filter_height, 5 activation.
    func poolOptions() throws -> PoolOptions {
        PoolOptions(
            padding: try padding(byte(options, 0)), strideW: try int(options, 1, 1), strideH: try int(options, 2, 1),
            filterW: try int(options, 3, 1), filterH: try int(options, 4, 1), activation: try activation(byte(options, 5))
        )
    }

    /// The fused activation of ADD (AddOptions field 0), FULLY_CONNECTED (FullyConnectedOptions
    /// field 0) and CONCATENATION (ConcatenationOptions field 1).
    func fusedActivation(field id: Int) throws -> FusedActivation {
        try activation(byte(options, id))
    }

    /// FullyConnectedOptions: 1 weights_format (0 = DEFAULT), 2 keep_num_dims.
    func fullyConnectedFormat() throws -> (weightsFormat: Int8, keepNumDims: Bool) {
        (try byte(options, 1), try options?.bool(2) ?? false)
    }

    /// ConcatenationOptions: 0 axis.
    func concatenationAxis() throws -> Int {
        try int(options, 0, 0)
    }

    /// ResizeBilinearOptions: 2 align_corners, 3 half_pixel_centers (0 and 1 are deprecated sizes).
    func resizeBilinearOptions() throws -> ResizeBilinearOptions {
        ResizeBilinearOptions(alignCorners: try options?.bool(2) ?? false, halfPixelCenters: try options?.bool(3) ?? false)
    }

    /// ReducerOptions: 0 keep_dims.
    func keepDims() throws -> Bool {
        try options?.bool(0) ?? false
    }
}
