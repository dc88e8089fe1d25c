import ArgumentParser
import Foundation
import Logging
import SnapRateServer

/// `serve`'s access-control flags: where the tokens come from, and whether serving beyond this
/// machine without them was asked for.
struct AccessOptions: ParsableArguments {
    @Option(name: .customLong("tokens"), help: ArgumentHelp(
        "Bearer tokens and their scopes, one `SCOPES TOKEN` a line, e.g. `ingest,subscribe 3f9a…` (scopes: ingest, subscribe, admin).",
        valueName: "file"))
    var tokensFile: String?

    @Flag(help: "Listen on an address other than loopback without tokens: anyone who reaches it may stream, watch and export.")
    var insecure = false

    /// SNAPRATE_TOKENS_FILE fills --tokens; SNAPRATE_INSECURE=1 (or true) sets --insecure.
    /// SNAPRATE_TOKENS itself is read by `resolve`, as tokens of its own.
    mutating func applyEnvironment(_ environment: [String: String]) {
        if tokensFile == nil, let value = environment["SNAPRATE_TOKENS_FILE"], !value.isEmpty { tokensFile = value }
        if !insecure, let value = environment["SNAPRATE_INSECURE"] { insecure = ["1", "true"].contains(value.lowercased()) }
    }

    /// The tokens of --tokens and $SNAPRATE_TOKENS together. Exits 2 with one line when they
    /// cannot be used, or when `host` is reachable from other machines and there are none,
    /// unless --insecure.
    func resolve(host: String, environment: [String: String], logger: Logger) throws(ExitCode) -> AccessTokens {
        var tokens = AccessTokens()
        do {
            if let tokensFile {
                tokens = try AccessTokens.load(file: tokensFile)
                SecretFile.warnIfOthersCanRead(tokensFile, what: "tokens file", logger: logger)
            }
            if let inline = environment["SNAPRATE_TOKENS"], !inline.isEmpty {
                tokens = try tokens.merging(AccessTokens.parse(environment: inline, name: "SNAPRATE_TOKENS"))
            }
        } catch {
            Console.error("\(error)")
            throw ExitCode(2)
        }
        if tokens.isEmpty, !ListenAddress.isLoopback(host) {
            guard insecure else {
                Console.error("refusing to listen on \(host) without access tokens: give --tokens FILE (or SNAPRATE_TOKENS), "
                    + "or --insecure to let in anyone who reaches it")
                throw ExitCode(2)
            }
            logger.warning("listening on \(host) without access tokens (--insecure): anyone who reaches it may stream, watch and export")
        } else if !tokens.isEmpty {
            logger.info("access control on: \(tokens.count) token(s)")
        }
        return tokens
    }
}
