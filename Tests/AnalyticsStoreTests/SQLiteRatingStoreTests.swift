import Foundation
import SnapRateCore
import AnalyticsStore
import Testing

@Suite(.timeLimit(.minutes(15))) struct SQLiteRatingStoreTests {
    let folder = FileManager.default.temporaryDirectory.appendingPathComponent("snaprate-store-\(UUID().uuidString)")
    var path: String { folder.appendingPathComponent("ratings.sqlite").path }

    init() throws {
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
    }

    @Test(arguments: StoreConformance.cases) func conformance(_ behaviour: StoreCase) async throws {
        let path = path
        try await behaviour.run { try SQLiteRatingStore(path: path) }
    }
}
