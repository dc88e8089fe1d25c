import Foundation
import TestSupport
#if canImport(Glibc)
import Glibc
#endif

/// A plain TCP connection to 127.0.0.1, for what no HTTP client does on purpose: connect and
/// send nothing, or only part of a request head, the way a browser's spare socket or a slow
/// client does.
final class RawConnection: Sendable {
    private let fd: Int32

    struct Failed: Error, CustomStringConvertible {
        var description: String
    }

    init(port: Int) throws {
        // Close-on-exec: a daemon or browser another test starts meanwhile must not inherit it (and
        // hold the connection open after this test has closed it).
        fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue) | Int32(SOCK_CLOEXEC.rawValue), 0)
        guard fd >= 0 else { throw Failed(description: "socket: \(errno)") }
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_port = in_port_t(UInt16(port).bigEndian)
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        let connected = withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { connect(fd, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) }
        }
        guard connected == 0 else {
            close(fd)
            throw Failed(description: "connect: \(errno)")
        }
    }

    func send(_ text: String) throws {
        let bytes = Array(text.utf8)
        guard Glibc.send(fd, bytes, bytes.count, Int32(MSG_NOSIGNAL)) == bytes.count else {
            throw Failed(description: "send: \(errno)")
        }
    }

    /// Reads until the server closes the connection (blocking, as long as it takes); what was
    /// read, and whether the server closed (false: the read failed otherwise).
    func readUntilClosed() throws -> (text: String, closed: Bool) {
        try read(until: nil)
    }

    /// Reads until what arrived contains `marker` or the server closes (blocking, as long as it
    /// takes); what was read.
    func read(until marker: String) throws -> String {
        try read(until: Optional(marker)).text
    }

    private func read(until marker: String?) throws -> (text: String, closed: Bool) {
        var received: [UInt8] = []
        var buffer = [UInt8](repeating: 0, count: 4096)
        while true {
            let count = try receiveWithoutDeadline(fd, into: &buffer, count: buffer.count,
                                                   waitingFor: "\(marker.map { "\"\($0)\"" } ?? "the server's close") after \(received.count) bytes")
            if count > 0 {
                received += buffer[0..<count]
                if let marker, String(decoding: received, as: UTF8.self).contains(marker) {
                    return (String(decoding: received, as: UTF8.self), false)
                }
                continue
            }
            // 0: the server closed; -1 with ECONNRESET counts as closed too.
            let closed = count == 0 || errno == ECONNRESET
            return (String(decoding: received, as: UTF8.self), closed)
        }
    }

    deinit {
        close(fd)
    }
}
