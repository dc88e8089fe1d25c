import Foundation

/// Whether a `--host` only takes connections from this machine.
public enum ListenAddress {
    /// True for `localhost`, 127.0.0.0/8 and ::1 (with or without brackets). Any other name counts
    /// as reachable from elsewhere: what a name resolves to can change after the check.
    public static func isLoopback(_ host: String) -> Bool {
        var text = host.trimmingCharacters(in: .whitespaces).lowercased()
        if text.hasPrefix("["), text.hasSuffix("]") { text = String(text.dropFirst().dropLast()) }
        if text == "localhost" { return true }
        var v4 = in_addr()
        if inet_pton(AF_INET, text, &v4) == 1 {
            return UInt32(bigEndian: v4.s_addr) >> 24 == 127
        }
        var v6 = in6_addr()
        if inet_pton(AF_INET6, text, &v6) == 1 {
            return withUnsafeBytes(of: &v6) { bytes in bytes.dropLast().allSatisfy { $0 == 0 } && bytes.last == 1 }
        }
        return false
    }
}
