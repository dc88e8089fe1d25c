import Foundation

/// A WebSocket upgrade request written by hand on a TCP socket, for what a client library hides:
/// the status of a refused upgrade and the subprotocol the server selected.
enum RawHandshake {
    struct Answer: CustomStringConvertible {
        var status: Int
        /// Lower-cased names.
        var headers: [String: String]
        var description: String { "\(status) \(headers)" }
    }

    struct Failed: Error, CustomStringConvertible {
        var description: String
    }

    /// Sends `GET path` with the upgrade headers and `headers` (a `Host` of 127.0.0.1:`port` unless
    /// they give one) to 127.0.0.1:`port`; returns the answer's status line and headers (blocking,
    /// as long as the answer takes).
    static func upgrade(port: Int, path: String, headers: [String: String] = [:]) throws -> Answer {
        let connection = try RawConnection(port: port)
        var lines = ["GET \(path) HTTP/1.1", "Upgrade: websocket", "Connection: Upgrade",
                     "Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==", "Sec-WebSocket-Version: 13"]
        // A test may send its own Host.
        if headers["Host"] == nil { lines.insert("Host: 127.0.0.1:\(port)", at: 1) }
        lines += headers.map { "\($0.key): \($0.value)" }
        try connection.send(lines.joined(separator: "\r\n") + "\r\n\r\n")
        let received = try connection.read(until: "\r\n\r\n")
        let head = received.components(separatedBy: "\r\n\r\n")[0]
        let headLines = head.components(separatedBy: "\r\n")
        let statusParts = headLines.first?.split(separator: " ") ?? []
        guard statusParts.count >= 2, let status = Int(statusParts[1]) else {
            throw Failed(description: "no HTTP answer: \(head.debugDescription)")
        }
        var fields: [String: String] = [:]
        for line in headLines.dropFirst() {
            guard let colon = line.firstIndex(of: ":") else { continue }
            fields[line[..<colon].lowercased()] = line[line.index(after: colon)...].trimmingCharacters(in: .whitespaces)
        }
        return Answer(status: status, headers: fields)
    }
}
