import SnapRateCore

/// Stored ratings as CSV, one row per rating, for spreadsheets.
enum RatingCSV {
    static func document(_ records: [RatingRecord]) -> String {
        ([RatingRecord.csvHeader] + records.map(\.csvRow)).joined(separator: "\n") + "\n"
    }
}
