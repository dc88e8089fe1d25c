import ArgumentParser
import Foundation
import SnapRateCore

/// A data set laid out like `../shared/gestures`: photos in `images/{up,down,none}/`, clips
/// `clips/NAME.webm` each with `clips/NAME.json` holding `expected_ratings`.
struct GestureDataSet {
    struct Photo: Sendable {
        let path: String
        let truth: ThumbClass
        /// Where the photo came from: its file name's prefix before the first `_`. Used only to
        /// group figures and to leave a source out of training, never to classify.
        let source: String
    }

    struct Clip: Sendable {
        let name: String
        let path: String
        let expected: [Rating]
        /// The source of the people in the clip, named like the photos' (`dhar_kiosk_session` is DHAR).
        let source: String
    }

    let photos: [Photo]
    let clips: [Clip]

    private static let photoExtensions: Set<String> = ["jpg", "jpeg", "png", "bmp", "webp"]

    init(root: URL) throws {
        let files = FileManager.default
        var isDirectory: ObjCBool = false
        guard files.fileExists(atPath: root.path, isDirectory: &isDirectory), isDirectory.boolValue else {
            throw ValidationError("\(root.path): not a folder")
        }
        var photos: [Photo] = []
        for label in ThumbClass.allCases {
            let folder = root.appendingPathComponent("images/\(label.rawValue)")
            let names = (try? files.contentsOfDirectory(atPath: folder.path)) ?? []
            for name in names.sorted() where Self.photoExtensions.contains((name as NSString).pathExtension.lowercased()) {
                photos.append(Photo(path: folder.appendingPathComponent(name).path, truth: label, source: Self.source(of: name)))
            }
        }
        var clips: [Clip] = []
        let clipFolder = root.appendingPathComponent("clips")
        let clipNames = (try? files.contentsOfDirectory(atPath: clipFolder.path)) ?? []
        for name in clipNames.sorted() where name.hasSuffix(".webm") {
            let stem = String(name.dropLast(".webm".count))
            let truth = clipFolder.appendingPathComponent(stem + ".json")
            guard let data = files.contents(atPath: truth.path) else { continue }
            let expected = try JSONDecoder().decode(ClipTruth.self, from: data).expectedRatings
            clips.append(Clip(name: stem, path: clipFolder.appendingPathComponent(name).path, expected: expected,
                              source: Self.source(of: stem)))
        }
        guard !photos.isEmpty || !clips.isEmpty else {
            throw ValidationError("\(root.path): no photos in images/{up,down,none}/ and no clips in clips/")
        }
        self.photos = photos
        self.clips = clips
    }

    /// A file name's prefix before its first `_`, in capitals.
    static func source(of name: String) -> String {
        String(name.prefix { $0 != "_" }).uppercased()
    }

    private struct ClipTruth: Decodable {
        let expectedRatings: [Rating]

        enum CodingKeys: String, CodingKey {
            case expectedRatings = "expected_ratings"
        }
    }
}

