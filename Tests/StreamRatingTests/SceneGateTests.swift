import HandEngine
import MediaIngest
@testable import StreamRating
import Testing

/// The scene gate on pictures made here: what counts as a change, and when a still or changing
/// scene is searched.
@Suite struct SceneGateTests {
    /// A 640x480 luma plane of `level`, with the square at (`x`, `y`) of `side` pixels at `spot`.
    static func thumbnail(level: UInt8, spot: (x: Int, y: Int, side: Int, level: UInt8)? = nil) -> SceneThumbnail {
        var plane = [UInt8](repeating: level, count: 640 * 480)
        if let spot {
            for y in spot.y..<(spot.y + spot.side) {
                for x in spot.x..<(spot.x + spot.side) { plane[y * 640 + x] = spot.level }
            }
        }
        return plane.withUnsafeBufferPointer { SceneThumbnail(luma: LumaPlane(base: $0.baseAddress!, width: 640, height: 480, rowBytes: 640)) }
    }

    @Test func aGridOfFortyCellsAcrossAtAnySize() {
        let small = [UInt8](repeating: 9, count: 160 * 120)
        let thumbnail = small.withUnsafeBufferPointer { SceneThumbnail(luma: LumaPlane(base: $0.baseAddress!, width: 160, height: 120, rowBytes: 160)) }
        #expect(thumbnail.columns == 40 && thumbnail.rows == 30 && thumbnail.means.allSatisfy { $0 == 9 })
        let wide = Self.thumbnail(level: 100)
        #expect(wide.columns == 40 && wide.rows == 30)
    }

    @Test func theLumaOfAnRGBPictureIsTheLumaPlanes() {
        let gray = RGBImage(width: 640, height: 480, pixels: [UInt8](repeating: 120, count: 640 * 480 * 3))
        #expect(SceneThumbnail(picture: gray) == Self.thumbnail(level: 120))
    }

    @Test func aSmallThingAppearingIsAChangeAndTheWholePictureBrighteningIsNot() {
        let empty = Self.thumbnail(level: 100)
        // A hand of 40 pixels, three metres away: it covers parts of a few cells.
        let hand = Self.thumbnail(level: 100, spot: (x: 300, y: 200, side: 40, level: 160))
        #expect(hand.changedCells(since: empty, threshold: 6) >= 2)
        // Exposure: every cell 20 levels brighter is no change at all.
        #expect(Self.thumbnail(level: 120).changedCells(since: empty, threshold: 6) == 0)
        // Nor is a change of a few levels in one spot (noise, compression).
        #expect(Self.thumbnail(level: 100, spot: (x: 300, y: 200, side: 40, level: 104)).changedCells(since: empty, threshold: 6) == 0)
    }

    @Test func aStillSceneIsSearchedFirstThenGlancedAtOnceAHeartbeat() {
        var gate = SceneGate()
        let still = Self.thumbnail(level: 80)
        var decisions: [(Double, SceneGate.Decision)] = []
        for frame in 0..<300 {
            let time = Double(frame) / 30
            let decision = gate.decide(still, at: time, tracking: false)
            if decision != .skip { decisions.append((time, decision)) }
        }
        // The first picture, then a glance every 4 s.
        #expect(decisions.filter { $0.1 == .search }.map(\.0) == [0])
        #expect(decisions.filter { $0.1 == .glance }.map { ($0.0 * 10).rounded() / 10 } == [4.0, 8.0])
    }

    @Test func aStreamBehindRealTimePutsOffItsGlanceButNotAChange() {
        var gate = SceneGate()
        let still = Self.thumbnail(level: 80)
        _ = gate.decide(still, at: 0, tracking: false)
        // Behind from 3.5 s to 5 s: the glance due at 4 s waits, then comes on the first picture after.
        let glances = (1..<210).filter { frame in
            let time = Double(frame) / 30
            return gate.decide(still, at: time, tracking: false, behind: time >= 3.5 && time < 5) == .glance
        }
        #expect(glances == [150])
        // A change is searched at once, behind or not.
        let visitor = Self.thumbnail(level: 80, spot: (x: 100, y: 100, side: 120, level: 200))
        #expect(gate.decide(visitor, at: 7.1, tracking: false, behind: true) == .search)
    }

    @Test func aChangeIsSearchedAtOnceThenOnEveryPictureUntilTheSceneSettles() {
        var gate = SceneGate()
        let empty = Self.thumbnail(level: 80), visitor = Self.thumbnail(level: 80, spot: (x: 100, y: 100, side: 120, level: 200))
        for frame in 0..<150 { _ = gate.decide(empty, at: Double(frame) / 30, tracking: false) }
        // The visitor comes at 5 s and stays still: every picture of the next second is searched.
        let searched = (150..<300).filter { gate.decide(visitor, at: Double($0) / 30, tracking: false) == .search }
        #expect(searched == Array(150..<180))
    }

    @Test func aPacedGateSearchesAChangingSceneAtItsInterval() {
        var configuration = SceneGate.Configuration()
        configuration.searchInterval = 0.1
        var gate = SceneGate(configuration: configuration)
        let empty = Self.thumbnail(level: 80), visitor = Self.thumbnail(level: 80, spot: (x: 100, y: 100, side: 120, level: 200))
        for frame in 0..<150 { _ = gate.decide(empty, at: Double(frame) / 30, tracking: false) }
        // The visitor comes at 5 s, long after the last search, and stays still.
        var searched: [Double] = []
        for frame in 150..<300 {
            let time = Double(frame) / 30
            if gate.decide(visitor, at: time, tracking: false) == .search { searched.append((time * 10).rounded() / 10) }
        }
        #expect(searched.first == 5.0)
        // One search in three frames at 30 fps while the change is under a second old.
        #expect(searched == stride(from: 5.0, to: 6.0, by: 0.1).map { ($0 * 10).rounded() / 10 })
    }

    @Test func aTrackedHandIsSearchedOnEveryPicture() {
        var gate = SceneGate()
        let still = Self.thumbnail(level: 80)
        let decisions = (0..<60).map { gate.decide(still, at: Double($0) / 30, tracking: true) }
        #expect(decisions.allSatisfy { $0 == .search })
    }

    @Test func aPictureWithoutLumaOrOfNoCellsIsAlwaysSearched() {
        var gate = SceneGate()
        let tiny = [UInt8](repeating: 1, count: 3 * 3)
        let none = tiny.withUnsafeBufferPointer { SceneThumbnail(luma: LumaPlane(base: $0.baseAddress!, width: 3, height: 3, rowBytes: 3)) }
        #expect(none.means.isEmpty)
        #expect((0..<30).allSatisfy { gate.decide(none, at: Double($0) / 30, tracking: false) == .search })
        #expect((30..<60).allSatisfy { gate.decide(nil, at: Double($0) / 30, tracking: false) == .search })
    }
}
