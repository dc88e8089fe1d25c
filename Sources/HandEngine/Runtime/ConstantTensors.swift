/// The model's constant tensors as host values: float32 data as stored, float16 weights
/// dequantized once (DEQUANTIZE ops of constants are folded away here), int32 shape parameters.
struct ConstantTensors {
    private(set) var floats: [Int: [Float]] = [:]
    private(set) var integers: [Int: [Int32]] = [:]

    init(model: TFLiteModel) {
        for (index, tensor) in model.tensors.enumerated() where tensor.buffer != 0 {
            let bytes = model.bufferBytes(tensor.buffer)
            guard !bytes.isEmpty else { continue }
            switch tensor.type {
            case .float32: floats[index] = Self.decode(bytes, as: Float.self)
            case .int32: integers[index] = Self.decode(bytes, as: Int32.self)
            case .float16: floats[index] = Self.decode(bytes, as: UInt16.self).map { Self.float(fromHalf: $0) }
            default: continue
            }
        }
    }

    func isConstant(_ tensor: Int) -> Bool {
        floats[tensor] != nil || integers[tensor] != nil
    }

    /// Records that DEQUANTIZE turns constant `source` into constant `destination`.
    /// Returns false when the source is not a constant (a runtime DEQUANTIZE).
    mutating func foldDequantize(from source: Int, to destination: Int) -> Bool {
        guard let values = floats[source] else { return false }
        floats[destination] = values
        return true
    }

    private static func decode<T: FixedWidthInteger>(_ bytes: ArraySlice<UInt8>, as type: T.Type) -> [T] {
        let count = bytes.count / MemoryLayout<T>.size
        return bytes.withUnsafeBytes { raw in
            (0..<count).map { T(littleEndian: raw.loadUnaligned(fromByteOffset: $0 * MemoryLayout<T>.size, as: T.self)) }
        }
    }

    private static func decode(_ bytes: ArraySlice<UInt8>, as type: Float.Type) -> [Float] {
        decode(bytes, as: UInt32.self).map(Float.init(bitPattern:))
    }

    /// IEEE 754 half (binary16) to single precision, exact for every input including
    /// subnormals, infinities and NaN.
    static func float(fromHalf bits: UInt16) -> Float {
        let sign = UInt32(bits & 0x8000) << 16
        let exponent = Int(bits >> 10) & 0x1F
        let mantissa = UInt32(bits & 0x3FF)
        if exponent == 0x1F {
            return Float(bitPattern: sign | 0x7F80_0000 | (mantissa << 13))
        }
        if exponent == 0 {
            // Subnormal (or zero): mantissa * 2^-24.
            let magnitude = Float(mantissa) * Float(sign: .plus, exponent: -24, significand: 1)
            return sign != 0 ? -magnitude : magnitude
        }
        return Float(bitPattern: sign | UInt32(exponent + 112) << 23 | (mantissa << 13))
    }

}
