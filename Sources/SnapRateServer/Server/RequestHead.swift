import Foundation
import NIOCore

/// A request head as the client sent it, read from the raw bytes before any HTTP handler sees it:
/// what a connection's first request is checked on (`FirstRequestCheck`) and routed by.
struct RequestHead: Sendable {
    let method: Substring
    /// The request target as sent: path and query.
    let target: Substring
    /// Names lower-cased, values trimmed, in the order sent.
    let fields: [(name: String, value: String)]

    /// Nil when the request line is not `METHOD TARGET VERSION`.
    init?(_ bytes: ByteBuffer) {
        let text = String(buffer: bytes)
        var lines = text.split(omittingEmptySubsequences: false, whereSeparator: \.isNewline).makeIterator()
        guard let requestLine = lines.next() else { return nil }
        let parts = requestLine.split(separator: " ")
        guard parts.count == 3 else { return nil }
        method = parts[0]
        target = parts[1]
        var fields: [(name: String, value: String)] = []
        while let line = lines.next(), !line.isEmpty {
            guard let colon = line.firstIndex(of: ":") else { continue }
            fields.append((line[..<colon].lowercased(), line[line.index(after: colon)...].trimmingCharacters(in: .whitespaces)))
        }
        self.fields = fields
    }

    var path: Substring { target.prefix { $0 != "?" } }

    /// The first value of the field `name` (lower-case).
    func field(_ name: String) -> String? {
        fields.first { $0.name == name }?.value
    }

    /// Whether the request asks for a WebSocket (`Upgrade: websocket`).
    var isWebSocketUpgrade: Bool {
        field("upgrade")?.lowercased().contains("websocket") == true
    }
}
