/// The pages that may open a WebSocket here: the server's own (the scheme, host and port it is
/// reached under) and those listed with `--allow-origin`. A WebSocket is not held to the
/// same-origin policy, so without this any page the kiosk's browser opens could stream into the
/// analytics or follow every rating.
public struct AllowedOrigins: Sendable {
    let listed: Set<Origin>

    struct Origin: Hashable, Sendable {
        let scheme: String
        let host: String
        let port: Int

        /// `scheme://host[:port]`, nothing after it; nil for anything else (`null` included).
        init?(_ text: some StringProtocol) {
            let lowered = text.lowercased()
            guard let separator = lowered.range(of: "://") else { return nil }
            let scheme = String(lowered[..<separator.lowerBound])
            guard let defaultPort = Self.defaultPorts[scheme], let authority = Authority(lowered[separator.upperBound...])
            else { return nil }
            self.init(scheme: scheme, authority: authority, defaultPort: defaultPort)
        }

        init(scheme: String, authority: Authority, defaultPort: Int) {
            self.scheme = scheme
            self.host = authority.host
            self.port = authority.port ?? defaultPort
        }

        static let defaultPorts = ["http": 80, "https": 443]
    }

    /// Only the server's own.
    public init() {
        listed = []
    }

    /// - Parameter listed: `--allow-origin` values, each `http(s)://host[:port]`.
    /// - Throws: `AllowedOriginsError` naming the first value that is not an origin.
    public init(listed: [String]) throws {
        self.listed = Set(try listed.map { text in
            guard let origin = Origin(text) else {
                throw AllowedOriginsError(description: "--allow-origin \(text.debugDescription) is not an origin "
                    + "(write it as a browser sends it: http://host:port or https://host)")
            }
            return origin
        })
    }

    /// Whether a page of `origin` may open a WebSocket on a request whose `Host` is `host`, to a
    /// server that speaks `scheme`.
    func admits(origin text: String, host: Authority, scheme: String) -> Bool {
        // Some WebSocket client libraries (swift-websocket's among them) send the socket's own URL
        // as `Origin`. No browser page has a ws: or wss: origin, so such a client is no browser
        // and is judged, like one that sends none, by its token alone.
        let lowered = text.lowercased()
        if lowered.hasPrefix("ws://") || lowered.hasPrefix("wss://") { return true }
        guard let origin = Origin(text) else { return false }
        if listed.contains(origin) { return true }
        let own = Origin(scheme: scheme, authority: host, defaultPort: Origin.defaultPorts[scheme] ?? 80)
        return origin == own
    }
}

/// An `--allow-origin` value that is not an origin.
public struct AllowedOriginsError: Error, CustomStringConvertible {
    public let description: String
}
