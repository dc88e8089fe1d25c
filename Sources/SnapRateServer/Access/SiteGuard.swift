import HTTPTypes
import Hummingbird
import Logging

/// Checks that a request is meant for this server (its `Host`) and, for a WebSocket, comes from a
/// page allowed to open one here (its `Origin`); on by default, tokens or not. A client that sends
/// no `Origin` (or a ws: one) is not a browser and is judged by its token alone.
///
/// Refusals are counted (`snaprate_access_refused_total{reason="host"|"origin"}`) and logged at
/// debug level, like the token's.
struct SiteGuard: Sendable {
    let hosts: AllowedHosts
    let origins: AllowedOrigins
    /// Whose certificate names count as this server's too, as they are now (they follow a reload).
    let tls: TLSCredentials?
    let metrics: ServerMetrics
    let logger: Logger

    var scheme: String { tls == nil ? "http" : "https" }

    /// Passes a request meant for this server; otherwise throws the error to answer with: 400
    /// without a usable `Host`, 421 for a foreign one, 403 for a WebSocket from a foreign page.
    func check(host: String?, origin: String?, webSocket: Bool, path: some StringProtocol) throws {
        guard let host, let authority = Authority(host) else {
            throw refuse(path, "host", HTTPError(.badRequest, message: "the request has no valid Host header"))
        }
        guard hosts.admits(authority) || (!authority.isAddress && tls?.names.contains(authority.host) == true) else {
            throw refuse(path, "host", HTTPError(.misdirectedRequest, message: "\(Self.shown(authority.host)) is not a name "
                + "of this server (serve --public-name adds one)"))
        }
        if webSocket, let origin, !origins.admits(origin: origin, host: authority, scheme: scheme) {
            throw refuse(path, "origin", HTTPError(.forbidden, message: "a page from \(Self.shown(origin)) may not open a "
                + "WebSocket here (serve --allow-origin allows one)"))
        }
    }

    /// A client's text in a message: a bounded length, no control characters.
    private static func shown(_ text: String) -> String {
        let cleaned = String(text.unicodeScalars.filter { $0.value >= 0x20 && $0.value < 0x7F }.prefix(100).map(Character.init))
        return cleaned.debugDescription
    }

    private func refuse(_ path: some StringProtocol, _ reason: String, _ error: HTTPError) -> HTTPError {
        metrics.accessRefused(reason: reason).increment()
        logger.debug("request refused", metadata: ["path": "\(path)", "reason": "\(reason)", "error": "\(error.body ?? "")"])
        return error
    }
}

/// `SiteGuard` for every request Hummingbird serves: a connection's first request was checked
/// before Hummingbird saw it (`FirstRequestCheck`), the ones after it on the same connection here.
struct SiteMiddleware<Context: RequestContext>: RouterMiddleware {
    let site: SiteGuard

    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        let webSocket = request.headers[.upgrade]?.lowercased().contains("websocket") == true
        try site.check(host: request.head.authority, origin: request.headers[.origin],
                       webSocket: webSocket, path: request.uri.path)
        return try await next(request, context)
    }
}
