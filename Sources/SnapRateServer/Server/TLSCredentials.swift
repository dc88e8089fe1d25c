import Foundation
import NIOConcurrencyHelpers
import NIOSSL
import X509

/// Where `serve` finds its certificate: a PEM chain (the server's first), its PEM key and, for
/// `GET /ca.crt`, the certificate of a local authority that signed it (`snaprate tls init`).
public struct TLSFiles: Sendable, Equatable {
    public var certificateChain: String
    public var privateKey: String
    public var authority: String?

    public init(certificateChain: String, privateKey: String, authority: String? = nil) {
        self.certificateChain = certificateChain
        self.privateKey = privateKey
        self.authority = authority
    }

    /// The pair `snaprate tls init --dir` writes, with its authority.
    public init(directory: String) {
        let folder = URL(fileURLWithPath: directory, isDirectory: true)
        self.init(certificateChain: folder.appendingPathComponent("server.crt").path,
                  privateKey: folder.appendingPathComponent("server.key").path,
                  authority: folder.appendingPathComponent("ca.crt").path)
    }
}

/// The server's TLS context, its certificate's names and the authority it serves, read from
/// `TLSFiles` at start and again on `reload()` (SIGHUP): a renewed certificate needs no restart.
/// Each new connection takes the context current when it arrives; open ones keep theirs.
public final class TLSCredentials: Sendable {
    struct Loaded: Sendable {
        let context: NIOSSLContext
        /// The DNS names of the server certificate: names this server is reached under.
        let names: [String]
        /// The authority's certificates, PEM, certificates only whatever else the file holds.
        let authorityPEM: String?
    }

    public let files: TLSFiles
    private let loaded: NIOLockedValueBox<Loaded>

    /// - Throws: `TLSCredentialsError`, one line naming the file.
    public init(files: TLSFiles) throws {
        self.files = files
        self.loaded = NIOLockedValueBox(try Self.load(files))
    }

    var context: NIOSSLContext { loaded.withLockedValue { $0.context } }
    var names: [String] { loaded.withLockedValue { $0.names } }
    var authorityPEM: String? { loaded.withLockedValue { $0.authorityPEM } }

    /// Reads the files again; on failure the current credentials stay and the error is thrown.
    public func reload() throws {
        let fresh = try Self.load(files)
        loaded.withLockedValue { $0 = fresh }
    }

    private static func load(_ files: TLSFiles) throws -> Loaded {
        let chainText = try read(files.certificateChain, what: "certificate")
        let chain: [NIOSSLCertificate]
        let leaf: Certificate
        do {
            chain = try NIOSSLCertificate.fromPEMBytes(Array(chainText.utf8))
            guard !chain.isEmpty else { throw TLSCredentialsError(description: "no certificate in it") }
            leaf = try Certificate(derEncoded: chain[0].toDERBytes())
        } catch {
            throw TLSCredentialsError(description: "the certificate \(files.certificateChain) cannot be used: \(reason(error))")
        }
        let key: NIOSSLPrivateKey
        do {
            key = try NIOSSLPrivateKey(bytes: Array(try read(files.privateKey, what: "key").utf8), format: .pem)
        } catch let error as TLSCredentialsError {
            throw error
        } catch {
            throw TLSCredentialsError(description: "the key \(files.privateKey) cannot be used: \(reason(error))")
        }
        var configuration = TLSConfiguration.makeServerConfiguration(
            certificateChain: chain.map { .certificate($0) }, privateKey: .privateKey(key))
        configuration.applicationProtocols = ["http/1.1"]
        let context: NIOSSLContext
        do {
            context = try NIOSSLContext(configuration: configuration)
        } catch {
            throw TLSCredentialsError(description: "the key \(files.privateKey) does not belong to the certificate "
                + "\(files.certificateChain) (\(reason(error)))")
        }
        let names = (try? leaf.extensions.subjectAlternativeNames)??.compactMap { name -> String? in
            if case .dnsName(let dns) = name { return dns.lowercased() }
            return nil
        } ?? []
        var authorityPEM: String?
        if let path = files.authority, FileManager.default.fileExists(atPath: path) {
            let text = try read(path, what: "authority certificate")
            // Written afresh from the parsed certificates: whatever else the file holds (a key
            // pasted in by mistake) is never served.
            let certificates = try? Self.certificateBlocks(in: text).map {
                try Certificate(pemEncoded: $0).serializeAsPEM().pemString
            }
            guard let certificates, !certificates.isEmpty else {
                throw TLSCredentialsError(description: "the authority certificate \(path) holds no PEM certificate")
            }
            authorityPEM = certificates.joined(separator: "\n") + "\n"
        }
        return Loaded(context: context, names: names, authorityPEM: authorityPEM)
    }

    /// The PEM blocks labelled CERTIFICATE, each whole; nothing else of the text.
    static func certificateBlocks(in text: String) -> [String] {
        let (begin, end) = ("-----BEGIN CERTIFICATE-----", "-----END CERTIFICATE-----")
        var blocks: [String] = []
        var rest = text[...]
        while let start = rest.range(of: begin), let stop = rest.range(of: end, range: start.upperBound..<rest.endIndex) {
            blocks.append(String(rest[start.lowerBound..<stop.upperBound]))
            rest = rest[stop.upperBound...]
        }
        return blocks
    }

    private static func read(_ path: String, what: String) throws -> String {
        do {
            return try String(contentsOfFile: path, encoding: .utf8)
        } catch {
            throw TLSCredentialsError(description: "cannot read the \(what) \(path): \(reason(error))")
        }
    }

    private static func reason(_ error: any Error) -> String {
        if let error = error as? TLSCredentialsError { return error.description }
        if let error = error as? CocoaError, let underlying = error.userInfo[NSUnderlyingErrorKey] as? NSError {
            return underlying.localizedDescription
        }
        return "\(error)"
    }
}

/// A certificate or key that cannot be used, in one line naming the file.
public struct TLSCredentialsError: Error, CustomStringConvertible {
    public let description: String
}
