import HTTPTypes
import Hummingbird
import Logging

/// Checks requests against the configured tokens; with none configured every request passes.
///
/// Refusals are counted (`snaprate_access_refused_total{reason}`) and logged at debug level (an
/// unauthenticated client must not be able to fill the log at the default level), with the path
/// and the reason: never the token, never the query string.
struct AccessGuard: Sendable {
    let tokens: AccessTokens
    let metrics: ServerMetrics
    let logger: Logger

    /// Why a request was refused.
    enum Refusal: String, Sendable {
        /// No bearer token in the request.
        case missing
        /// A token that is not configured.
        case invalid
        /// A configured token without the scope asked for.
        case forbidden
        /// An ingest token for other kiosks than the one asked for.
        case kiosk
    }

    static let challenge = "Bearer realm=\"snaprate\""

    var isOpen: Bool { tokens.isEmpty }

    /// The scopes the request's token holds (all of them while access is open). Throws the 401 to
    /// answer with when tokens are required and the request presents none, or a wrong one.
    func scopes(of request: Request) throws -> [AccessScope] {
        try scopes(headers: request.headers, path: request.uri.path)
    }

    /// The scopes of the token in `headers`, of a request for `path` (which a refusal logs).
    func scopes(headers: HTTPFields, path: String) throws -> [AccessScope] {
        try grant(headers: headers, path: path).scopes
    }

    private func grant(headers: HTTPFields, path: String) throws -> AccessGrant {
        if isOpen { return .everything }
        guard let token = BearerCredential.token(in: headers) else {
            throw refuse(path, .missing, scope: nil)
        }
        let grant = tokens.grant(for: token)
        guard !grant.scopes.isEmpty else { throw refuse(path, .invalid, scope: nil) }
        return grant
    }

    /// Passes a request to stream as `kiosk` whose token allows it; otherwise throws the 401 or
    /// 403 to answer with.
    func authorizeIngest(headers: HTTPFields, path: String, kiosk: String) throws {
        let grant = try grant(headers: headers, path: path)
        guard grant.scopes.contains(.ingest) else { throw refuse(path, .forbidden, scope: .ingest) }
        guard grant.allowsIngest(to: kiosk) else { throw refuse(path, .kiosk, scope: .ingest) }
    }

    /// Passes a request whose token holds `scope`; otherwise throws the 401 or 403 to answer with.
    func authorize(_ request: Request, for scope: AccessScope) throws {
        try authorize(headers: request.headers, path: request.uri.path, for: scope)
    }

    func authorize(headers: HTTPFields, path: String, for scope: AccessScope) throws {
        guard try scopes(headers: headers, path: path).contains(scope) else { throw refuse(path, .forbidden, scope: scope) }
    }

    private func refuse(_ path: String, _ refusal: Refusal, scope: AccessScope?) -> HTTPError {
        metrics.accessRefused(reason: refusal.rawValue).increment()
        logger.debug("access refused", metadata: [
            "path": "\(path)", "reason": "\(refusal.rawValue)", "scope": "\(scope?.rawValue ?? "any")",
        ])
        return Self.error(for: refusal, scope: scope)
    }

    /// The answer to a refusal, as RFC 6750 words it.
    static func error(for refusal: Refusal, scope: AccessScope?) -> HTTPError {
        switch refusal {
        case .missing:
            HTTPError(.unauthorized, headers: [.wwwAuthenticate: challenge], message: "an access token is required")
        case .invalid:
            HTTPError(.unauthorized, headers: [.wwwAuthenticate: challenge + ", error=\"invalid_token\""],
                      message: "the access token is not valid")
        case .forbidden:
            HTTPError(.forbidden,
                      headers: [.wwwAuthenticate: challenge + ", error=\"insufficient_scope\", scope=\"\(scope?.rawValue ?? "")\""],
                      message: "the access token does not allow \(scope?.rawValue ?? "this")")
        case .kiosk:
            HTTPError(.forbidden, headers: [.wwwAuthenticate: challenge + ", error=\"insufficient_scope\", scope=\"ingest\""],
                      message: "the access token does not allow streaming as this kiosk")
        }
    }
}
