import ArgumentParser
import Crypto
import Foundation
import SnapRateServer
import X509

struct TLSCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "tls",
        abstract: "Certificates for serving HTTPS at a venue without a public one.",
        subcommands: [TLSInitCommand.self])
}

struct TLSInitCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "init",
        abstract: "Make a local certificate authority and a server certificate for this machine.",
        discussion: """
        Writes DIR/ca.crt and DIR/ca.key (the authority; the key readable by you only) and DIR/server.crt and DIR/server.key (this machine's certificate, for localhost, this machine's names and addresses, and each --name). Then `snaprate serve --tls-dir DIR` serves HTTPS and offers the authority's certificate at /ca.crt: trust it once on each tablet (see the README) and the kiosk page gets its camera.

        Run it again (with new names, or when the machine's address changed) to issue a new server certificate from the same authority, so devices that trust it need nothing new; send the running daemon SIGHUP to use it.
        """)

    @Option(help: "Folder for the certificates and keys (made if missing).")
    var dir: String

    @Option(name: .customLong("name"), help: ArgumentHelp("Another DNS name the server is reached under (repeatable).",
                                                         valueName: "name"))
    var names: [String] = []

    @Option(name: .customLong("address"), help: ArgumentHelp("Another IP address the server is reached under (repeatable).",
                                                            valueName: "ip"))
    var addresses: [String] = []

    func run() throws {
        for name in names where !Self.isDNSName(name) {
            Console.error("--name \(name.debugDescription) is not a DNS name (letters, digits, - and dots, e.g. kiosk.venue.test)")
            throw ExitCode(2)
        }
        for address in addresses where ListenAddress.addressBytes(address) == nil {
            Console.error("--address \(address.debugDescription) is not an IPv4 or IPv6 address")
            throw ExitCode(2)
        }
        let folder = URL(fileURLWithPath: dir, isDirectory: true)
        let files = (caCertificate: folder.appendingPathComponent("ca.crt"), caKey: folder.appendingPathComponent("ca.key"),
                     certificate: folder.appendingPathComponent("server.crt"), key: folder.appendingPathComponent("server.key"))
        do {
            try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
            let machine = AllowedHosts.machineNames()
            let allNames = Self.unique(names.map { $0.lowercased() } + machine + ["localhost"])
            let allAddresses = Self.unique(["127.0.0.1", "::1"] + Self.machineAddresses() + addresses)

            let authority: LocalAuthority
            let existing = FileManager.default.fileExists(atPath: files.caCertificate.path)
                && FileManager.default.fileExists(atPath: files.caKey.path)
            if existing {
                authority = try LocalAuthority.load(certificate: files.caCertificate, key: files.caKey)
                let outside = try authority.unpermitted(names: allNames)
                guard outside.isEmpty else {
                    throw TLSInitError(description: "the authority in \(folder.path) may not sign for "
                        + "\(outside.joined(separator: " ")) (it was made for other names): move ca.crt and ca.key away to make "
                        + "a new one, which every device must then trust again")
                }
            } else {
                authority = try LocalAuthority.make(name: "SnapRate local authority (\(machine.first ?? "this machine"))",
                                                    names: allNames)
                try Self.write(authority.key.pemRepresentation, to: files.caKey, mode: 0o600)
                try Self.write(authority.certificate.serializeAsPEM().pemString, to: files.caCertificate, mode: 0o644)
            }
            let server = try authority.issueServerCertificate(names: allNames, addresses: allAddresses)
            try Self.write(server.key.pemRepresentation, to: files.key, mode: 0o600)
            try Self.write(server.certificate.serializeAsPEM().pemString, to: files.certificate, mode: 0o644)

            Console.out(existing ? "kept the authority in \(files.caCertificate.path)" : "made an authority: \(files.caCertificate.path)")
            Console.out("server certificate \(files.certificate.path), valid for 397 days, for:")
            Console.out("  " + (allNames + allAddresses).joined(separator: " "))
            Console.out("next: snaprate serve --tls-dir \(folder.path) --host 0.0.0.0 --tokens FILE, "
                + "then trust https://THIS-MACHINE:PORT/ca.crt on each tablet (README: HTTPS for tablets)")
        } catch let error as TLSInitError {
            Console.error("\(error)")
            throw ExitCode(1)
        } catch {
            Console.error("tls init in \(folder.path): \(error)")
            throw ExitCode(1)
        }
    }

    /// Written with its mode from the start: a key is never readable by others, not even briefly.
    static func write(_ text: String, to url: URL, mode: Int) throws {
        try? FileManager.default.removeItem(at: url)
        guard FileManager.default.createFile(atPath: url.path, contents: Data(text.utf8),
                                             attributes: [.posixPermissions: mode]) else {
            throw TLSInitError(description: "cannot write \(url.path)")
        }
    }

    static func isDNSName(_ name: String) -> Bool {
        let labels = name.split(separator: ".", omittingEmptySubsequences: false)
        let allowed = Set("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789-".utf8)
        return name.utf8.count <= 253 && labels.allSatisfy { label in
            (1...63).contains(label.utf8.count) && label.utf8.allSatisfy(allowed.contains) && !label.hasPrefix("-")
                && !label.hasSuffix("-")
        }
    }

    /// This machine's IPv4 and IPv6 addresses other than loopback and link-local: what a tablet
    /// on the same network types.
    static func machineAddresses() -> [String] {
        var first: UnsafeMutablePointer<ifaddrs>?
        guard getifaddrs(&first) == 0 else { return [] }
        defer { freeifaddrs(first) }
        var found: [String] = []
        var next = first
        while let entry = next {
            defer { next = entry.pointee.ifa_next }
            guard let address = entry.pointee.ifa_addr, entry.pointee.ifa_flags & UInt32(IFF_LOOPBACK) == 0 else { continue }
            var host = [CChar](repeating: 0, count: Int(NI_MAXHOST))
            let family = Int32(address.pointee.sa_family)
            guard family == AF_INET || family == AF_INET6 else { continue }
            let length = socklen_t(family == AF_INET ? MemoryLayout<sockaddr_in>.size : MemoryLayout<sockaddr_in6>.size)
            guard getnameinfo(address, length, &host, socklen_t(host.count), nil, 0, NI_NUMERICHOST) == 0 else { continue }
            let text = String(decoding: host.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }, as: UTF8.self)
            if text.hasPrefix("fe80") || text.contains("%") { continue }
            found.append(text)
        }
        return found
    }

    static func unique(_ values: [String]) -> [String] {
        var seen = Set<String>()
        return values.filter { seen.insert($0).inserted }
    }
}
