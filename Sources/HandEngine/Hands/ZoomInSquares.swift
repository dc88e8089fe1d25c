/// Where the palm detector looks closer for small hands: overlapping upright squares of `side`
/// times the picture's larger side, their centres from half a side in from one edge to half a side
/// in from the other and at most half a side apart, so every hand smaller than half a square lies
/// wholly inside one. In a square of half the picture a hand is twice the size it is in the whole
/// picture's letterbox: a visitor two or three metres from the camera is found again.
public enum ZoomInSquares {
    public static func squares(for image: RGBImage, side fraction: Float) -> [RotatedRect] {
        let side = Float(image.largerSide) * fraction
        guard side > 0, fraction < 1 else { return [] }
        func centres(_ length: Float) -> [Float] {
            guard length > side else { return [length / 2] }
            let steps = Int(((length - side) / (side / 2)).rounded(.up))
            return (0...steps).map { side / 2 + (length - side) * Float($0) / Float(steps) }
        }
        return centres(Float(image.height)).flatMap { y in
            centres(Float(image.width)).map { x in RotatedRect(centerX: x, centerY: y, width: side, height: side) }
        }
    }
}
