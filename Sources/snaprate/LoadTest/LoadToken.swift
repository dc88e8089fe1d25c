import Foundation
import HTTPTypes
import HummingbirdWSClient

/// The bearer token a load test presents to a server with access control (`--token`), on every
/// HTTP request and WebSocket upgrade; nothing when there is none.
struct LoadToken: Sendable {
    let token: String?

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
}
