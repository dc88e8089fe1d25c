/// The subset of a .tflite model that SnapRate runs: one subgraph of tensors and operators, plus
/// the raw constant buffers. Field ids below are those of schema.fbs.
public struct TFLiteModel: Sendable {
    public struct Tensor: Sendable {
        public let name: String
        public let shape: [Int]
        /// Raw TensorType code; kept raw so that types newer than this reader still load and can
        /// be reported by number.
        public let typeCode: Int8
        /// Index into `buffers`; buffer 0 is the schema's "no data" sentinel.
        public let buffer: Int

        public var type: TensorType? { TensorType(rawValue: typeCode) }
    }

    public struct OperatorCode: Sendable {
        public let builtinCode: Int32
        public let customCode: String?

        /// `CONV_2D`, or the custom op's own name.
        public var name: String {
            builtinCode == 32 ? (customCode ?? "CUSTOM") : BuiltinOperator.name(ofCode: builtinCode)
        }
    }

    public struct Operator: Sendable {
        public let opcodeIndex: Int
        /// Tensor indices; -1 marks an omitted optional input.
        public let inputs: [Int]
        public let outputs: [Int]
        /// The `builtin_options` table, parsed lazily per op kind.
        let options: FlatBufferTable?
    }

    public let tensors: [Tensor]
    public let operators: [Operator]
    public let operatorCodes: [OperatorCode]
    public let inputs: [Int]
    public let outputs: [Int]
    let buffers: [Range<Int>]
    let file: FlatBuffer

    /// The bytes of buffer `index` (empty when the tensor has no constant data).
    public func bufferBytes(_ index: Int) -> ArraySlice<UInt8> {
        guard buffers.indices.contains(index) else { return [] }
        return file.bytes[buffers[index]]
    }
}
