import Foundation

/// Whether a `--host` only takes connections from this machine.
public enum ListenAddress {
    /// True for `localhost`, 127.0.0.0/8 and ::1 (with or without brackets). Any other name counts
    /// as reachable from elsewhere: what a name resolves to can change after the check.
    public static func isLoopback(_ host: String) -> Bool {
        let text = host.trimmingCharacters(in: .whitespaces).lowercased()
        if text == "localhost" { return true }
        switch addressBytes(text) {
        case let bytes? where bytes.count == 4: return bytes[0] == 127
        case let bytes? where bytes.count == 16: return bytes.dropLast().allSatisfy { $0 == 0 } && bytes.last == 1
        default: return false
        }
    }

    /// The network-order bytes of an IPv4 (4) or IPv6 (16) address, brackets allowed around the
    /// latter; nil for anything else, a name included.
    public static func addressBytes(_ text: String) -> [UInt8]? {
        var bare = text
        if bare.hasPrefix("["), bare.hasSuffix("]") { bare = String(bare.dropFirst().dropLast()) }
        var v4 = in_addr()
        if inet_pton(AF_INET, bare, &v4) == 1 { return withUnsafeBytes(of: &v4) { Array($0) } }
        var v6 = in6_addr()
        if inet_pton(AF_INET6, bare, &v6) == 1 { return withUnsafeBytes(of: &v6) { Array($0) } }
        return nil
    }
}
