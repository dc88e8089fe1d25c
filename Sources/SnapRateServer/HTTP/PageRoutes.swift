import Hummingbird

/// `GET /kiosk`, `GET /dashboard` and their scripts and style under `/pages/`, from memory; and
/// `GET /ca.crt`, the local certificate authority's certificate that tablets install to trust the
/// server's HTTPS (`snaprate tls init`), without a token: a certificate is public.
///
/// Pages are revalidated on every load (`no-cache` with an ETag, so a reload after an upgrade
/// picks up the new version and an unchanged page costs a 304). They load nothing from
/// elsewhere, so they work at a venue without internet; the policy header holds them to that.
struct PageRoutes {
    let pages: PageAssets
    let tls: TLSCredentials?

    static let securityPolicy = "default-src 'self'; connect-src 'self' ws: wss:; media-src 'self' blob: mediastream:; "
        + "img-src 'self' data: blob:; style-src 'self'; script-src 'self'; object-src 'none'; base-uri 'none'"

    func add(to router: Router<BasicRequestContext>) {
        router.get("/") { _, _ in Response.redirect(to: "/dashboard") }
        router.get("/kiosk") { request, _ in serve("kiosk.html", request) }
        router.get("/dashboard") { request, _ in serve("dashboard.html", request) }
        router.get("/pages/{name}") { request, context in
            serve(context.parameters.get("name") ?? "", request)
        }
        let tls = tls
        router.get("/ca.crt") { _, _ in
            guard let certificate = tls?.authorityPEM else {
                return Response(status: .notFound, headers: [.contentType: "text/plain; charset=utf-8"],
                                body: ResponseBody(byteBuffer: ByteBuffer(string: "no certificate authority: serve was not "
                                    + "started with --tls-dir or --tls-ca\n")))
            }
            // The type iOS, iPadOS and Android offer to install as a certificate authority.
            return Response(status: .ok, headers: [.contentType: "application/x-x509-ca-cert",
                                                   .contentDisposition: "attachment; filename=\"snaprate-ca.crt\"",
                                                   .cacheControl: "no-cache"],
                            body: ResponseBody(byteBuffer: ByteBuffer(string: certificate)))
        }
    }

    private func serve(_ name: String, _ request: Request) -> Response {
        if let reason = pages.unavailable {
            return Response(status: .serviceUnavailable, headers: [.contentType: "text/plain; charset=utf-8"],
                            body: ResponseBody(byteBuffer: ByteBuffer(string: "snaprate: \(reason)\n")))
        }
        guard let file = pages.file(name) else {
            return Response(status: .notFound, headers: [.contentType: "text/plain; charset=utf-8"],
                            body: ResponseBody(byteBuffer: ByteBuffer(string: "no page \(name)\n")))
        }
        var headers: HTTPFields = [
            .contentType: file.contentType,
            .eTag: file.entityTag,
            .cacheControl: "no-cache",
            .xContentTypeOptions: "nosniff",
        ]
        if file.contentType.hasPrefix("text/html") {
            headers[.contentSecurityPolicy] = Self.securityPolicy
        }
        if let tags = request.headers[.ifNoneMatch], tags == "*" || tags.contains(file.entityTag) {
            return Response(status: .notModified, headers: headers)
        }
        return Response(status: .ok, headers: headers, body: ResponseBody(byteBuffer: file.body))
    }
}
