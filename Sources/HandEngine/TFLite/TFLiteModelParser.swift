extension TFLiteModel {
    /// Parses a .tflite file's bytes. Only the first subgraph is read: the hand models have one.
    public init(bytes: [UInt8]) throws(TFLiteFormatError) {
        let file = FlatBuffer(bytes: bytes)
        // Bytes 4..<8 hold the file identifier "TFL3".
        guard bytes.count >= 8, bytes[4..<8].elementsEqual("TFL3".utf8) else {
            throw TFLiteFormatError("not a tflite file (missing TFL3 identifier)")
        }
        let model = try file.rootTable()
        // Model: 1 operator_codes, 2 subgraphs, 4 buffers.
        let codes = try model.tables(1).map { (code) throws(TFLiteFormatError) -> OperatorCode in
            // OperatorCode: 0 deprecated_builtin_code (byte), 1 custom_code, 3 builtin_code (int).
            // Writers fill either or both; the larger is the real code (deprecated caps at 127).
            let deprecated = Int32(try code.scalar(0, default: Int8(0)))
            let builtin = try code.scalar(3, default: Int32(0))
            return OperatorCode(builtinCode: max(deprecated, builtin), customCode: try code.string(1))
        }
        guard let subgraph = try model.tables(2).first else {
            throw TFLiteFormatError("model has no subgraph")
        }
        let buffers = try model.tables(4).map { (buffer) throws(TFLiteFormatError) -> Range<Int> in
            // Buffer: 0 data [ubyte]; 1 offset, 2 size (u64) for data stored after the flatbuffer.
            if let inline = try buffer.byteRange(0) { return inline }
            let offset = Int(try buffer.scalar(1, default: UInt64(0)))
            let size = Int(try buffer.scalar(2, default: UInt64(0)))
            guard offset > 1, size > 0 else { return 0..<0 }
            guard offset + size <= bytes.count else {
                throw TFLiteFormatError("buffer at \(offset) of \(size) bytes runs past the end of the file")
            }
            return offset..<(offset + size)
        }
        // SubGraph: 0 tensors, 1 inputs, 2 outputs, 3 operators.
        let tensors = try subgraph.tables(0).map { (tensor) throws(TFLiteFormatError) -> Tensor in
            // Tensor: 0 shape [int], 1 type (byte), 2 buffer (uint), 3 name.
            Tensor(
                name: try tensor.string(3) ?? "",
                shape: (try tensor.vector(0, of: Int32.self) ?? []).map(Int.init),
                typeCode: try tensor.scalar(1, default: Int8(0)),
                buffer: Int(try tensor.scalar(2, default: UInt32(0)))
            )
        }
        let operators = try subgraph.tables(3).map { (op) throws(TFLiteFormatError) -> Operator in
            // Operator: 0 opcode_index, 1 inputs, 2 outputs, 3 builtin_options_type, 4 builtin_options.
            Operator(
                opcodeIndex: Int(try op.scalar(0, default: UInt32(0))),
                inputs: (try op.vector(1, of: Int32.self) ?? []).map(Int.init),
                outputs: (try op.vector(2, of: Int32.self) ?? []).map(Int.init),
                options: try op.table(4)
            )
        }
        try Self.validate(tensors: tensors, operators: operators, codes: codes, bufferCount: buffers.count)
        self.init(
            tensors: tensors, operators: operators, operatorCodes: codes,
            inputs: (try subgraph.vector(1, of: Int32.self) ?? []).map(Int.init),
            outputs: (try subgraph.vector(2, of: Int32.self) ?? []).map(Int.init),
            buffers: buffers, file: file
        )
    }

    /// Index checks done once here so that later stages can subscript freely.
    private static func validate(
        tensors: [Tensor], operators: [Operator], codes: [OperatorCode], bufferCount: Int
    ) throws(TFLiteFormatError) {
        for tensor in tensors where tensor.buffer >= bufferCount {
            throw TFLiteFormatError("tensor \(tensor.name) names buffer \(tensor.buffer) of \(bufferCount)")
        }
        for (index, op) in operators.enumerated() {
            guard op.opcodeIndex < codes.count else {
                throw TFLiteFormatError("operator \(index) names opcode \(op.opcodeIndex) of \(codes.count)")
            }
            for tensor in op.inputs + op.outputs where tensor >= tensors.count || tensor < -1 {
                throw TFLiteFormatError("operator \(index) names tensor \(tensor) of \(tensors.count)")
            }
        }
    }
}
