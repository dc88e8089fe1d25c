/// Offsets of the runtime tensors inside one arena, chosen at load from tensor lifetimes so that
/// tensors that are never alive at the same time share memory. Greedy by size: the largest
/// tensors are placed first, each at the lowest offset that overlaps no placed tensor whose
/// lifetime intersects its own.
struct ArenaPlan {
    struct Request {
        var tensor: Int
        /// Floats needed.
        var size: Int
        /// First and last step (inclusive) at which the tensor is written or read.
        var firstUse: Int
        var lastUse: Int
    }

    /// Offset in floats per tensor.
    private(set) var offsets: [Int: Int] = [:]
    /// Total floats, including the slack after the last tensor.
    private(set) var size = 0

    /// Every allocation is a multiple of this many floats (64 bytes), which keeps tensors aligned.
    static let granularity = 16
    /// Floats after the arena's end that vector loads may read past a tensor's last element.
    static let slack = 128

    init(_ requests: [Request]) {
        var placed: [(request: Request, offset: Int, size: Int)] = []
        let ordered = requests.sorted { ($0.size, -$0.tensor) > ($1.size, -$1.tensor) }
        for request in ordered {
            let size = (request.size + Self.granularity - 1) / Self.granularity * Self.granularity
            let conflicts = placed
                .filter { $0.request.firstUse <= request.lastUse && request.firstUse <= $0.request.lastUse }
                .sorted { $0.offset < $1.offset }
            var offset = 0
            for other in conflicts {
                if offset + size <= other.offset { break }
                offset = max(offset, other.offset + other.size)
            }
            placed.append((request, offset, size))
            offsets[request.tensor] = offset
            self.size = max(self.size, offset + size)
        }
        self.size += Self.slack
    }
}
