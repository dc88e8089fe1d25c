import Foundation
import Hummingbird
import HummingbirdWebSocket
import NIOCore
import SnapRateCore

/// `WS /ingest/{kiosk}` (scope `ingest`, for that kiosk). (`WS /ws`, the subscribers', has
/// handlers of its own: `SubscriberUpgrade`.)
///
/// The token is checked before the upgrade: on a connection's first request before Hummingbird
/// sees it (`FirstRequestCheck`, which answers a refusal with its status), on a later one here
/// (which Hummingbird answers with 400). A browser sends the token as the subprotocol
/// `bearer.TOKEN` beside `snaprate`, and the upgrade selects `snaprate` (see `BearerCredential`).
struct WebSocketRoutes {
    let context: ServerContext

    func add(to router: Router<SocketRequestContext>) {
        let context = context
        let admission = Admission(context: context)
        router.ws("/ingest/{kiosk}") { request, requestContext in
            guard let name = requestContext.parameters.get("kiosk"), KioskID(name) != nil else {
                context.metrics.refusedStreams.increment()
                throw HTTPError(.badRequest, message: "invalid kiosk id")
            }
            try context.access.authorizeIngest(headers: request.headers, path: request.uri.path, kiosk: name)
            guard context.isAccepting else {
                context.metrics.refusedStreams.increment()
                throw HTTPError(.serviceUnavailable, message: "shutting down")
            }
            return .upgrade(BearerCredential.upgradeHeaders(for: request.headers))
        } onUpgrade: { inbound, outbound, wsContext in
            // Validated before the upgrade.
            guard let name = wsContext.requestContext.parameters.get("kiosk"), let kiosk = KioskID(name) else { return }
            try await admission.hold(.stream, from: wsContext.requestContext.peer, outbound: outbound) {
                try await IngestSocket(context: context, kiosk: kiosk)
                    .serve(inbound: inbound, outbound: outbound, logger: wsContext.logger)
            }
        }
    }
}
