import Foundation
#if canImport(FoundationNetworking)
import FoundationNetworking
#endif
import SnapRateServer
import Testing
import TestSupport

/// The kiosk and dashboard pages as HTTP resources from a real `snaprate serve`: types, cache
/// validators, the content policy, and what a binary copied without its pages does.
@Suite(.timeLimit(.minutes(15)), .serialized) struct PageTests {
    static let pagesSource = TestData.packageRoot.appendingPathComponent("Sources/SnapRateServer/Pages")

    @Test func pagesAreServedFromMemoryWithTheirTypesAndRevalidated() async throws {
        let folder = try Clips.temporaryFolder()
        defer { try? FileManager.default.removeItem(at: folder) }
        let server = try ServeProcess(store: folder.appendingPathComponent("pages.sqlite").path)
        let pages = [
            ("/kiosk?kiosk=door-1", "kiosk.html", "text/html; charset=utf-8"),
            ("/dashboard", "dashboard.html", "text/html; charset=utf-8"),
            ("/pages/kiosk.js", "kiosk.js", "text/javascript; charset=utf-8"),
            ("/pages/dashboard.js", "dashboard.js", "text/javascript; charset=utf-8"),
            ("/pages/access.js", "access.js", "text/javascript; charset=utf-8"),
            ("/pages/style.css", "style.css", "text/css; charset=utf-8"),
        ]
        for (path, file, type) in pages {
            let page = try await HTTP.get("\(server.baseURL)\(path)")
            let source = try Data(contentsOf: Self.pagesSource.appendingPathComponent(file))
            #expect(page.status == 200, "\(path)")
            #expect(page.body == source, "\(path) is \(file) as built")
            #expect(page.header("Content-Type") == type, "\(path)")
            #expect(page.header("Cache-Control") == "no-cache", "\(path)")
            #expect(page.header("X-Content-Type-Options") == "nosniff", "\(path)")
            let tag = try #require(page.header("ETag"), "\(path) has an ETag")
            let again = try await HTTP.get("\(server.baseURL)\(path)", headers: ["If-None-Match": tag])
            #expect(again.status == 304 && again.body.isEmpty, "\(path) unchanged is not sent again")
            let other = try await HTTP.get("\(server.baseURL)\(path)", headers: ["If-None-Match": "\"0\""])
            #expect(other.status == 200 && other.body == source, "\(path) with another tag is sent")
            if file.hasSuffix(".html") {
                #expect(page.header("Content-Security-Policy")?.contains("default-src 'self'") == true, "\(path)")
                // Nothing from elsewhere: the pages must work at a venue without internet.
                let html = String(decoding: page.body, as: UTF8.self)
                #expect(!html.contains("src=\"http") && !html.contains("href=\"http"), "\(path) loads only from the daemon")
            }
        }
        let missing = try await HTTP.get("\(server.baseURL)/pages/missing.js")
        #expect(missing.status == 404)
        let outside = try await HTTP.get("\(server.baseURL)/pages/..%2FPackage.swift")
        #expect(outside.status == 404, "only the loaded pages are served")
        let home = try await HTTP.get("\(server.baseURL)/")
        #expect(home.status == 200 && home.url?.path == "/dashboard", "/ leads to the dashboard")
        #expect(server.terminate() == 0, "\(server.stderr)")
    }

    @Test func aBinaryWithoutItsPagesServesTheAPIAndSaysWhatIsMissing() async throws {
        let folder = try Clips.temporaryFolder()
        defer { try? FileManager.default.removeItem(at: folder) }
        // A copy of the executable alone, as someone might install it.
        let copy = folder.appendingPathComponent("bin/snaprate")
        try FileManager.default.createDirectory(at: copy.deletingLastPathComponent(), withIntermediateDirectories: true)
        try FileManager.default.copyItem(at: TestData.snaprateExecutable, to: copy)

        let bare = try ServeProcess(store: folder.appendingPathComponent("a.sqlite").path, executable: copy)
        let kiosk = try await HTTP.get("\(bare.baseURL)/kiosk?kiosk=door-1")
        let message = String(decoding: kiosk.body, as: UTF8.self)
        #expect(kiosk.status == 503)
        #expect(message.contains("SnapRate_SnapRateServer.resources") && message.contains("--pages"), "\(message)")
        #expect(try await HTTP.get("\(bare.baseURL)/healthz").status == 200, "the daemon itself runs")
        #expect(bare.terminate() == 0)
        #expect(bare.stderr.contains("pages are not installed"), "\(bare.stderr)")

        // --pages points it at a folder of pages.
        let pointed = try ServeProcess(store: folder.appendingPathComponent("b.sqlite").path,
                                       arguments: ["--pages", Self.pagesSource.path], executable: copy)
        #expect(try await HTTP.get("\(pointed.baseURL)/kiosk?kiosk=door-1").status == 200)
        #expect(pointed.terminate() == 0)
    }

    @Test func aPagesFolderThatIsNotThereOrIncompleteIsRefusedAtStart() throws {
        let folder = try Clips.temporaryFolder()
        defer { try? FileManager.default.removeItem(at: folder) }
        try Data("<!doctype html>".utf8).write(to: folder.appendingPathComponent("kiosk.html"))
        let incomplete = #expect(throws: PageAssetsError.self) { try PageAssets.load(from: folder) }
        #expect(incomplete?.description.hasSuffix("lacks kiosk.js, dashboard.html, dashboard.js, access.js, style.css") == true)

        let (status, text) = try ServeProcess.refusedStart(["--store", "sqlite:\(folder.path)/c.sqlite", "--models", "lite",
                                                            "--pages", folder.appendingPathComponent("nowhere").path])
        #expect(status == 2)
        #expect(text.split(separator: "\n").count == 1 && text.contains("nowhere does not exist"), "\(text)")
    }

    @Test func theBundledPagesAreFoundBesideTheExecutableOnly() throws {
        let built = PageAssets.bundled(executableFolder: TestData.snaprateExecutable.deletingLastPathComponent())
        #expect(built.unavailable == nil)
        #expect(Set(PageAssets.required).isSubset(of: Set(built.names)))
        let elsewhere = PageAssets.bundled(executableFolder: FileManager.default.temporaryDirectory)
        #expect(elsewhere.unavailable?.contains("not installed") == true)
    }
}

/// Plain HTTP requests with headers, for status, headers and body.
enum HTTP {
    struct Answer {
        var status: Int
        var headers: [String: String]
        var body: Data
        var url: URL?

        func header(_ name: String) -> String? {
            headers.first { $0.key.caseInsensitiveCompare(name) == .orderedSame }?.value
        }
    }

    static func get(_ url: String, headers: [String: String] = [:]) async throws -> Answer {
        var request = URLRequest(url: URL(string: url)!, cachePolicy: .reloadIgnoringLocalCacheData)
        for (name, value) in headers { request.setValue(value, forHTTPHeaderField: name) }
        let session = URLSession(configuration: .ephemeral)
        defer { session.finishTasksAndInvalidate() }
        let (data, response) = try await session.data(for: request)
        let http = response as? HTTPURLResponse
        var fields: [String: String] = [:]
        for (name, value) in http?.allHeaderFields ?? [:] {
            fields["\(name)"] = "\(value)"
        }
        return Answer(status: http?.statusCode ?? 0, headers: fields, body: data, url: http?.url)
    }
}
