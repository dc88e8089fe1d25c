import ArgumentParser
import Foundation
import HandEngine
import Logging
import MediaIngest

/// `snaprate hands`: the hand pipeline on photos and clips, one JSON line per picture.
struct HandsCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "hands",
        abstract: "Find hands in photos and video frames and print their landmarks, one JSON line per picture.",
        discussion: """
        Each photo or video frame gives one line:

        {"source":...,"time":s,"width":W,"height":H,"hands":[{"score":s,"handedness":"Left"|"Right","landmarks":[[x,y,z],...]}]}

        with 21 landmarks per hand, x and y normalised to the picture's width and height, z MediaPipe's relative depth, \
        score the hand-presence probability and handedness as MediaPipe reports it (it assumes a mirrored picture).

        Photos are unrelated pictures: the palm detector runs on each, and where it finds nothing a wider search \
        (zoomed out, then the whole picture as the hand region) runs unless --mediapipe-only is given. Videos track \
        hands from frame to frame as MediaPipe Hands does. A source that cannot be read gets a line on stderr and \
        exit status 1; the other sources are still processed.
        """
    )

    @OptionGroup var model: ModelOptions

    @Flag(help: "Photos with MediaPipe's semantics only: no extra search where the palm detector finds nothing.")
    var mediapipeOnly = false

    @Argument(help: "Photos (JPEG, PNG) and clips.")
    var paths: [String]

    @OptionGroup var global: GlobalOptions

    func run() async throws {
        Bootstrap.logging(level: global.logLevel)
        let logger = Logger(label: "snaprate.hands")
        let directory = model.directory
        try model.requireFiles()
        let palmDetector = try PalmDetector(model: directory.require(.palm(model.variant)), logger: logger)
        let landmarker = try HandLandmarker(model: directory.require(.landmark(model.variant)), logger: logger)
        // Both trackers share the two models: they run one picture at a time.
        let photos = HandTracker(palmDetector: palmDetector, landmarker: landmarker,
                                 options: mediapipeOnly ? .mediaPipePhoto : .photo, logger: logger)
        let videos = HandTracker(palmDetector: palmDetector, landmarker: landmarker, options: .mediaPipeVideo, logger: logger)

        var failed = 0
        for path in paths {
            do {
                try await process(path: path, photos: photos, videos: videos, logger: logger)
            } catch {
                failed += 1
                Console.error("\(error)")
            }
        }
        if failed > 0 { throw ExitCode(1) }
    }

    private func process(path: String, photos: HandTracker, videos: HandTracker, logger: Logger) async throws {
        let source = try FileDescriptorSource(path: path)
        let options = DecodeOptions(pixelFormat: .rgb24, acceptStillImages: true)
        var tracker = videos
        for try await event in DecodedFrames(source: source, options: options, logger: logger) {
            switch event {
            case .opened(let info):
                tracker = info.isStillImage ? photos : videos
                tracker.reset()
            case .frame(let frame):
                let image = RGBImage(width: frame.width, height: frame.height, pixels: frame.pixels)
                let hands = tracker.process(image)
                Console.out(Self.line(source: path, time: frame.time, image: image, hands: hands))
            case .picture:
                break  // not asked for: the default handover is frames
            case .finished(let counters):
                if let reason = counters.endedEarly {
                    Console.warning("\(path): input ended early (\(reason))")
                }
            }
        }
    }

    static func line(source: String, time: Double, image: RGBImage, hands: [Hand]) -> String {
        var line = JSONLine()
        line.add("source", source)
        line.add("time", time, decimals: 3)
        line.add("width", image.width)
        line.add("height", image.height)
        line.addRaw("hands", "[" + hands.map(handJSON).joined(separator: ",") + "]")
        return line.text
    }

    private static func handJSON(_ hand: Hand) -> String {
        var object = JSONLine()
        object.add("score", Double(hand.score), decimals: 4)
        object.add("handedness", hand.handedness.rawValue)
        let points = hand.landmarks.map { point in
            "[" + [point.x, point.y, point.z].map { JSONLine.number(Double($0), decimals: 5) }.joined(separator: ",") + "]"
        }
        object.addRaw("landmarks", "[" + points.joined(separator: ",") + "]")
        return object.text
    }
}
