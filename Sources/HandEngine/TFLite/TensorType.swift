/// Element types of tflite tensors (enum TensorType in schema.fbs); only a few are runnable here.
public enum TensorType: Int8, Sendable {
    case float32 = 0
    case float16 = 1
    case int32 = 2
    case uint8 = 3
    case int64 = 4
    case string = 5
    case bool = 6
    case int16 = 7
    case complex64 = 8
    case int8 = 9
    case float64 = 10

    /// Name for messages; codes past this enum (newer schema types) are reported by number.
    static func name(ofCode code: Int8) -> String {
        TensorType(rawValue: code).map { "\($0)".uppercased() } ?? "TYPE_\(code)"
    }
}

/// Padding scheme of convolutions and pools (enum Padding in schema.fbs).
public enum Padding: Int8, Sendable {
    case same = 0
    case valid = 1
}

/// Activation fused into an op (enum ActivationFunctionType in schema.fbs).
public enum FusedActivation: Int8, Sendable {
    case none = 0
    case relu = 1
    case reluN1To1 = 2
    case relu6 = 3
    case tanh = 4
    case signBit = 5
}
