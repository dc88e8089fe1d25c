import Foundation

/// A TCP socket bound to a free loopback port, listening when `backlog` is given: its descriptor
/// (the caller closes it) and the port.
public enum LoopbackSocket {
    public static func bind(listening backlog: Int32? = nil) throws -> (descriptor: Int32, port: Int) {
        let socket = socket(AF_INET, Int32(SOCK_STREAM.rawValue) | Int32(SOCK_CLOEXEC.rawValue), 0)
        guard socket >= 0 else { throw MissingTestData(description: "no socket on loopback: errno \(errno)") }
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        address.sin_port = 0
        var length = socklen_t(MemoryLayout<sockaddr_in>.size)
        let bound = withUnsafeMutablePointer(to: &address) { pointer in
            pointer.withMemoryRebound(to: sockaddr.self, capacity: 1) { address in
                Glibc.bind(socket, address, length) == 0 && backlog.map { listen(socket, $0) == 0 } ?? true
                    && getsockname(socket, address, &length) == 0
            }
        }
        guard bound else {
            close(socket)
            throw MissingTestData(description: "cannot bind a loopback port: errno \(errno)")
        }
        return (socket, Int(UInt16(bigEndian: address.sin_port)))
    }
}
