import Crypto
import Foundation
import SnapRateServer
import SwiftASN1
import X509

/// A certificate authority of the venue's own, for a daemon without a public certificate: it
/// signs the server's certificate, and devices that trust it (once, from `/ca.crt`) trust the
/// server. P-256 ECDSA throughout, which every browser and tablet accepts.
struct LocalAuthority {
    let certificate: Certificate
    let key: P256.Signing.PrivateKey

    /// Names every authority may sign for: what a venue's machine is reached under without a
    /// public certificate (RFC 6761 and RFC 8375 names).
    static let localDomains = ["localhost", "local", "test", "internal", "lan", "home.arpa"]

    /// An authority valid for ten years; it may only sign server certificates (path length 0),
    /// and for DNS names only `localDomains` and the names given (RFC 5280 name constraints, which
    /// browsers check on an authority a user added): whoever takes its key off the kiosk laptop
    /// cannot use it to pass for any named site on the tablets that trust it.
    ///
    /// Addresses are left unconstrained: BoringSSL's certificate verifier (NIOSSL's, so
    /// `loadtest`'s and any Swift client's) refuses every certificate with an address in it whose
    /// authority constrains addresses, however the ranges are written.
    static func make(name: String, names: [String], now: Date = Date()) throws -> LocalAuthority {
        let key = P256.Signing.PrivateKey()
        let subject = try DistinguishedName {
            OrganizationName("SnapRate")
            CommonName(name)
        }
        let publicKey = Certificate.PublicKey(key.publicKey)
        let certificate = try Certificate(
            version: .v3, serialNumber: Certificate.SerialNumber(), publicKey: publicKey,
            notValidBefore: now.addingTimeInterval(-3600), notValidAfter: now.addingTimeInterval(10 * 365 * 86_400),
            issuer: subject, subject: subject, signatureAlgorithm: .ecdsaWithSHA256,
            extensions: try Certificate.Extensions {
                Critical(BasicConstraints.isCertificateAuthority(maxPathLength: 0))
                Critical(KeyUsage(keyCertSign: true, cRLSign: true))
                SubjectKeyIdentifier(hash: publicKey)
                Critical(NameConstraints(permittedDNSDomains: TLSInitCommand.unique(localDomains + names)))
            },
            issuerPrivateKey: Certificate.PrivateKey(key))
        return LocalAuthority(certificate: certificate, key: key)
    }

    /// The authority written before in `certificate` and `key` (PEM).
    static func load(certificate: URL, key: URL) throws -> LocalAuthority {
        let loaded = try Certificate(pemEncoded: String(contentsOf: certificate, encoding: .utf8))
        let privateKey = try P256.Signing.PrivateKey(pemRepresentation: String(contentsOf: key, encoding: .utf8))
        guard loaded.publicKey == Certificate.PublicKey(privateKey.publicKey) else {
            throw TLSInitError(description: "\(key.path) is not the key of \(certificate.path)")
        }
        return LocalAuthority(certificate: loaded, key: privateKey)
    }

    /// A server certificate for `names` (DNS names) and `addresses` (IPv4 or IPv6), and its key.
    ///
    /// 397 days at most, with the server-authentication usage and every name in the subject's
    /// alternative names: what Apple's platforms require of any TLS server certificate, trusted
    /// root or not, and what Chrome requires too.
    func issueServerCertificate(names: [String], addresses: [String], now: Date = Date()) throws
        -> (certificate: Certificate, key: P256.Signing.PrivateKey) {
        let key = P256.Signing.PrivateKey()
        let publicKey = Certificate.PublicKey(key.publicKey)
        let subject = try DistinguishedName {
            OrganizationName("SnapRate")
            CommonName(names.first ?? addresses.first ?? "snaprate")
        }
        var alternatives = names.map { GeneralName.dnsName($0) }
        for address in addresses {
            guard let bytes = ListenAddress.addressBytes(address) else { continue }
            alternatives.append(.ipAddress(ASN1OctetString(contentBytes: ArraySlice(bytes))))
        }
        let authorityKey = try certificate.extensions.subjectKeyIdentifier?.keyIdentifier
        let certificate = try Certificate(
            version: .v3, serialNumber: Certificate.SerialNumber(), publicKey: publicKey,
            notValidBefore: now.addingTimeInterval(-3600), notValidAfter: now.addingTimeInterval(397 * 86_400),
            issuer: self.certificate.subject, subject: subject, signatureAlgorithm: .ecdsaWithSHA256,
            extensions: try Certificate.Extensions {
                Critical(BasicConstraints.notCertificateAuthority)
                Critical(KeyUsage(digitalSignature: true))
                try ExtendedKeyUsage([.serverAuth])
                SubjectAlternativeNames(alternatives)
                SubjectKeyIdentifier(hash: publicKey)
                if let authorityKey { AuthorityKeyIdentifier(keyIdentifier: authorityKey) }
            },
            issuerPrivateKey: Certificate.PrivateKey(self.key))
        return (certificate, key)
    }

    /// What the authority's name constraints leave out of `names`; empty for an authority without
    /// constraints.
    func unpermitted(names: [String]) throws -> [String] {
        guard let constraints = try certificate.extensions.nameConstraints else { return [] }
        let domains = constraints.permittedDNSDomains.map { $0.lowercased() }
        return names.filter { name in !domains.contains { name == $0 || name.hasSuffix("." + $0) } }
    }
}

struct TLSInitError: Error, CustomStringConvertible {
    let description: String
}
