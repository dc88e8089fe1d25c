import Foundation

/// The names a request's `Host` may give: the defence against DNS rebinding, where a foreign
/// name made to resolve to this machine would let a foreign page read the API as its own origin.
///
/// As webpack-dev-server, Vite and Jupyter decide it: loopback names (`localhost`, `*.localhost`)
/// always pass, since a page cannot make a browser send them unless it was loaded from them;
/// addresses pass as the binding allows, since rebinding needs a name; any other name only when
/// it was given (`--public-name`, or a name of the TLS certificate), or it is this machine's own
/// name and the server listens beyond loopback.
public struct AllowedHosts: Sendable {
    enum Binding: Sendable, Equatable {
        /// A loopback address: only loopback addresses can reach it.
        case loopback
        /// Every address of the machine (`0.0.0.0`, `::`): any address may be the one used.
        case everyAddress
        /// One address; nothing else reaches it.
        case address(String)
        /// A name, resolved when the server started: only names.
        case name
    }

    let binding: Binding
    let names: Set<String>

    /// - Parameters:
    ///   - bind: the `--host` the server listens on.
    ///   - publicNames: names the server is reached under (`--public-name`, the certificate's names).
    ///   - machineNames: this machine's own names; they count unless bound to loopback.
    public init(bind: String, publicNames: [String], machineNames: [String] = AllowedHosts.machineNames()) {
        var names = Set(publicNames.compactMap { Authority($0)?.host })
        let trimmed = bind.trimmingCharacters(in: .whitespaces).lowercased()
        let bare = trimmed.hasPrefix("[") && trimmed.hasSuffix("]") ? String(trimmed.dropFirst().dropLast()) : trimmed
        if ListenAddress.isLoopback(bind) {
            binding = .loopback
        } else if ["", "0.0.0.0", "::", "0:0:0:0:0:0:0:0"].contains(bare) {
            binding = .everyAddress
        } else if ListenAddress.addressBytes(bare) != nil {
            binding = .address(bare)
        } else {
            binding = .name
            names.insert(bare)
        }
        if binding != .loopback { names.formUnion(machineNames.compactMap { Authority($0)?.host }) }
        self.names = names
    }

    /// Whether a request whose `Host` is `authority` is for this server.
    func admits(_ authority: Authority) -> Bool {
        if authority.isLoopbackName { return true }
        if authority.isAddress {
            switch binding {
            case .loopback: return ListenAddress.isLoopback(authority.host)
            case .everyAddress: return true
            case .address(let bound): return authority.isSameAddress(as: bound)
            case .name: return false
            }
        }
        return names.contains(authority.host)
    }

    /// The host name and, when it has no domain, its mDNS name (`laptop.local`), as tablets on
    /// the same network reach it.
    public static func machineNames() -> [String] {
        var buffer = [CChar](repeating: 0, count: 256)
        guard gethostname(&buffer, buffer.count) == 0 else { return [] }
        let name = String(decoding: buffer.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }, as: UTF8.self).lowercased()
        guard !name.isEmpty else { return [] }
        return name.contains(".") ? [name] : [name, name + ".local"]
    }
}
