import Foundation
import SnapRateCore
import Testing

@Suite struct KioskIDTests {
    @Test(arguments: ["a", "kiosk-01_B", String(repeating: "Z", count: 64), "0123456_", "--"])
    func validKioskIDsAreAccepted(_ id: String) {
        #expect(KioskID(id)?.value == id)
    }

    @Test(arguments: ["", String(repeating: "a", count: 65), "a b", "ü", "a/b", "a.b", "a\u{0}", "kiosk?x=1"])
    func invalidKioskIDsAreRefused(_ id: String) {
        #expect(KioskID(id) == nil)
    }

    @Test func aKioskIDDecodesOnlyFromAValidString() throws {
        let decoder = JSONDecoder()
        #expect(try decoder.decode([KioskID].self, from: Data(#"["door-1"]"#.utf8)) == [KioskID("door-1")!])
        #expect(throws: DecodingError.self) { try decoder.decode([KioskID].self, from: Data(#"["a b"]"#.utf8)) }
        #expect(String(decoding: try JSONEncoder().encode([KioskID("door-1")!]), as: UTF8.self) == #"["door-1"]"#)
    }
}
