import Foundation
import Testing
import TestSupport

/// `snaprate tls init` and `serve --tls-dir`: a local authority and a certificate that real
/// clients (curl, openssl) accept for the names given, the authority offered at `/ca.crt` (never a
/// key), a renewed certificate taken on SIGHUP, and files that cannot be used refused in one line.
@Suite(.timeLimit(.minutes(15))) struct TLSServeTests {
    /// Runs a program to its end (`ProgramRun`); its exit status and output.
    static func run(_ executable: String, _ arguments: [String]) async throws -> (status: Int32, output: String, errors: String) {
        let run = try await ProgramRun.run(URL(fileURLWithPath: executable), arguments)
        return (run.status, run.output, run.errors)
    }

    static func tlsInit(_ folder: URL, names: [String] = []) async throws -> String {
        let result = try await run(TestData.snaprateExecutable.path, ["tls", "init", "--dir", folder.path] + names.flatMap { ["--name", $0] })
        guard result.status == 0 else { throw MissingTestData(description: "tls init failed: \(result.errors)") }
        return result.output
    }

    /// The serial number of the certificate the server at `port` presents now.
    static func presentedSerial(port: Int) async throws -> String {
        try await run("/bin/sh", ["-c", "openssl s_client -connect 127.0.0.1:\(port) -servername localhost </dev/null 2>/dev/null "
            + "| openssl x509 -noout -serial"]).output.trimmingCharacters(in: .whitespacesAndNewlines)
    }

    static func serial(of file: URL) async throws -> String {
        try await run("/usr/bin/openssl", ["x509", "-in", file.path, "-noout", "-serial"]).output.trimmingCharacters(in: .whitespacesAndNewlines)
    }

    static func curl(_ url: String, _ options: [String] = []) async throws -> (status: Int32, body: String, errors: String) {
        let result = try await run("/usr/bin/curl", ["-sS", "--max-time", "30"] + options + [url])
        return (result.status, result.output, result.errors)
    }

    @Test func tlsInitMakesACertificateThatClientsTrustAndServeTakesARenewedOneOnSIGHUP() async throws {
        let folder = try Clips.temporaryFolder()
        defer { try? FileManager.default.removeItem(at: folder) }
        let tls = folder.appendingPathComponent("tls")
        let summary = try await Self.tlsInit(tls, names: ["kiosk.venue.test"])
        #expect(summary.contains("kiosk.venue.test") && summary.contains("127.0.0.1"), "\(summary)")
        let (ca, caKey, certificate, key) = (tls.appendingPathComponent("ca.crt"), tls.appendingPathComponent("ca.key"),
                                             tls.appendingPathComponent("server.crt"), tls.appendingPathComponent("server.key"))
        for (file, mode) in [(ca, 0o644), (caKey, 0o600), (certificate, 0o644), (key, 0o600)] {
            let attributes = try FileManager.default.attributesOfItem(atPath: file.path)
            #expect((attributes[.posixPermissions] as? Int) == mode, "\(file.lastPathComponent)")
        }
        #expect(try await Self.run("/usr/bin/openssl", ["verify", "-CAfile", ca.path, certificate.path]).status == 0)
        let text = try await Self.run("/usr/bin/openssl", ["x509", "-in", certificate.path, "-noout", "-text"]).output
        for part in ["DNS:kiosk.venue.test", "DNS:localhost", "IP Address:127.0.0.1", "TLS Web Server Authentication", "CA:FALSE"] {
            #expect(text.contains(part), "\(part)")
        }

        let server = try ServeProcess(store: folder.appendingPathComponent("tls.sqlite").path, arguments: ["--tls-dir", tls.path])
        let port = server.port
        #expect(server.scheme == "https")
        // The certificate's names are names of the server: no --public-name needed.
        for (url, resolve) in [("https://localhost:\(port)/healthz", []),
                               ("https://kiosk.venue.test:\(port)/healthz", ["--resolve", "kiosk.venue.test:\(port):127.0.0.1"]),
                               ("https://127.0.0.1:\(port)/healthz", [])] {
            let answer = try await Self.curl(url, ["--cacert", ca.path] + resolve)
            #expect(answer.status == 0 && answer.body.contains("ok"), "\(url): \(answer.errors)")
        }
        let untrusted = try await Self.curl("https://localhost:\(port)/healthz")
        #expect(untrusted.status != 0, "a client that does not trust the authority refuses the server")
        let plain = try await Self.curl("http://127.0.0.1:\(port)/healthz")
        #expect(!plain.body.contains("ok"), "no plain HTTP on the TLS port")

        // The authority's certificate, exactly, for devices to install.
        let offered = try await Self.curl("https://localhost:\(port)/ca.crt", ["--cacert", ca.path, "-D", "-"])
        #expect(offered.body.lowercased().contains("content-type: application/x-x509-ca-cert"), "\(offered.body)")
        let caText = try String(contentsOf: ca, encoding: .utf8)
        let squeezed = { (text: String) in text.filter { !$0.isWhitespace } }
        #expect(squeezed(offered.body).hasSuffix(squeezed(caText)) && !offered.body.contains("PRIVATE KEY"), "\(offered.body)")

        // A renewed certificate from the same authority, taken on SIGHUP without a restart.
        let before = try await Self.presentedSerial(port: port)
        #expect(before == (try await Self.serial(of: certificate)))
        _ = try await Self.tlsInit(tls, names: ["kiosk.venue.test"])
        #expect(try String(contentsOf: ca, encoding: .utf8) == caText, "the authority is kept")
        let renewed = try await Self.serial(of: certificate)
        #expect(renewed != before)
        kill(server.process.processIdentifier, SIGHUP)
        try await Self.waitFor(server, "reloaded the TLS certificate")
        #expect(try await Self.presentedSerial(port: port) == renewed)

        // A key that cannot be used is logged, and the certificate in use kept.
        try Data("not a key\n".utf8).write(to: key)
        kill(server.process.processIdentifier, SIGHUP)
        try await Self.waitFor(server, "kept the TLS certificate in use")
        #expect(try await Self.presentedSerial(port: port) == renewed)
        #expect(try await Self.curl("https://localhost:\(port)/healthz", ["--cacert", ca.path]).body.contains("ok"))
        #expect(server.terminate() == 0, "\(server.stderr)")
    }

    /// The authority's key signs for no names but local ones and those it was made for: a
    /// certificate for another site made with it fails verification, and `tls init` will not
    /// issue one.
    @Test func theAuthorityCanSignOnlyForLocalNamesAndTheNamesItWasMadeFor() async throws {
        let folder = try Clips.temporaryFolder()
        defer { try? FileManager.default.removeItem(at: folder) }
        let tls = folder.appendingPathComponent("tls")
        _ = try await Self.tlsInit(tls, names: ["kiosk.venue.test"])
        let ca = tls.appendingPathComponent("ca.crt").path
        let text = try await Self.run("/usr/bin/openssl", ["x509", "-in", ca, "-noout", "-text"]).output
        #expect(text.contains("Name Constraints: critical") && text.contains("DNS:kiosk.venue.test") && text.contains("DNS:local"))

        // A certificate for a public site, signed with the authority's key by hand.
        let (key, request, forged) = (folder.appendingPathComponent("f.key").path, folder.appendingPathComponent("f.csr").path,
                                      folder.appendingPathComponent("f.crt").path)
        #expect(try await Self.run("/usr/bin/openssl", ["req", "-new", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:prime256v1",
                                                  "-nodes", "-keyout", key, "-subj", "/CN=bank.example.com",
                                                  "-addext", "subjectAltName=DNS:bank.example.com", "-out", request]).status == 0)
        #expect(try await Self.run("/usr/bin/openssl", ["x509", "-req", "-in", request, "-CA", ca, "-CAkey", tls.appendingPathComponent("ca.key").path,
                                                  "-set_serial", "7", "-copy_extensions", "copy", "-days", "30", "-out", forged]).status == 0)
        let verdict = try await Self.run("/usr/bin/openssl", ["verify", "-CAfile", ca, forged])
        #expect(verdict.status != 0 && (verdict.output + verdict.errors).contains("permitted subtree violation"), "\(verdict)")

        // Asked for a name outside, tls init refuses and keeps what it made.
        let before = try await Self.serial(of: tls.appendingPathComponent("server.crt"))
        let refused = try await Self.run(TestData.snaprateExecutable.path, ["tls", "init", "--dir", tls.path, "--name", "bank.example.com"])
        #expect(refused.status == 1 && refused.errors.contains("may not sign for bank.example.com"), "\(refused.errors)")
        #expect(try await Self.serial(of: tls.appendingPathComponent("server.crt")) == before)
        // A new address needs no new authority.
        #expect(try await Self.run(TestData.snaprateExecutable.path, ["tls", "init", "--dir", tls.path, "--address", "10.20.30.40"]).status == 0)
        #expect(try await Self.run("/usr/bin/openssl", ["verify", "-CAfile", ca, tls.appendingPathComponent("server.crt").path]).status == 0)
    }

    @Test func certificatesThatCannotBeUsedStopServeWithOneLine() async throws {
        let folder = try Clips.temporaryFolder()
        defer { try? FileManager.default.removeItem(at: folder) }
        let (first, second) = (folder.appendingPathComponent("a"), folder.appendingPathComponent("b"))
        _ = try await Self.tlsInit(first)
        _ = try await Self.tlsInit(second)
        let cases: [([String], String)] = [
            (["--tls-cert", first.appendingPathComponent("server.crt").path, "--tls-key", second.appendingPathComponent("server.key").path],
             "does not belong to the certificate"),
            (["--tls-dir", folder.appendingPathComponent("missing").path], "cannot read the certificate"),
            (["--tls-cert", first.appendingPathComponent("server.key").path, "--tls-key", first.appendingPathComponent("server.key").path],
             "cannot be used"),
            (["--tls-cert", first.appendingPathComponent("server.crt").path], "give --tls-dir, or --tls-cert and --tls-key together"),
        ]
        for (arguments, message) in cases {
            let (status, stderr) = try await offPool { try ServeProcess.refusedStart(arguments) }
            #expect(status == 2 && stderr.contains(message), "\(arguments): \(stderr)")
            #expect(stderr.split(separator: "\n").count == 1, "\(stderr)")
        }
    }

    @Test func theAuthorityOfferedIsItsCertificatesOnlyWhateverTheFileHolds() async throws {
        let folder = try Clips.temporaryFolder()
        defer { try? FileManager.default.removeItem(at: folder) }
        let tls = folder.appendingPathComponent("tls")
        _ = try await Self.tlsInit(tls)
        // An authority file with its key pasted in by mistake.
        let careless = folder.appendingPathComponent("careless.pem")
        try Data((try String(contentsOf: tls.appendingPathComponent("ca.crt"), encoding: .utf8)
            + String(contentsOf: tls.appendingPathComponent("ca.key"), encoding: .utf8)).utf8).write(to: careless)
        let server = try ServeProcess(store: folder.appendingPathComponent("ca.sqlite").path,
                                      arguments: ["--tls-dir", tls.path, "--tls-ca", careless.path])
        let offered = try await Self.curl("https://localhost:\(server.port)/ca.crt", ["--cacert", tls.appendingPathComponent("ca.crt").path])
        #expect(offered.body.contains("BEGIN CERTIFICATE") && !offered.body.contains("KEY"), "\(offered.body)")
        #expect(server.terminate() == 0)

        // Without an authority there is nothing to offer.
        let plain = try ServeProcess(store: folder.appendingPathComponent("plain.sqlite").path)
        #expect(try await HTTP.get("\(plain.baseURL)/ca.crt").status == 404)
        #expect(plain.terminate() == 0)
    }

    static func waitFor(_ server: ServeProcess, _ text: String) async throws {
        while !server.stderr.contains(text) {
            guard server.process.isRunning else { throw MissingTestData(description: "serve ended: \(server.stderr)") }
            try await Task.sleep(for: .milliseconds(100))
        }
    }
}
