import Foundation

/// The host and port of a `Host` header or of an origin's authority, lower-cased, an IPv6
/// address without its brackets and a name without a trailing dot.
struct Authority: Sendable, Equatable {
    let host: String
    let port: Int?

    /// Nil for anything but `host`, `host:port`, `[v6]` or `[v6]:port` (no user, no path).
    init?(_ text: some StringProtocol) {
        var rest = Substring(text.lowercased())
        var host: Substring
        if rest.hasPrefix("[") {
            guard let close = rest.firstIndex(of: "]") else { return nil }
            host = rest[rest.index(after: rest.startIndex)..<close]
            rest = rest[rest.index(after: close)...]
            guard ListenAddress.addressBytes(String(host))?.count == 16 else { return nil }
        } else {
            host = rest.prefix { $0 != ":" }
            rest = rest.dropFirst(host.count)
            if host.hasSuffix(".") { host = host.dropLast() }
            guard !host.isEmpty, host.utf8.allSatisfy(Self.nameBytes.contains) else { return nil }
        }
        if rest.isEmpty {
            port = nil
        } else {
            guard rest.first == ":", let number = Int(rest.dropFirst()), (1...65_535).contains(number),
                  rest.dropFirst().utf8.allSatisfy({ $0 >= 0x30 && $0 <= 0x39 }) else { return nil }
            port = number
        }
        self.host = String(host)
    }

    private static let nameBytes = Set("abcdefghijklmnopqrstuvwxyz0123456789-._".utf8)

    /// An IPv4 address in dotted quads or an IPv6 address: what a browser sends for an address URL.
    var isAddress: Bool { ListenAddress.addressBytes(host) != nil }

    /// `localhost` and the names under it, which browsers resolve to loopback themselves (RFC 6761).
    var isLoopbackName: Bool { host == "localhost" || host.hasSuffix(".localhost") }

    /// The same address, however it is written (`::1` and `0:0:0:0:0:0:0:1`).
    func isSameAddress(as other: String) -> Bool {
        guard let mine = ListenAddress.addressBytes(host), let theirs = ListenAddress.addressBytes(other) else { return false }
        return mine == theirs
    }
}
