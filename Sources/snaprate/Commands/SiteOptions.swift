import ArgumentParser
import Foundation
import SnapRateServer

/// `serve`'s flags for who may reach it: the names it answers to, the pages that may open a
/// WebSocket, and its HTTPS certificate.
struct SiteOptions: ParsableArguments {
    @Option(name: .customLong("public-name"), help: ArgumentHelp(
        "A name the server is reached under from other machines (repeatable); loopback names, addresses and this machine's name need none.",
        valueName: "name"))
    var publicNames: [String] = []

    @Option(name: .customLong("allow-origin"), help: ArgumentHelp(
        "A page origin besides the server's own that may open its WebSockets (repeatable), e.g. https://signage.example.",
        valueName: "origin"))
    var allowedOrigins: [String] = []

    @Option(name: .customLong("tls-cert"), help: ArgumentHelp("Serve HTTPS with this PEM certificate chain (re-read on SIGHUP).",
                                                              valueName: "file"))
    var certificate: String?

    @Option(name: .customLong("tls-key"), help: ArgumentHelp("The PEM private key of --tls-cert (re-read on SIGHUP).", valueName: "file"))
    var key: String?

    @Option(name: .customLong("tls-ca"), help: ArgumentHelp("A CA certificate to offer at /ca.crt for devices to trust.", valueName: "file"))
    var authority: String?

    @Option(name: .customLong("tls-dir"), help: ArgumentHelp(
        "Serve HTTPS with DIR/server.crt and DIR/server.key, and offer DIR/ca.crt at /ca.crt (made by snaprate tls init).",
        valueName: "dir"))
    var directory: String?

    /// SNAPRATE_PUBLIC_NAMES and SNAPRATE_ALLOW_ORIGINS (comma-separated), SNAPRATE_TLS_DIR,
    /// SNAPRATE_TLS_CERT, SNAPRATE_TLS_KEY and SNAPRATE_TLS_CA fill flags not given.
    mutating func applyEnvironment(_ environment: [String: String]) {
        func list(_ name: String) -> [String] {
            (environment[name] ?? "").split(separator: ",").map { $0.trimmingCharacters(in: .whitespaces) }.filter { !$0.isEmpty }
        }
        if publicNames.isEmpty { publicNames = list("SNAPRATE_PUBLIC_NAMES") }
        if allowedOrigins.isEmpty { allowedOrigins = list("SNAPRATE_ALLOW_ORIGINS") }
        if directory == nil, certificate == nil, let value = environment["SNAPRATE_TLS_DIR"], !value.isEmpty { directory = value }
        if certificate == nil, directory == nil, let value = environment["SNAPRATE_TLS_CERT"], !value.isEmpty { certificate = value }
        if key == nil, directory == nil, let value = environment["SNAPRATE_TLS_KEY"], !value.isEmpty { key = value }
        if authority == nil, let value = environment["SNAPRATE_TLS_CA"], !value.isEmpty { authority = value }
    }

    /// The public names, checked; exits 2 with one line naming a bad one.
    func names() throws(ExitCode) -> [String] {
        for name in publicNames where !TLSInitCommand.isDNSName(name) && ListenAddress.addressBytes(name) == nil {
            Console.error("--public-name \(name.debugDescription) is not a host name or address (no scheme, port or path)")
            throw ExitCode(2)
        }
        return publicNames
    }

    /// The origins, checked; exits 2 with one line naming a bad one.
    func origins() throws(ExitCode) -> AllowedOrigins {
        do {
            return try AllowedOrigins(listed: allowedOrigins)
        } catch {
            Console.error("\(error)")
            throw ExitCode(2)
        }
    }

    /// The certificate to serve HTTPS with, loaded; nil for plain HTTP. Exits 2 with one line
    /// naming the file when it cannot be used, or the flags do not go together.
    func credentials() throws(ExitCode) -> TLSCredentials? {
        var files: TLSFiles
        switch (directory, certificate, key) {
        case (nil, nil, nil):
            guard authority == nil else {
                Console.error("--tls-ca needs --tls-cert and --tls-key (or --tls-dir)")
                throw ExitCode(2)
            }
            return nil
        case (let directory?, nil, nil):
            files = TLSFiles(directory: directory)
        case (nil, let certificate?, let key?):
            files = TLSFiles(certificateChain: certificate, privateKey: key)
        default:
            Console.error("give --tls-dir, or --tls-cert and --tls-key together")
            throw ExitCode(2)
        }
        if let authority { files.authority = authority }
        do {
            return try TLSCredentials(files: files)
        } catch {
            Console.error("\(error)")
            throw ExitCode(2)
        }
    }
}
