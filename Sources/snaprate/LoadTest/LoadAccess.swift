import Foundation
import HTTPTypes
import HummingbirdWSClient
import NIOSSL

/// What a load test presents to the server on every HTTP request and WebSocket upgrade: its bearer
/// token for a server with access control (`--token`), and for an HTTPS server the authorities it
/// trusts (`--ca-file`, else the system's).
struct LoadAccess: Sendable {
    let token: String?
    /// The authority of a server with a local certificate (`snaprate tls init`'s `ca.crt`).
    var authorityFile: String? = nil

    /// `Authorization: Bearer TOKEN`, or no header.
    var headers: HTTPFields {
        guard let token else { return [:] }
        return [.authorization: "Bearer \(token)"]
    }

    /// The same header for `PlainHTTPClient`.
    var httpHeaders: [(String, String)] {
        token.map { [("Authorization", "Bearer \($0)")] } ?? []
    }

    func webSocket(maxFrameSize: Int = 1 << 14) -> WebSocketClientConfiguration {
        WebSocketClientConfiguration(maxFrameSize: maxFrameSize, additionalHeaders: headers)
    }

    /// For https:// and wss:// URLs: certificates verified against `authorityFile` or the system's.
    var tls: TLSConfiguration {
        var configuration = TLSConfiguration.makeClientConfiguration()
        if let authorityFile { configuration.trustRoots = .file(authorityFile) }
        return configuration
    }
}
