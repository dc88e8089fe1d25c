import Foundation

/// A one-line progress bar on standard error, shown only when it is a terminal and there is more
/// than one item: pipes and logs get clean output.
struct Progress {
    let total: Int
    private let enabled: Bool

    init(total: Int) {
        self.total = total
        self.enabled = total > 1 && isatty(STDERR_FILENO) == 1
    }

    func show(index: Int, name: String) {
        guard enabled else { return }
        let width = 24
        let filled = width * index / max(total, 1)
        let bar = String(repeating: "#", count: filled) + String(repeating: ".", count: width - filled)
        let label = name.count > 40 ? "…" + name.suffix(39) : name
        FileHandle.standardError.write(Data("\r\u{1B}[K[\(bar)] \(index + 1)/\(total) \(label)".utf8))
    }

    func clear() {
        guard enabled else { return }
        FileHandle.standardError.write(Data("\r\u{1B}[K".utf8))
    }
}
