import Foundation
import Testing
@testable import SnapRateServer

/// The token list's format and the comparison behind every check, without a server.
@Suite(.timeLimit(.minutes(15))) struct AccessTokenTests {
    static let kiosk = "kiosk-7d1f0c2a9b8e4f6a1c3d5e7f9a0b2c4d"
    static let dashboard = "dash-0a1b2c3d4e5f60718293a4b5c6d7e8f9"

    @Test func aFileGivesEachTokenItsScopes() throws {
        let text = """
            # kiosks stream; the dashboard watches and exports
            ingest \(Self.kiosk)\r

              subscribe,admin\t\(Self.dashboard)
            """
        let tokens = try AccessTokens.parse(text, source: "tokens.txt")
        #expect(tokens.count == 2)
        #expect(tokens.scopes(for: Self.kiosk) == [.ingest])
        #expect(tokens.scopes(for: Self.dashboard) == [.subscribe, .admin])
    }

    @Test func onlyTheWholeTokenMatches() throws {
        let tokens = try AccessTokens.parse("ingest,subscribe,admin \(Self.kiosk)", source: "t")
        #expect(tokens.scopes(for: Self.kiosk) == [.ingest, .subscribe, .admin])
        let last = Self.kiosk.last == "d" ? "e" : "d"
        for guess in ["", String(Self.kiosk.dropLast()), Self.kiosk + "0", String(Self.kiosk.dropLast()) + last,
                      Self.kiosk.uppercased(), " " + Self.kiosk, String(repeating: "a", count: 300), Self.dashboard] {
            #expect(tokens.scopes(for: guess).isEmpty, "\(guess.prefix(40))")
        }
    }

    @Test func theEnvironmentFormSeparatesEntriesWithSemicolons() throws {
        let tokens = try AccessTokens.parse(environment: "ingest \(Self.kiosk); subscribe,admin \(Self.dashboard);", name: "SNAPRATE_TOKENS")
        #expect(tokens.scopes(for: Self.kiosk) == [.ingest] && tokens.scopes(for: Self.dashboard) == [.subscribe, .admin])
        let file = try AccessTokens.parse("admin \(Self.dashboard)", source: "t")
        let clash = #expect(throws: AccessTokensError.self) { try file.merging(tokens) }
        #expect(clash?.description == "SNAPRATE_TOKENS entry 2: the same token as t line 1")
    }

    @Test(arguments: [
        ("ingest short-token", "f line 2: the token is shorter than 24 characters"),
        ("admn \(AccessTokenTests.kiosk)", "f line 2: unknown scope \"admn\""),
        ("ingest,,admin \(AccessTokenTests.kiosk)", "f line 2: unknown scope \"\""),
        ("\(AccessTokenTests.kiosk) ingest", "f line 2: unknown scope (scopes are"),
        ("\(AccessTokenTests.kiosk)", "f line 2: expected SCOPES TOKEN"),
        ("ingest \(AccessTokenTests.kiosk) door-1", "f line 2: expected SCOPES TOKEN"),
        ("ingest \(AccessTokenTests.kiosk)/slash+", "f line 2: a token is at most 256 of A-Z a-z 0-9 - . _ ~"),
        ("ingest \(String(repeating: "x", count: 257))", "f line 2: a token is at most 256"),
        ("subscribe \(AccessTokenTests.dashboard)", "f line 2: the same token as f line 1"),
    ])
    func anUnusableEntryIsRefusedWithoutQuotingAToken(line: String, message: String) {
        let error = #expect(throws: AccessTokensError.self) {
            try AccessTokens.parse("admin \(Self.dashboard)\n\(line)", source: "f")
        }
        #expect(error?.description.hasPrefix(message) == true, "\(error?.description ?? "")")
        #expect(error?.description.contains(Self.kiosk) == false && error?.description.contains(Self.dashboard) == false)
    }

    @Test func aMissingFileSaysSo() {
        let error = #expect(throws: AccessTokensError.self) { try AccessTokens.load(file: "/nonexistent/tokens") }
        #expect(error?.description.hasPrefix("cannot read the tokens file /nonexistent/tokens") == true)
    }

    @Test func secretsCompareEqualOnlyWhenEveryByteAndTheLengthAgree() throws {
        let token = try #require(SecretBytes(Self.kiosk))
        #expect(token.matches(try #require(SecretBytes(Self.kiosk))))
        #expect(!token.matches(try #require(SecretBytes(Self.kiosk + "\0"))), "padding is not part of the token")
        #expect(!token.matches(try #require(SecretBytes(String(Self.kiosk.dropLast())))))
        #expect(!token.matches(try #require(SecretBytes(""))))
        let longest = String(repeating: "z", count: SecretBytes.width)
        #expect(try #require(SecretBytes(longest)).matches(try #require(SecretBytes(longest))))
        #expect(SecretBytes(longest + "z") == nil)
    }

    @Test func printingAConfigurationShowsNoToken() throws {
        let tokens = try AccessTokens.parse("ingest \(Self.kiosk)", source: "t")
        var configuration = ServerConfiguration()
        configuration.pages = .unavailable("none")
        configuration.accessTokens = tokens
        var dumped = ""
        dump(configuration, to: &dumped)
        // Nor its bytes as numbers, however they are laid out.
        let bytes = Array(Self.kiosk.utf8.prefix(8)).map(Int.init)
        for text in ["\(configuration)", String(reflecting: configuration), dumped, "\(tokens)"] {
            let numbers = text.split { !$0.isNumber }.compactMap { Int($0) }
            let showsBytes = numbers.count >= bytes.count
                && (0...(numbers.count - bytes.count)).contains { Array(numbers[$0..<($0 + bytes.count)]) == bytes }
            #expect(!text.contains(Self.kiosk) && !showsBytes, "\(text.prefix(300))")
        }
        #expect("\(tokens)" == "AccessTokens(1 tokens)")
    }

    @Test(arguments: [
        ("127.0.0.1", true), ("127.1.2.3", true), ("localhost", true), ("LOCALHOST", true), ("::1", true), ("[::1]", true),
        ("0:0:0:0:0:0:0:1", true), ("0.0.0.0", false), ("::", false), ("192.168.1.20", false), ("128.0.0.1", false),
        ("kiosk.venue.lan", false), ("::2", false), ("", false),
    ])
    func loopbackAddressesAreTold(host: String, loopback: Bool) {
        #expect(ListenAddress.isLoopback(host) == loopback)
    }
}
