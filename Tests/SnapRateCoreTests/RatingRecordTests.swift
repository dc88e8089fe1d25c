import Foundation
import SnapRateCore
import Testing

@Suite struct RatingRecordTests {
    let record = RatingRecord(
        event: "expo, \"north\" hall", kiosk: KioskID("door-1")!, session: UUID(uuidString: "6C1A9E0B-54C2-4E0A-9B6F-0D3B1E2A4C5D")!,
        rating: .down, confidence: 0.8125, mediaTime: 3.366, wallTime: Date(timeIntervalSince1970: 1_800_000_123.25),
        latencyMilliseconds: 17.5, model: "lite")

    @Test func jsonCarriesEveryFieldAndTheSequenceOnlyOnceStored() throws {
        let encoder = JSONEncoder()
        encoder.outputFormatting = .sortedKeys
        let detected = try JSONSerialization.jsonObject(with: encoder.encode(record.jsonFields)) as? [String: Any]
        #expect(detected?["seq"] == nil)
        #expect(detected?["kiosk"] as? String == "door-1")
        #expect(detected?["session"] as? String == "6c1a9e0b-54c2-4e0a-9b6f-0d3b1e2a4c5d")
        #expect(detected?["rating"] as? String == "down")
        #expect(detected?["at"] as? String == "2027-01-15T08:02:03.250Z")
        let stored = try JSONSerialization.jsonObject(with: encoder.encode(record.stored(as: 42).jsonFields)) as? [String: Any]
        #expect(stored?["seq"] as? Int == 42)
        #expect(try JSONDecoder().decode(RatingRecord.JSONFields.self, from: encoder.encode(record.jsonFields)) == record.jsonFields)
    }

    @Test func csvQuotesFreeTextAndFollowsTheHeader() {
        let row = record.stored(as: 7).csvRow
        #expect(row.hasPrefix(#"7,"expo, ""north"" hall",door-1,6c1a9e0b-"#))
        #expect(row.hasSuffix(",down,0.8125,3.366,2027-01-15T08:02:03.250Z,17.5,lite"))
        #expect(RatingRecord.csvHeader.split(separator: ",").count == 10)
    }
}
