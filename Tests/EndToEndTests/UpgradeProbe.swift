import Foundation
import TestSupport

/// A WebSocket upgrade request on a plain TCP socket from a chosen loopback address (a client
/// library cannot pick its source address), and the frames the server sends on it.
enum UpgradeProbe {
    /// The answer, and the connection, open until `close()` (a 101 is a WebSocket from then on).
    final class Answer: CustomStringConvertible, @unchecked Sendable {
        let status: Int
        let text: String
        private let descriptor: Int32
        /// Bytes that came after the answer's head in the same reads: the first frames.
        private var pending: [UInt8]

        init(status: Int, text: String, descriptor: Int32, pending: [UInt8]) {
            self.status = status
            self.text = text
            self.descriptor = descriptor
            self.pending = pending
        }

        var description: String { "\(status): \(text)" }

        func close() {
            Glibc.close(descriptor)
        }

        /// After a 101: the server's next frame, as (opcode, payload text); a close frame's payload
        /// starts with its two-byte code.
        func nextFrame() throws -> (opcode: UInt8, payload: [UInt8]) {
            let head = try read(2)
            var length = Int(head[1] & 0x7F)
            if length == 126 {
                length = try read(2).reduce(0) { $0 << 8 | Int($1) }
            } else if length == 127 {
                length = try read(8).reduce(0) { $0 << 8 | Int($1) }
            }
            return (head[0] & 0x0F, try read(length))
        }

        /// Sends one frame with a payload under 64 KB, masked as a client's must be.
        func sendFrame(opcode: UInt8, payload: [UInt8]) throws {
            precondition(payload.count < 1 << 16)
            let mask: [UInt8] = [0x37, 0xFA, 0x21, 0x3D]
            let length: [UInt8] = payload.count < 126
                ? [0x80 | UInt8(payload.count)] : [0x80 | 126, UInt8(payload.count >> 8), UInt8(payload.count & 0xFF)]
            let frame = [0x80 | opcode] + length + mask + payload.enumerated().map { $0.element ^ mask[$0.offset % 4] }
            guard send(descriptor, frame, frame.count, Int32(MSG_NOSIGNAL)) == frame.count else {
                throw ProbeError("send: \(errno)")
            }
        }

        /// Nil once the server has closed the connection with nothing more to read (waiting as long
        /// as it takes); otherwise what happened instead.
        func awaitServerClose() throws -> String? {
            guard pending.isEmpty else { return "\(pending.count) more bytes" }
            var byte: [UInt8] = [0]
            let got = try receiveWithoutDeadline(descriptor, into: &byte, count: 1, waitingFor: "the server to close the connection")
            return got == 0 ? nil : got > 0 ? "more bytes" : "recv: errno \(errno)"
        }

        private func read(_ count: Int) throws -> [UInt8] {
            var bytes = Array(pending.prefix(count))
            pending.removeFirst(bytes.count)
            var buffer = [UInt8](repeating: 0, count: max(1, count))
            while bytes.count < count {
                let got = try receiveWithoutDeadline(descriptor, into: &buffer, count: count - bytes.count,
                                                     waitingFor: "a frame's \(count - bytes.count) more bytes")
                guard got > 0 else { throw ProbeError("the connection ended after \(bytes.count) of \(count) bytes") }
                bytes += buffer[..<got]
            }
            return bytes
        }
    }

    /// Runs `body`, which blocks on sockets, on a thread of its own (`TestSupport.offPool`).
    static func offPool<T: Sendable>(_ body: @escaping @Sendable () throws -> T) async throws -> T {
        try await TestSupport.offPool(body)
    }

    /// Sends `GET path` as an upgrade to 127.0.0.1:`port` from `source` (any 127.x address:
    /// Linux routes the whole loopback range) and reads the answer's status and text, leaving the
    /// connection open. Waits for the answer as long as it takes.
    static func open(port: Int, path: String, from source: String = "127.0.0.1") throws -> Answer {
        // Close-on-exec, as `RawConnection`.
        let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue) | Int32(SOCK_CLOEXEC.rawValue), 0)
        guard fd >= 0 else { throw ProbeError("socket: \(errno)") }
        var kept = false
        defer { if !kept { close(fd) } }
        var local = address(source, port: 0)
        var remote = address("127.0.0.1", port: port)
        let bound = withUnsafePointer(to: &local) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { bind(fd, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) }
        }
        guard bound == 0 else { throw ProbeError("bind \(source): \(errno)") }
        let connected = withUnsafePointer(to: &remote) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { connect(fd, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) }
        }
        guard connected == 0 else { throw ProbeError("connect: \(errno)") }
        let request = "GET \(path) HTTP/1.1\r\nHost: 127.0.0.1:\(port)\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n"
            + "Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\nSec-WebSocket-Version: 13\r\n\r\n"
        _ = request.withCString { send(fd, $0, strlen($0), Int32(MSG_NOSIGNAL)) }
        // Enough to see the status and a short body; a 101 sends no body, so stop at the headers.
        var received = [UInt8]()
        var buffer = [UInt8](repeating: 0, count: 4096)
        while received.count < 16_384 {
            let count = try receiveWithoutDeadline(fd, into: &buffer, count: buffer.count,
                                                   waitingFor: "the answer to GET \(path) after \(received.count) bytes")
            if count <= 0 { break }
            received += buffer[..<count]
            let text = String(decoding: received, as: UTF8.self)
            if text.hasPrefix("HTTP/1.1 101"), text.contains("\r\n\r\n") { break }
            if let headerEnd = text.range(of: "\r\n\r\n"), let length = contentLength(text[..<headerEnd.lowerBound]),
               text[headerEnd.upperBound...].utf8.count >= length { break }
        }
        // A 101's first frames may come in the same read as its head.
        let headEnd = received.indices.first { received[$0...].starts(with: Array("\r\n\r\n".utf8)) }.map { $0 + 4 }
        let isUpgrade = received.starts(with: Array("HTTP/1.1 101".utf8))
        let text = String(decoding: isUpgrade ? received[..<(headEnd ?? received.count)] : received[...], as: UTF8.self)
        guard let status = text.split(separator: " ").dropFirst().first.flatMap({ Int($0) }) else {
            throw ProbeError("no HTTP answer: \(text.debugDescription)")
        }
        kept = true
        return Answer(status: status, text: text, descriptor: fd,
                      pending: isUpgrade ? Array(received[(headEnd ?? received.count)...]) : [])
    }

    private static func contentLength(_ headers: Substring) -> Int? {
        headers.split(separator: "\r\n").first { $0.lowercased().hasPrefix("content-length:") }
            .flatMap { Int($0.split(separator: ":")[1].trimmingCharacters(in: .whitespaces)) }
    }

    private static func address(_ host: String, port: Int) -> sockaddr_in {
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_port = in_port_t(UInt16(port).bigEndian)
        inet_pton(AF_INET, host, &address.sin_addr)
        return address
    }

    struct ProbeError: Error, CustomStringConvertible {
        let description: String
        init(_ description: String) { self.description = description }
    }
}
