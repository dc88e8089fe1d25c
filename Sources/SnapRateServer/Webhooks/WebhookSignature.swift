import Crypto
import Foundation

/// The `SnapRate-Signature` header: `t=UNIX_SECONDS,v1=HEX`, HEX being HMAC-SHA256 with the
/// target's secret over `t`, `.` and the exact body bytes, the way Stripe signs its webhooks. The
/// time inside the signed text lets a receiver refuse a request replayed later.
enum WebhookSignature {
    static func header(key: SymmetricKey, timestamp: Int64, body: [UInt8]) -> String {
        var signed = Array("\(timestamp).".utf8)
        signed += body
        let mac = HMAC<SHA256>.authenticationCode(for: signed, using: key)
        return "t=\(timestamp),v1=" + mac.map { String(format: "%02x", $0) }.joined()
    }
}
