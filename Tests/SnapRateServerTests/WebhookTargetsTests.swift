import Crypto
import Foundation
import SnapRateCore
import Testing
import TestSupport
@testable import SnapRateServer

/// The webhooks file's format and the signature, without a server.
@Suite(.timeLimit(.minutes(15))) struct WebhookTargetsTests {
    static let secret = "whsec-7d1f0c2a9b8e4f6a"

    @Test func aFileGivesEachTargetItsIdAndFilters() throws {
        let text = """
            # chat gets the thumbs-down of the booth's two kiosks
            https://chat.example.org/hooks/T00/B00 \(Self.secret) kiosks=booth-1,booth-2 ratings=down\r

              http://10.0.0.5:8081/lamp\t\(Self.secret)
            https://crm.example.org/in \(Self.secret) id=crm
            """
        let targets = try WebhookTargets.parse(text, source: "webhooks.txt").targets
        #expect(targets.map(\.id) == ["chat.example.org", "10.0.0.5:8081", "crm"])
        #expect(targets[0].kiosks == ["booth-1", "booth-2"] && targets[0].rating == .down)
        #expect(targets[1].kiosks == nil && targets[1].rating == nil && targets[1].url == "http://10.0.0.5:8081/lamp")
        let down = RatingRecord(event: "expo", kiosk: "booth-2", session: UUID(), rating: .down, confidence: 0.9, mediaTime: 1,
                                wallTime: Date(), latencyMilliseconds: 1, model: "lite")
        var up = down
        up.rating = .up
        var elsewhere = down
        elsewhere.kiosk = "door"
        #expect(targets[0].accepts(down) && !targets[0].accepts(up) && !targets[0].accepts(elsewhere))
        #expect(targets[1].accepts(up) && targets[1].accepts(elsewhere))
        #expect(!"\(targets)".contains(Self.secret) && !String(reflecting: targets[0]).contains(Self.secret))
        #expect(targets.map(\.sendsInClearText) == [false, true, false])
    }

    @Test func onlyPlainHTTPToAnotherMachineSendsInClearText() throws {
        let urls = ["http://localhost:9000/x", "http://127.0.0.1/x", "http://[::1]:8080/x", "https://10.0.0.5/x",
                    "http://10.0.0.5/x", "HTTP://Chat.Example.org/x", "http://127.example.org/x"]
        let text = urls.enumerated().map { "\($1) \(Self.secret) id=t\($0)" }.joined(separator: "\n")
        let targets = try WebhookTargets.parse(text, source: "f").targets
        #expect(targets.map(\.sendsInClearText) == [false, false, false, false, true, true, true])
    }

    @Test(arguments: [
        ("https://a.example/x \(secret) id=has/slash", "f line 1: id= takes 1 to 64"),
        ("https://a.example/x \(secret) kiosks=", "f line 1: kiosks= takes kiosk ids"),
        ("https://a.example/x#part \(secret)", "f line 1: the URL must be"),
        ("mailto:someone@example.org \(secret)", "f line 1: the URL must be"),
        ("https://a.example/x kiosks=a", "f line 1: expected URL SECRET"),
        ("https://a.example/x \(secret) \(secret)=x", "f line 1: unknown option ("),
    ])
    func aBadLineIsNamedWithoutItsSecret(line: String, message: String) {
        do {
            _ = try WebhookTargets.parse(line, source: "f")
            Issue.record("accepted: \(line)")
        } catch {
            #expect("\(error)".hasPrefix(message), "\(error)")
            #expect(!"\(error)".contains(Self.secret))
        }
    }

    @Test func theSignatureIsStripesScheme() {
        // HMAC-SHA256 of "1700000000.{}" with the key "secret", as `openssl dgst -sha256 -hmac secret` gives it.
        let header = WebhookSignature.header(key: SymmetricKey(data: Data("secret".utf8)), timestamp: 1_700_000_000,
                                             body: Array("{}".utf8))
        #expect(header == "t=1700000000,v1=\(Self.expectedHex)")
    }

    static let expectedHex = "b8569b78799ff9e3cbff0fc2d63a33a2b57f3282abd07c37ae5e8e7d79a5f163"
}
