import Foundation
import HTTPTypes

/// Where a request carries its token.
///
/// `Authorization: Bearer TOKEN` for everything. Browsers cannot set headers on a WebSocket, so a
/// WebSocket upgrade may instead offer the subprotocols `snaprate` and `bearer.TOKEN`
/// (`new WebSocket(url, ["snaprate", "bearer." + token])`); the server answers with `snaprate`
/// only, never echoing the token. Never the query string: query strings end up in access logs,
/// proxies' logs and browser history.
enum BearerCredential {
    /// The subprotocol the server selects when a client offers it.
    static let webSocketProtocol = "snaprate"
    static let webSocketTokenPrefix = "bearer."

    /// The token the request presents, if any (the Authorization header first).
    static func token(in headers: HTTPFields) -> String? {
        if let authorization = headers[.authorization] {
            let parts = authorization.split(separator: " ", maxSplits: 1)
            if parts.count == 2, parts[0].lowercased() == "bearer" {
                return parts[1].trimmingCharacters(in: .whitespaces)
            }
        }
        for offered in offeredProtocols(headers) where offered.hasPrefix(webSocketTokenPrefix) {
            return String(offered.dropFirst(webSocketTokenPrefix.count))
        }
        return nil
    }

    /// The headers that accept a WebSocket upgrade: `Sec-WebSocket-Protocol: snaprate` when the
    /// client offered it (a browser that offered subprotocols fails a handshake that selects none).
    static func upgradeHeaders(for headers: HTTPFields) -> HTTPFields {
        offeredProtocols(headers).contains(webSocketProtocol) ? [.secWebSocketProtocol: webSocketProtocol] : [:]
    }

    private static func offeredProtocols(_ headers: HTTPFields) -> [String] {
        headers[values: .secWebSocketProtocol].flatMap { value in
            value.split(separator: ",").map { $0.trimmingCharacters(in: .whitespaces) }
        }
    }
}
