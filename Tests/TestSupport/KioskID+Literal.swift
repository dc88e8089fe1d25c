import SnapRateCore

/// Kiosk ids written as literals in tests (`kiosk: "door-1"`). Only tests get this: a literal that
/// is not a valid id stops the test, where the daemon's own code must use the failable `init?`.
/// (With it, `KioskID("...")` of a literal is the literal too, per SE-0213: never nil.)
extension KioskID: ExpressibleByStringLiteral {
    public init(stringLiteral value: String) {
        guard let id = KioskID(value) else { preconditionFailure("not a kiosk id: \(value)") }
        self = id
    }
}
