import Foundation
import NIOCore
import NIOHTTP1
import NIOPosix

/// HTTP/1.1 GETs over plain TCP, one connection each, on SwiftNIO.
///
/// The load test's only HTTP client. URLSession would do, but on Linux it is FoundationNetworking
/// over libcurl, and linking it loads libcurl and its TLS, HTTP/2 and LDAP libraries into every
/// `snaprate` process, `serve` included: about 10 MB of resident pages the daemon never uses.
struct PlainHTTPClient: Sendable {
    struct Response: Sendable {
        var status: Int
        var body: Data
    }

    struct Failure: Error, CustomStringConvertible {
        var description: String
    }

    /// `headers` go with the request beside Host and `Connection: close`.
    static func get(_ address: String, headers: [(String, String)] = []) async throws -> Response {
        guard let url = URL(string: address), url.scheme == "http", let host = url.host else {
            throw Failure(description: "\(address): the load test speaks plain http:// only")
        }
        let port = url.port ?? 80
        let target = url.query.map { "\(url.path)?\($0)" } ?? (url.path.isEmpty ? "/" : url.path)
        let channel = try await ClientBootstrap(group: MultiThreadedEventLoopGroup.singleton)
            .connect(host: host, port: port) { channel in
                channel.eventLoop.makeCompletedFuture {
                    try channel.pipeline.syncOperations.addHTTPClientHandlers()
                    return try NIOAsyncChannel<HTTPClientResponsePart, HTTPClientRequestPart>(wrappingChannelSynchronously: channel)
                }
            }
        return try await channel.executeThenClose { inbound, outbound in
            var head = HTTPRequestHead(version: .http1_1, method: .GET, uri: target)
            head.headers.add(name: "Host", value: url.port.map { "\(host):\($0)" } ?? host)
            head.headers.add(name: "Connection", value: "close")
            for (name, value) in headers { head.headers.add(name: name, value: value) }
            // One write: the server may answer (and close, as asked) on the head alone, and a
            // second write would then meet a closed channel.
            try await outbound.write(contentsOf: [.head(head), .end(nil)])
            var status = 0
            var body = ByteBuffer()
            for try await part in inbound {
                switch part {
                case .head(let response): status = Int(response.status.code)
                case .body(var chunk): body.writeBuffer(&chunk)
                case .end: return Response(status: status, body: Data(body.readableBytesView))
                }
            }
            throw Failure(description: "GET \(address): the connection closed before the response ended")
        }
    }
}
