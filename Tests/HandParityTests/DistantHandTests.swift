import Foundation
import HandEngine
import Logging
import Testing
import TestSupport

extension ParityRuns {
    /// A visitor two to three metres from the camera: thumb photos fitted to 640x480 and shrunk to a
    /// third, each shown as a still video. The zoomed-in palm search finds hands the whole-picture search
    /// alone does not, and invents none in an empty frame.
    @Suite(.timeLimit(.minutes(15)), .enabled(if: ParityEnvironment.shouldRun, ParityEnvironment.skipReason))
    struct DistantHandTests {
        /// How many of `pictures` show a hand within `frames` frames of video.
        private func found(_ pictures: [RGBImage], options: HandTrackerOptions, frames: Int) throws -> Int {
            try pictures.filter { picture in
                let tracker = try HandTracker(variant: .lite, options: options, logger: Logger(label: "distant"))
                return (0..<frames).contains { !tracker.process(picture, time: Double($0) / 30).isEmpty }
            }.count
        }

        @Test func theZoomedInSearchFindsDistantHands() throws {
            let gestures = try TestData.requireGestures()
            let folder = gestures.appendingPathComponent("images")
            // Every third thumb photo, in name order.
            let names = try ["up", "down"].flatMap { label in
                try FileManager.default.contentsOfDirectory(atPath: folder.appendingPathComponent(label).path).sorted().map { "\(label)/\($0)" }
            }.enumerated().filter { $0.offset % 3 == 0 }.map(\.element)
            let distant = try names.map { Self.shrunk(try PhotoLoader.load(folder.appendingPathComponent($0)), by: 3) }
            var wholePictureOnly = HandTrackerOptions.video
            wholePictureOnly.zoomInSide = nil
            wholePictureOnly.rescue = nil
            var zoomOnly = HandTrackerOptions.video
            zoomOnly.rescue = nil
            // Twelve frames: the whole picture six times, and each of the six half-size squares once.
            let plain = try found(distant, options: wholePictureOnly, frames: 12)
            let zoomed = try found(distant, options: zoomOnly, frames: 12)
            print("distant hands found in 12 frames: whole picture \(plain)/\(distant.count), with zoomed-in squares \(zoomed)/\(distant.count)")
            #expect(zoomed > plain)
            #expect(zoomed * 10 >= distant.count * 9)
            let empty = RGBImage(width: 640, height: 480, pixels: [UInt8](repeating: 90, count: 640 * 480 * 3))
            #expect(try found([empty], options: .video, frames: 24) == 0)
        }

        @Test func zoomedInSquaresCoverThePicture() {
            let image = RGBImage(width: 640, height: 480, pixels: [UInt8](repeating: 0, count: 640 * 480 * 3))
            let squares = ZoomInSquares.squares(for: image, side: 0.5)
            #expect(squares.count == 6)
            #expect(squares.allSatisfy { $0.width == 320 && $0.height == 320 })
            // Every point of the picture lies at least a quarter side inside some square.
            for y in stride(from: Float(0), through: 480, by: 20) {
                for x in stride(from: Float(0), through: 640, by: 20) {
                    let inside = squares.contains { square in
                        let dx = abs(x - square.centerX), dy = abs(y - square.centerY)
                        let margin = min(square.width / 2 - dx, square.height / 2 - dy)
                        return margin >= 80 || (margin >= 0 && (x < 80 || y < 80 || x > 560 || y > 400))
                    }
                    #expect(inside, "(\(x), \(y))")
                }
            }
            #expect(ZoomInSquares.squares(for: image, side: 1).isEmpty)
        }

        /// The picture fitted into 640x480, shrunk to 1/factor and centred on black.
        static func shrunk(_ image: RGBImage, by factor: Int) -> RGBImage {
            let scale = min(640 / Float(image.width), 480 / Float(image.height)) / Float(factor)
            let width = Int(Float(image.width) * scale), height = Int(Float(image.height) * scale)
            let left = (640 - width) / 2, top = (480 - height) / 2
            var pixels = [UInt8](repeating: 0, count: 640 * 480 * 3)
            for y in 0..<height {
                for x in 0..<width {
                    // Box average over the source pixels this one covers.
                    let x0 = Int(Float(x) / scale), x1 = max(x0 + 1, Int(Float(x + 1) / scale))
                    let y0 = Int(Float(y) / scale), y1 = max(y0 + 1, Int(Float(y + 1) / scale))
                    for channel in 0..<3 {
                        var sum = 0, count = 0
                        for sy in y0..<min(y1, image.height) {
                            for sx in x0..<min(x1, image.width) {
                                sum += Int(image.pixels[(sy * image.width + sx) * 3 + channel])
                                count += 1
                            }
                        }
                        pixels[((top + y) * 640 + left + x) * 3 + channel] = UInt8(sum / max(count, 1))
                    }
                }
            }
            return RGBImage(width: 640, height: 480, pixels: pixels)
        }
    }
}
