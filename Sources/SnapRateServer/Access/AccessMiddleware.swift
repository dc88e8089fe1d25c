import Hummingbird

/// Lets through only requests whose bearer token holds `scope` (all of them while no tokens are
/// configured). On a WebSocket route it runs before the upgrade, so a refused client never gets a
/// socket: Hummingbird then answers the upgrade request with 400 and closes the connection.
struct AccessMiddleware<Context: RequestContext>: RouterMiddleware {
    let scope: AccessScope
    let access: AccessGuard

    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        try access.authorize(request, for: scope)
        return try await next(request, context)
    }
}
