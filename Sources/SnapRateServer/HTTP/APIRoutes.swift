import Foundation
import Hummingbird
import AnalyticsStore
import SnapRateCore

/// `GET /healthz`, `/readyz`, `/access`, `/metrics` and the `/api` routes.
///
/// `/healthz` and `/readyz` are open to anyone (an orchestrator's probe carries no token, and they
/// say no more than "ok", "ready" or a reason that names no kiosk and no error); `/access` to any
/// valid token; the rest needs the `admin` scope: the API holds every rating, and `/metrics` names
/// every kiosk.
struct APIRoutes {
    let context: ServerContext
    let board: StreamBoard
    let metricsText: @Sendable () -> String

    static let defaultLimit = 100
    static let maxLimit = 10_000

    func add(to router: Router<BasicRequestContext>) {
        let access = context.access
        // Liveness: the process answers. It stays ok while the store fails; `/readyz` tells that.
        router.get("/healthz") { _, _ in
            Self.response("{\"status\":\"ok\"}", type: "application/json")
        }
        // Readiness: 503 with the reason (`StoreHealth`'s rule) while the store writer's last
        // write failed, while more than a tenth of the store queue waits, or once shutdown began.
        router.get("/readyz") { _, _ in
            if let reason = context.storeHealth.unreadyReason(accepting: context.isAccepting) {
                throw HTTPError(.serviceUnavailable, message: reason)
            }
            return Self.response("{\"status\":\"ready\"}", type: "application/json")
        }
        // What the presented token allows: the pages ask when a socket would not open, to tell a
        // token to ask for from a server that is away.
        router.get("/access") { request, _ in
            let scopes = try access.scopes(of: request)
            let names = scopes.map { "\"\($0.rawValue)\"" }.joined(separator: ",")
            return Self.response("{\"required\":\(!access.isOpen),\"scopes\":[\(names)]}", type: "application/json")
        }
        let router = router.group().add(middleware: AccessMiddleware(scope: .admin, access: access))
        router.get("/metrics") { _, _ in
            Self.response(metricsText() + ProcessStats.prometheusText(), type: "text/plain; version=0.0.4")
        }
        router.get("/api/ratings") { request, _ in
            let records = try await ratings(for: request)
            return Self.response(RatingJSON.document(records), type: "application/json")
        }
        router.get("/api/ratings.csv") { request, _ in
            let records = try await ratings(for: request)
            return Self.response(RatingCSV.document(records), type: "text/csv; charset=utf-8")
        }
        router.get("/api/streams") { _, _ in
            Self.response(RatingJSON.streams(board.active), type: "application/json")
        }
        router.get("/api/sessions") { request, _ in
            let sessions = try await context.store.sessions(kiosk: Self.kiosk(request.uri.queryParameters.get("kiosk")))
            return Self.response(RatingJSON.sessions(sessions), type: "application/json")
        }
        router.get("/api/summary") { request, _ in
            let event = request.uri.queryParameters.get("event")
            let summary = try await context.store.summary(event: event)
            let latest = try await context.store.latestSequence()
            return Self.response(RatingJSON.summary(summary, latestSequence: latest), type: "application/json")
        }
    }

    private func ratings(for request: Request) async throws -> [RatingRecord] {
        let query = request.uri.queryParameters
        let kiosk = try Self.kiosk(query.get("kiosk"))
        let since = try Self.integer(query.get("since"), name: "since") ?? 0
        let limit = try Self.integer(query.get("limit"), name: "limit") ?? Int64(Self.defaultLimit)
        guard since >= 0, limit > 0 else { throw HTTPError(.badRequest, message: "since and limit must be positive") }
        return try await context.store.ratings(after: since, kiosk: kiosk, limit: Int(min(limit, Int64(Self.maxLimit))))
    }

    /// The `kiosk` query parameter: nil when absent or empty, 400 when not a valid id.
    static func kiosk(_ text: String?) throws -> KioskID? {
        guard let text, !text.isEmpty else { return nil }
        guard let kiosk = KioskID(text) else { throw HTTPError(.badRequest, message: "invalid kiosk id") }
        return kiosk
    }

    static func integer(_ text: String?, name: String) throws -> Int64? {
        guard let text, !text.isEmpty else { return nil }
        guard let value = Int64(text) else { throw HTTPError(.badRequest, message: "\(name) is not an integer") }
        return value
    }

    static func response(_ body: String, type: String) -> Response {
        Response(status: .ok, headers: [.contentType: type], body: ResponseBody(byteBuffer: ByteBuffer(string: body)))
    }
}
