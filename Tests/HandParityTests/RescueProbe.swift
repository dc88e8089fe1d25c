import Foundation
import HandEngine
import Logging
import MediaIngest
import Testing
import TestSupport

// TEMPORARY exploration harness: dumps landmark presence for many candidate ROIs. Not to be kept.
@Suite(.serialized, .enabled(if: ProcessInfo.processInfo.environment["RESCUE_PROBE"] != nil))
struct RescueProbe {
    static func padded(_ image: RGBImage, by pad: Int) -> RGBImage {
        let w = image.width + 2 * pad, h = image.height + 2 * pad
        var pixels = [UInt8](repeating: 0, count: w * h * 3)
        for y in 0..<image.height {
            let src = y * image.width * 3
            let dst = ((y + pad) * w + pad) * 3
            pixels.replaceSubrange(dst..<(dst + image.width * 3), with: image.pixels[src..<(src + image.width * 3)])
        }
        return RGBImage(width: w, height: h, pixels: pixels)
    }

    @Test func probe() throws {
        let env = ProcessInfo.processInfo.environment
        let variant: ModelVariant = env["PROBE_VARIANT"] == "full" ? .full : .lite
        let gestures = try TestData.requireGestures()
        let landmarker = try HandLandmarker(model: ModelDirectory.standard().require(.landmark(variant)), logger: Logger(label: "p"))
        var images: [(String, RGBImage)] = []
        let list = try String(contentsOfFile: env["PROBE_LIST"]!, encoding: .utf8).split(separator: "\n").map(String.init)
        for name in list where !name.isEmpty {
            images.append((name, try PhotoLoader.load(gestures.appendingPathComponent("images/\(name)"))))
        }
        if let video = env["PROBE_VIDEO"] {
            let decoder = try MediaDecoder(file: video, options: DecodeOptions(pixelFormat: .rgb24))
            var index = 0
            let step = Int(env["PROBE_VIDEO_STEP"] ?? "10")!
            while let frame = try decoder.nextFrame() {
                if index % step == 0 {
                    images.append(("video/\(index)", RGBImage(width: frame.width, height: frame.height, pixels: frame.pixels)))
                }
                index += 1
            }
        }
        let sides: [Float] = (env["PROBE_SIDES"] ?? "0.5,0.7,0.85,1,1.25").split(separator: ",").map { Float(String($0))! }
        let centres: [Float] = (env["PROBE_CENTRES"] ?? "0.15,0.3,0.5,0.7,0.85").split(separator: ",").map { Float(String($0))! }
        let rotations: [Float] = [0, .pi / 2, -.pi / 2, .pi]
        let borders = (env["PROBE_BORDERS"] ?? "replicate,zero").split(separator: ",").map(String.init)
        let out = FileHandle(forWritingAtPath: env["PROBE_OUT"]!)!
        for (name, original) in images {
            for border in borders {
                let pad = border == "zero" ? original.largerSide : 0
                let image = pad > 0 ? Self.padded(original, by: pad) : original
                let W = Float(image.width), H = Float(image.height)
                let ox = Float(pad), oy = Float(pad)
                for side in sides {
                    for cy in centres {
                        for cx in centres {
                            for rotation in rotations {
                                let s = side * Float(original.largerSide)
                                let roi = HandROI(xCenter: (ox + cx * Float(original.width)) / W,
                                                  yCenter: (oy + cy * Float(original.height)) / H,
                                                  width: s / W, height: s / H, rotation: rotation)
                                var hand = landmarker.landmarks(in: image, roi: roi)
                                var scores = [hand.score]
                                if hand.score > 0.2 {
                                    for _ in 0..<3 {
                                        let next = HandROI.fromLandmarks(hand.landmarks, imageWidth: image.width, imageHeight: image.height)
                                        hand = landmarker.landmarks(in: image, roi: next)
                                        scores.append(hand.score)
                                    }
                                }
                                // landmarks back in original normalised coordinates
                                let lms = hand.landmarks.map { [($0.x * W - ox) / Float(original.width), ($0.y * H - oy) / Float(original.height)] }
                                let r = hand.roi
                                let rec: [String: Any] = [
                                    "image": name, "w": original.width, "h": original.height, "border": border,
                                    "side": side, "cx": cx, "cy": cy, "rot": rotation, "scores": scores,
                                    "lm": scores.count > 1 ? lms : [],
                                    "roi": [(r.xCenter * W - ox) / Float(original.width), (r.yCenter * H - oy) / Float(original.height),
                                            r.width * W / Float(original.largerSide), r.rotation],
                                ]
                                let data = try JSONSerialization.data(withJSONObject: rec)
                                out.write(data)
                                out.write("\n".data(using: .utf8)!)
                            }
                        }
                    }
                }
            }
        }
        try out.close()
    }
}
