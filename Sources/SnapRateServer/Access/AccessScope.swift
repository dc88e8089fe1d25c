/// What a token lets its holder do. Each protected route asks for one scope; a token holds any of them.
public enum AccessScope: String, Sendable, CaseIterable {
    /// Stream a camera to `WS /ingest/{kiosk}`: what a kiosk needs.
    case ingest
    /// Follow ratings live on `WS /ws`.
    case subscribe
    /// Read the API (`/api/...`, the CSV export) and `/metrics`: what organisers and their tools need.
    case admin

    /// One bit per scope, so matching a token collects scopes without branching on the secret.
    var bit: UInt8 {
        switch self {
        case .ingest: 1
        case .subscribe: 2
        case .admin: 4
        }
    }

    /// The scopes whose bits are set, in declaration order.
    static func scopes(in bits: UInt8) -> [AccessScope] {
        allCases.filter { bits & $0.bit != 0 }
    }
}
