import Foundation
#if canImport(FoundationNetworking)
import FoundationNetworking
#endif
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

    func request(_ url: URL) -> URLRequest {
        var request = URLRequest(url: url)
        if let token { request.setValue("Bearer \(token)", forHTTPHeaderField: "Authorization") }
        return request
    }

    func webSocket(maxFrameSize: Int = 1 << 14) -> WebSocketClientConfiguration {
        WebSocketClientConfiguration(maxFrameSize: maxFrameSize, additionalHeaders: headers)
    }
}
