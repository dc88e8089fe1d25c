/// Unaligned SIMD loads and stores on float pointers: NHWC rows are not 64-byte aligned in general.
extension UnsafePointer where Pointee == Float {
    @inline(__always)
    func load16(_ offset: Int = 0) -> SIMD16<Float> {
        UnsafeRawPointer(self + offset).loadUnaligned(as: SIMD16<Float>.self)
    }

    @inline(__always)
    func load8(_ offset: Int = 0) -> SIMD8<Float> {
        UnsafeRawPointer(self + offset).loadUnaligned(as: SIMD8<Float>.self)
    }
}

extension UnsafeMutablePointer where Pointee == Float {
    @inline(__always)
    func load16(_ offset: Int = 0) -> SIMD16<Float> {
        UnsafeRawPointer(self + offset).loadUnaligned(as: SIMD16<Float>.self)
    }

    @inline(__always)
    func load8(_ offset: Int = 0) -> SIMD8<Float> {
        UnsafeRawPointer(self + offset).loadUnaligned(as: SIMD8<Float>.self)
    }

    @inline(__always)
    func store16(_ value: SIMD16<Float>, _ offset: Int = 0) {
        UnsafeMutableRawPointer(self + offset).storeBytes(of: value, as: SIMD16<Float>.self)
    }

    @inline(__always)
    func store8(_ value: SIMD8<Float>, _ offset: Int = 0) {
        UnsafeMutableRawPointer(self + offset).storeBytes(of: value, as: SIMD8<Float>.self)
    }
}
