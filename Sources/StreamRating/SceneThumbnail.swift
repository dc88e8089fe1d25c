import HandEngine
import MediaIngest

/// A picture's luma boiled down to the mean of each cell of a coarse grid: enough to tell that
/// something moved, appeared or left, for a few tens of microseconds instead of a hand search.
///
/// The grid is 40 cells across whatever the picture's size (16 pixels at 640 across), cells as tall
/// as they are wide; four rows of each cell are read, whole. A hand two or three metres from a
/// webcam still covers a few cells.
public struct SceneThumbnail: Sendable, Equatable {
    public let columns: Int
    public let rows: Int
    /// Each cell's mean luma, row by row.
    public let means: [UInt8]

    /// From a decoded picture's own luma plane, read in place.
    public init(luma: LumaPlane) {
        let (side, rowStep, columns, rows) = Self.grid(width: luma.width, height: luma.height)
        self.columns = columns
        self.rows = rows
        let samples = (side / rowStep) * side
        var means = [UInt8](repeating: 0, count: columns * rows)
        if side % 16 == 0 {
            // Whole 16-byte chunks: one vector add a chunk, summed up once a row of cells.
            let chunksPerCell = side / 16
            var sums = [SIMD16<UInt16>](repeating: .zero, count: columns * chunksPerCell)
            sums.withUnsafeMutableBufferPointer { sums in
                for row in 0..<rows {
                    sums.update(repeating: .zero)
                    for y in stride(from: row * side, to: (row + 1) * side, by: rowStep) {
                        let line = UnsafeRawPointer(luma.base + y * luma.rowBytes)
                        // A lane adds one byte a sampled row: it cannot overflow below 257 of them.
                        for chunk in 0..<sums.count {
                            sums[chunk] &+= SIMD16<UInt16>(truncatingIfNeeded: line.loadUnaligned(fromByteOffset: chunk * 16,
                                                                                                   as: SIMD16<UInt8>.self))
                        }
                    }
                    for column in 0..<columns {
                        var total = 0
                        for chunk in 0..<chunksPerCell {
                            total += Int(sums[column * chunksPerCell + chunk].wrappedSum())
                        }
                        means[row * columns + column] = UInt8(total / samples)
                    }
                }
            }
        } else {
            // Small pictures, small cells: few pixels, a plain loop.
            var sums = [Int](repeating: 0, count: columns)
            for row in 0..<rows {
                for index in sums.indices { sums[index] = 0 }
                for y in stride(from: row * side, to: (row + 1) * side, by: rowStep) {
                    let line = luma.base + y * luma.rowBytes
                    for column in 0..<columns {
                        var total = 0
                        for x in (column * side)..<((column + 1) * side) { total += Int(line[x]) }
                        sums[column] += total
                    }
                }
                for column in 0..<columns { means[row * columns + column] = UInt8(sums[column] / samples) }
            }
        }
        self.means = means
    }

    /// From an RGB picture (one changed before detection, as `eval --robustness` does), with the
    /// luma weights of BT.601, cell for cell as `init(luma:)` does.
    public init(picture: RGBImage) {
        let (side, rowStep, columns, rows) = Self.grid(width: picture.width, height: picture.height)
        self.columns = columns
        self.rows = rows
        let samples = (side / rowStep) * side
        var means = [UInt8](repeating: 0, count: columns * rows)
        picture.pixels.withUnsafeBufferPointer { pixels in
            for row in 0..<rows {
                for column in 0..<columns {
                    var total = 0
                    for y in stride(from: row * side, to: (row + 1) * side, by: rowStep) {
                        var at = (y * picture.width + column * side) * 3
                        for _ in 0..<side {
                            total += (77 * Int(pixels[at]) + 150 * Int(pixels[at + 1]) + 29 * Int(pixels[at + 2])) >> 8
                            at += 3
                        }
                    }
                    means[row * columns + column] = UInt8(total / samples)
                }
            }
        }
        self.means = means
    }

    /// How many cells differ from `earlier`'s by more than `threshold` levels, once the change
    /// the whole picture shares (exposure, a light dimmed) is taken out: the median difference.
    /// Every cell counts as changed when the grids differ (a new picture size).
    public func changedCells(since earlier: SceneThumbnail, threshold: Int) -> Int {
        guard earlier.columns == columns, earlier.rows == rows else { return means.count }
        // The median of the differences, from their histogram (-255...255).
        var histogram = [Int](repeating: 0, count: 511)
        for index in means.indices {
            histogram[Int(means[index]) - Int(earlier.means[index]) + 255] += 1
        }
        var seen = 0, median = 0
        for (bin, count) in histogram.enumerated() {
            seen += count
            if 2 * seen >= means.count {
                median = bin - 255
                break
            }
        }
        var changed = 0
        for index in means.indices where abs(Int(means[index]) - Int(earlier.means[index]) - median) > threshold {
            changed += 1
        }
        return changed
    }

    /// The grid for a picture: cells a fortieth of the width, in steps of 4 pixels (16 at 640
    /// across, 4 at 160), at least 4, so a hand two or three metres away covers a few cells in a
    /// small picture as in a large one; four rows of each cell read (one in `rowStep`), as noise
    /// averages out over the cell's pixels all the same.
    static func grid(width: Int, height: Int) -> (side: Int, rowStep: Int, columns: Int, rows: Int) {
        let side = max(4, width / 40 / 4 * 4)
        return (side, max(1, side / 4), width / side, height / side)
    }
}
