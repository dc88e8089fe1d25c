/// A rectangle in pixel coordinates, rotated about its centre by `rotation` radians (clockwise on
/// screen, since y points down): the region of an image that is warped into a model input.
public struct RotatedRect: Sendable, Equatable {
    public var centerX: Float
    public var centerY: Float
    public var width: Float
    public var height: Float
    public var rotation: Float

    public init(centerX: Float, centerY: Float, width: Float, height: Float, rotation: Float = 0) {
        self.centerX = centerX
        self.centerY = centerY
        self.width = width
        self.height = height
        self.rotation = rotation
    }

    /// The smallest centred square that holds the whole image: what MediaPipe's letterboxing
    /// (`keep_aspect_ratio`) warps into the square palm-model input.
    public static func letterbox(width: Int, height: Int, zoomOut: Float = 1) -> RotatedRect {
        let side = Float(max(width, height)) * zoomOut
        return RotatedRect(centerX: Float(width) / 2, centerY: Float(height) / 2, width: side, height: side)
    }

    var isValid: Bool {
        width.isFinite && height.isFinite && centerX.isFinite && centerY.isFinite && rotation.isFinite
            && width > 0 && height > 0
    }
}
