#if canImport(Glibc)
import Glibc
#endif

/// One arena for interpreters that never run at the same time, such as the palm detector and the
/// landmark network of one model set (a frame runs one, reads its outputs, then the other).
///
/// Each interpreter lays its tensors out from offset 0, so the set needs as much memory as its
/// larger network rather than both: about 4 MB less a set. The space is reserved, not touched;
/// only the pages the networks use become resident, and they come zeroed. Inputs and outputs
/// then last only until another interpreter on the arena runs.
public final class SharedArena: @unchecked Sendable {
    let pointer: UnsafeMutablePointer<Float>
    /// Floats reserved (16 MB): well above the largest hand network's arena, the full landmark
    /// network's 4.9 MB.
    let capacity: Int

    public init() {
        capacity = 4 << 20
        let bytes = capacity * MemoryLayout<Float>.stride
        let reserved = mmap(nil, bytes, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE, -1, 0)
        // MAP_FAILED, (void *)-1, does not import.
        guard let reserved, reserved != UnsafeMutableRawPointer(bitPattern: -1) else {
            fatalError("cannot reserve \(bytes >> 20) MB of address space for a model arena")
        }
        pointer = reserved.bindMemory(to: Float.self, capacity: capacity)
    }

    deinit {
        munmap(pointer, capacity * MemoryLayout<Float>.stride)
    }
}
