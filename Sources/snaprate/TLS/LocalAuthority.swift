import Crypto
import Foundation
import SwiftASN1
import X509

/// A certificate authority of the venue's own, for a daemon without a public certificate: it
/// signs the server's certificate, and devices that trust it (once, from `/ca.crt`) trust the
/// server. P-256 ECDSA throughout, which every browser and tablet accepts.
struct LocalAuthority {
    let certificate: Certificate
    let key: P256.Signing.PrivateKey

    /// Names and addresses every authority may sign for: what a venue's machine is reached under
    /// without a public certificate (RFC 6761 and RFC 8375 names, the private address ranges).
    static let localDomains = ["localhost", "local", "test", "internal", "lan", "home.arpa"]
    static let localRanges = ["10.0.0.0/8", "172.16.0.0/12", "192.168.0.0/16", "127.0.0.0/8", "169.254.0.0/16",
                              "100.64.0.0/10", "fc00::/7", "::1/128"]

    /// An authority valid for ten years; it may only sign server certificates (path length 0),
    /// and only for `localDomains`, `localRanges` and the names and addresses given (RFC 5280
    /// name constraints, which browsers check on an authority a user added): whoever takes its key
    /// off the kiosk laptop cannot use it to pass for any other site on the tablets that trust it.
    static func make(name: String, names: [String], addresses: [String], now: Date = Date()) throws -> LocalAuthority {
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
                Critical(NameConstraints(
                    permittedDNSDomains: TLSInitCommand.unique(localDomains + names),
                    permittedIPRanges: (localRanges + addresses.filter { !permits(address: $0, in: localRanges) })
                        .compactMap(range)))
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
            guard let bytes = Self.addressBytes(address) else { continue }
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

    /// What the authority's name constraints leave out of `names` and `addresses`; empty for an
    /// authority without constraints.
    func unpermitted(names: [String], addresses: [String]) throws -> [String] {
        guard let constraints = try certificate.extensions.nameConstraints else { return [] }
        let domains = constraints.permittedDNSDomains.map { $0.lowercased() }
        let ranges = constraints.permittedIPRanges.map { Array($0.bytes) }
        let outsideNames = names.filter { name in !domains.contains { name == $0 || name.hasSuffix("." + $0) } }
        let outsideAddresses = addresses.filter { address in
            guard let bytes = Self.addressBytes(address) else { return true }
            return !ranges.contains { Self.contains($0, bytes) }
        }
        return outsideNames + outsideAddresses
    }

    /// `ADDRESS/BITS` as a name constraint's address and mask.
    static func range(_ text: String) -> ASN1OctetString? {
        let parts = text.split(separator: "/")
        let address = String(parts[0])
        guard let bytes = addressBytes(address) else { return nil }
        let bits = parts.count == 2 ? Int(parts[1]) ?? bytes.count * 8 : bytes.count * 8
        let mask = (0..<bytes.count).map { index -> UInt8 in
            let left = max(0, min(8, bits - index * 8))
            return left == 0 ? 0 : UInt8(truncatingIfNeeded: 0xFF << (8 - left))
        }
        return ASN1OctetString(contentBytes: ArraySlice(zip(bytes, mask).map { $0 & $1 } + mask))
    }

    static func permits(address: String, in ranges: [String]) -> Bool {
        guard let bytes = addressBytes(address) else { return false }
        return ranges.compactMap(range).contains { contains(Array($0.bytes), bytes) }
    }

    /// Whether a constraint's address and mask hold `address` (of the same family).
    static func contains(_ range: [UInt8], _ address: [UInt8]) -> Bool {
        guard range.count == address.count * 2 else { return false }
        let (network, mask) = (range.prefix(address.count), range.suffix(address.count))
        return zip(zip(network, mask), address).allSatisfy { pair, byte in byte & pair.1 == pair.0 }
    }

    /// The network-order bytes of an IPv4 or IPv6 address.
    static func addressBytes(_ text: String) -> [UInt8]? {
        var v4 = in_addr()
        if inet_pton(AF_INET, text, &v4) == 1 { return withUnsafeBytes(of: &v4) { Array($0) } }
        var v6 = in6_addr()
        if inet_pton(AF_INET6, text, &v6) == 1 { return withUnsafeBytes(of: &v6) { Array($0) } }
        return nil
    }
}

struct TLSInitError: Error, CustomStringConvertible {
    let description: String
}
