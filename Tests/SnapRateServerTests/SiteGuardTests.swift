import Foundation
import Testing
@testable import SnapRateServer

/// Which `Host` names and page origins the server answers, and which kiosks a token streams to,
/// without a server.
@Suite struct SiteGuardTests {
    static func authority(_ text: String) throws -> Authority {
        try #require(Authority(text), "\(text)")
    }

    @Test func hostHeadersAreReadAsBrowsersWriteThem() throws {
        #expect(try Self.authority("LocalHost:8080") == Authority("localhost:8080"))
        #expect(try Self.authority("kiosk.venue.test.").host == "kiosk.venue.test")
        #expect(try Self.authority("[::1]:443").host == "::1")
        #expect(try Self.authority("[::1]").port == nil)
        for bad in ["", ":80", "a b", "user@host", "host:0", "host:99999", "host:8x", "[::1", "[not-v6]", "host/path", "host:80:80"] {
            #expect(Authority(bad) == nil, "\(bad)")
        }
    }

    @Test func onLoopbackOnlyLoopbackNamesAndAddressesAndGivenNamesPass() throws {
        let hosts = AllowedHosts(bind: "127.0.0.1", publicNames: ["Kiosk.Venue.Test"], machineNames: ["laptop", "laptop.local"])
        for passes in ["127.0.0.1:8080", "127.3.2.1", "localhost:8080", "app.localhost", "[::1]:8080", "kiosk.venue.test:8443"] {
            #expect(hosts.admits(try Self.authority(passes)), "\(passes)")
        }
        // A rebinding name, a LAN address that cannot reach a loopback socket, the machine's own
        // name (it resolves to 127.0.1.1 on Debian, which a 127.0.0.1 socket does not take).
        for refused in ["rebind.evil.example", "192.168.1.20", "laptop", "localhost.evil.example", "[fe80::1]"] {
            #expect(!hosts.admits(try Self.authority(refused)), "\(refused)")
        }
    }

    @Test func beyondLoopbackTheMachineNamesAndTheBoundAddressesPass() throws {
        let everywhere = AllowedHosts(bind: "0.0.0.0", publicNames: [], machineNames: ["laptop", "laptop.local"])
        for passes in ["192.168.1.20:8080", "[fd00::2]", "laptop.local:8443", "localhost", "127.0.0.1"] {
            #expect(everywhere.admits(try Self.authority(passes)), "\(passes)")
        }
        #expect(!everywhere.admits(try Self.authority("rebind.evil.example")))

        let one = AllowedHosts(bind: "192.168.1.20", publicNames: ["booth.example"], machineNames: [])
        #expect(try one.admits(Self.authority("192.168.1.20:8080")) && one.admits(Self.authority("booth.example")))
        #expect(try !one.admits(Self.authority("10.0.0.5")) && !one.admits(Self.authority("rebind.evil.example")))

        let named = AllowedHosts(bind: "snaprate.lan", publicNames: [], machineNames: [])
        #expect(try named.admits(Self.authority("snaprate.lan:8080")) && !named.admits(Self.authority("192.168.1.20")))
    }

    @Test func aWebSocketMayComeFromTheServersOwnOriginOrAListedOne() throws {
        let origins = try AllowedOrigins(listed: ["https://Signage.Example", "http://127.0.0.1:3000"])
        let host = try Self.authority("127.0.0.1:8080")
        #expect(origins.admits(origin: "http://127.0.0.1:8080", host: host, scheme: "http"))
        #expect(!origins.admits(origin: "https://127.0.0.1:8080", host: host, scheme: "http"), "another scheme is another origin")
        #expect(!origins.admits(origin: "http://127.0.0.1:8081", host: host, scheme: "http"), "another port too")
        #expect(!origins.admits(origin: "http://localhost:8080", host: host, scheme: "http"), "and another name")
        #expect(origins.admits(origin: "https://signage.example:443", host: host, scheme: "http"))
        #expect(origins.admits(origin: "http://127.0.0.1:3000", host: host, scheme: "http"))
        // What a WebSocket library sends, never a browser: judged by the token alone.
        #expect(origins.admits(origin: "ws://127.0.0.1", host: host, scheme: "http"))
        for refused in ["http://evil.example", "null", "file://", "", "http://127.0.0.1:8080/path", "chrome-extension://abc"] {
            #expect(!origins.admits(origin: refused, host: host, scheme: "http"), "\(refused)")
        }
        // Default ports: `https://kiosk.venue.test` is the origin of a Host without a port.
        #expect(origins.admits(origin: "https://kiosk.venue.test", host: try Self.authority("kiosk.venue.test"), scheme: "https"))
        #expect(origins.admits(origin: "https://kiosk.venue.test", host: try Self.authority("kiosk.venue.test:443"), scheme: "https"))

        let bad = #expect(throws: AllowedOriginsError.self) { try AllowedOrigins(listed: ["*"]) }
        #expect(bad?.description.contains("--allow-origin \"*\" is not an origin") == true)
    }

    static let door = "door-0a1b2c3d4e5f60718293a4b5c6d7e8f9"
    static let hall = "hall-0a1b2c3d4e5f60718293a4b5c6d7e8f9"
    static let every = "every-0a1b2c3d4e5f60718293a4b5c6d7e8f9"

    @Test func anIngestScopeMayNameItsKiosks() throws {
        let tokens = try AccessTokens.parse("""
            ingest:door-1,ingest:door-2,subscribe \(Self.door)
            ingest:hall-b-* \(Self.hall)
            ingest:door-1,ingest \(Self.every)
            """, source: "tokens.txt")
        let door = tokens.grant(for: Self.door)
        #expect(door.scopes == [.ingest, .subscribe])
        #expect(door.allowsIngest(to: "door-1") && door.allowsIngest(to: "door-2"))
        #expect(!door.allowsIngest(to: "door-3") && !door.allowsIngest(to: "door-10"))
        let hall = tokens.grant(for: Self.hall)
        #expect(hall.allowsIngest(to: "hall-b-1") && hall.allowsIngest(to: "hall-b-stage") && !hall.allowsIngest(to: "hall-a-1"))
        #expect(tokens.grant(for: Self.every).allowsIngest(to: "anything"), "plain ingest allows every kiosk")
        #expect(!tokens.grant(for: Self.hall + "x").allowsIngest(to: "hall-b-1"))

        for bad in ["ingest:", "ingest:door+1", "ingest:do*or", "ingest:\(String(repeating: "k", count: 65))"] {
            let error = #expect(throws: AccessTokensError.self) { try AccessTokens.parse("\(bad) \(Self.door)", source: "t") }
            #expect(error?.description.hasPrefix("t line 1: ingest: takes a kiosk id") == true, "\(bad): \(String(describing: error))")
            #expect(error?.description.contains(Self.door) == false)
        }
    }
}
