import EventReport
import Foundation
import Hummingbird
import HummingbirdCore

/// `GET /api/report.html?event=E&from=T&to=T&tz=ZONE`: the event report `snaprate report` writes,
/// made from the store on request. Behind the `admin` scope like the rest of `/api` (it holds
/// every kiosk's counts); without `event` it reports on the event this daemon records.
///
/// A browser can reach it, so the query is hostile: each parameter is length-limited and parsed
/// strictly (a bad one is a 400 naming it), the window is bounded (`ReportScope.maxDays`), and the
/// page escapes every name it shows and carries a policy that lets it load nothing.
struct ReportRoutes {
    let context: ServerContext

    func add(to router: Router<BasicRequestContext>) {
        let context = context
        let router = router.group().add(middleware: AccessMiddleware(scope: .admin, access: context.access))
        router.get("/api/report.html") { request, _ in
            let scope: ReportScope
            do {
                scope = try Self.scope(request.uri.queryParameters, currentEvent: context.configuration.event)
            } catch {
                throw HTTPError(.badRequest, message: "\(error)")
            }
            let figures: EventFigures
            do {
                figures = try await EventFigures.gather(from: context.store, scope: scope)
            } catch let error as ReportError {
                throw HTTPError(.badRequest, message: error.description)
            }
            return Response(status: .ok, headers: [
                .contentType: "text/html; charset=utf-8",
                .contentSecurityPolicy: ReportPage.securityPolicy,
                .xContentTypeOptions: "nosniff",
                .cacheControl: "no-store",
            ], body: ResponseBody(byteBuffer: ByteBuffer(string: ReportPage.html(figures))))
        }
    }

    static func scope(_ query: FlatDictionary<Substring, Substring>, currentEvent: String) throws(ReportError) -> ReportScope {
        func parameter(_ name: String) throws(ReportError) -> String? {
            guard let value = query.get(name), !value.isEmpty else { return nil }
            guard value.utf8.count <= ReportScope.maxNameLength else {
                throw ReportError("\(name) is longer than \(ReportScope.maxNameLength) bytes")
            }
            return value
        }
        let zone = try parameter("tz").map { name throws(ReportError) in try ReportScope.timeZone(named: name) }
            ?? TimeZone(identifier: "UTC")!
        let from = try parameter("from").map { text throws(ReportError) in try ReportScope.date(text, in: zone) }
        let to = try parameter("to").map { text throws(ReportError) in try ReportScope.date(text, in: zone) }
        let scope = ReportScope(event: try parameter("event") ?? currentEvent, from: from, to: to, timeZone: zone)
        try scope.validate()
        return scope
    }
}
