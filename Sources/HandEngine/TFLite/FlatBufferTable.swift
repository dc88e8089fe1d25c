/// Read-only access to a FlatBuffers binary (the container format of .tflite files).
///
/// Every read is bounds-checked and throws instead of trapping: a truncated or corrupt model file
/// must surface as a load error, never as a crash of the daemon.
struct FlatBuffer: Sendable {
    let bytes: [UInt8]

    init(bytes: [UInt8]) {
        self.bytes = bytes
    }

    func load<T: FixedWidthInteger>(_ type: T.Type, at position: Int) throws(TFLiteFormatError) -> T {
        guard position >= 0, position + MemoryLayout<T>.size <= bytes.count else {
            throw TFLiteFormatError("read of \(MemoryLayout<T>.size) bytes at \(position) is outside the \(bytes.count)-byte file")
        }
        return bytes.withUnsafeBytes { T(littleEndian: $0.loadUnaligned(fromByteOffset: position, as: T.self)) }
    }

    /// The root table: the file starts with a uoffset to it.
    func rootTable() throws(TFLiteFormatError) -> FlatBufferTable {
        let offset = Int(try load(UInt32.self, at: 0))
        return try FlatBufferTable(buffer: self, position: offset)
    }
}

/// One table inside a FlatBuffer; fields are addressed by their id in the schema (0, 1, 2, ...).
struct FlatBufferTable: Sendable {
    let buffer: FlatBuffer
    let position: Int
    private let vtable: Int
    private let vtableSize: Int

    init(buffer: FlatBuffer, position: Int) throws(TFLiteFormatError) {
        self.buffer = buffer
        self.position = position
        // The table starts with a signed offset *back* to its vtable.
        let back = Int(try buffer.load(Int32.self, at: position))
        vtable = position - back
        vtableSize = Int(try buffer.load(UInt16.self, at: vtable))
    }

    /// Absolute position of field `id`, or nil when the field is absent (it then has its default).
    func fieldPosition(_ id: Int) throws(TFLiteFormatError) -> Int? {
        let entry = 4 + 2 * id
        guard entry + 2 <= vtableSize else { return nil }
        let offset = Int(try buffer.load(UInt16.self, at: vtable + entry))
        return offset == 0 ? nil : position + offset
    }

    func scalar<T: FixedWidthInteger>(_ id: Int, default value: T) throws(TFLiteFormatError) -> T {
        guard let at = try fieldPosition(id) else { return value }
        return try buffer.load(T.self, at: at)
    }

    func bool(_ id: Int, default value: Bool = false) throws(TFLiteFormatError) -> Bool {
        try scalar(id, default: UInt8(value ? 1 : 0)) != 0
    }

    /// Follows a uoffset stored at `at` (offsets are relative to where they are stored).
    private func indirect(_ at: Int) throws(TFLiteFormatError) -> Int {
        at + Int(try buffer.load(UInt32.self, at: at))
    }

    func table(_ id: Int) throws(TFLiteFormatError) -> FlatBufferTable? {
        guard let at = try fieldPosition(id) else { return nil }
        return try FlatBufferTable(buffer: buffer, position: indirect(at))
    }

    func string(_ id: Int) throws(TFLiteFormatError) -> String? {
        guard let bytes = try byteRange(id) else { return nil }
        return String(decoding: buffer.bytes[bytes], as: UTF8.self)
    }

    /// The byte range of a `[ubyte]` vector or string field.
    func byteRange(_ id: Int) throws(TFLiteFormatError) -> Range<Int>? {
        guard let at = try fieldPosition(id) else { return nil }
        let start = try indirect(at)
        let count = Int(try buffer.load(UInt32.self, at: start))
        guard start + 4 + count <= buffer.bytes.count else {
            throw TFLiteFormatError("vector of \(count) bytes at \(start) runs past the end of the file")
        }
        return (start + 4)..<(start + 4 + count)
    }

    func vector<T: FixedWidthInteger>(_ id: Int, of type: T.Type) throws(TFLiteFormatError) -> [T]? {
        guard let at = try fieldPosition(id) else { return nil }
        let start = try indirect(at)
        let count = Int(try buffer.load(UInt32.self, at: start))
        var values: [T] = []
        values.reserveCapacity(count)
        for index in 0..<count {
            values.append(try buffer.load(T.self, at: start + 4 + index * MemoryLayout<T>.size))
        }
        return values
    }

    func tables(_ id: Int) throws(TFLiteFormatError) -> [FlatBufferTable] {
        guard let at = try fieldPosition(id) else { return [] }
        let start = try indirect(at)
        let count = Int(try buffer.load(UInt32.self, at: start))
        var result: [FlatBufferTable] = []
        result.reserveCapacity(count)
        for index in 0..<count {
            let element = start + 4 + 4 * index
            result.append(try FlatBufferTable(buffer: buffer, position: indirect(element)))
        }
        return result
    }
}

/// The file is not a well-formed .tflite flatbuffer.
public struct TFLiteFormatError: Error, CustomStringConvertible, Sendable {
    public let description: String
    init(_ description: String) { self.description = description }
}
