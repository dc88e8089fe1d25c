import Foundation
import NIOCore
import NIOHTTP1
import NIOPosix
import NIOSSL

/// HTTP/1.1 GETs over TCP (and TLS for https://), one connection each, on SwiftNIO.
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

    /// `headers` go with the request beside Host and `Connection: close`; `tls` is used for https://.
    static func get(_ address: String, headers: [(String, String)] = [], tls: TLSConfiguration) async throws -> Response {
        guard let url = URL(string: address), url.scheme == "http" || url.scheme == "https", let host = url.host else {
            throw Failure(description: "\(address): the load test speaks http:// and https://")
        }
        let secure = url.scheme == "https"
        let port = url.port ?? (secure ? 443 : 80)
        let target = url.query.map { "\(url.path)?\($0)" } ?? (url.path.isEmpty ? "/" : url.path)
        let context = secure ? try NIOSSLContext(configuration: tls) : nil
        // Server Name Indication takes names only.
        let serverName = host.contains(":") || host.allSatisfy({ $0.isNumber || $0 == "." }) ? nil : host
        let channel = try await ClientBootstrap(group: MultiThreadedEventLoopGroup.singleton)
            .connect(host: host, port: port) { channel in
                channel.eventLoop.makeCompletedFuture {
                    if let context {
                        try channel.pipeline.syncOperations.addHandler(try NIOSSLClientHandler(context: context, serverHostname: serverName))
                    }
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
