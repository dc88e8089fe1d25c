/// Zero-initialised float storage aligned for vector loads, owned by whoever holds the object
/// (packed weights, arenas, scratch). Freed on deinit; never resized.
final class AlignedBuffer {
    let pointer: UnsafeMutablePointer<Float>
    let count: Int

    init(count: Int) {
        self.count = count
        // 64-byte alignment: a cache line, and a full zmm register.
        let raw = UnsafeMutableRawPointer.allocate(byteCount: max(count, 1) * 4, alignment: 64)
        pointer = raw.bindMemory(to: Float.self, capacity: max(count, 1))
        pointer.initialize(repeating: 0, count: max(count, 1))
    }

    convenience init(copying values: [Float], paddedTo count: Int? = nil) {
        self.init(count: max(count ?? values.count, values.count))
        values.withUnsafeBufferPointer { source in
            if let base = source.baseAddress { pointer.update(from: base, count: values.count) }
        }
    }

    deinit {
        UnsafeMutableRawPointer(pointer).deallocate()
    }
}
