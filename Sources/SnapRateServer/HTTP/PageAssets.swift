import Foundation
import NIOCore

/// The kiosk and dashboard pages (HTML, JavaScript, CSS), read into memory once at startup.
///
/// They ship as the RatingServer target's SwiftPM resources, which SwiftPM copies beside the
/// executable as `SnapRate_SnapRateServer.resources/Pages`. The lookup is done here rather than with
/// `Bundle.module`, whose accessor stops the process when the folder is missing: a binary copied
/// without its resources still serves the API, and the pages answer with what is missing.
public struct PageAssets: Sendable {
    struct File: Sendable {
        var body: ByteBuffer
        var contentType: String
        /// A strong validator: a hash of the bytes, quoted.
        var entityTag: String
    }

    let files: [String: File]
    /// Why there are no pages; nil once they are loaded.
    public let unavailable: String?
    /// Where the pages were read from.
    public let directory: URL?

    /// Files every page set must have.
    public static let required = ["kiosk.html", "kiosk.js", "dashboard.html", "dashboard.js", "access.js", "style.css"]

    /// What SwiftPM calls the target's resource folder on Linux (a `.bundle` on Darwin).
    static let resourceFolders = ["SnapRate_SnapRateServer.resources", "SnapRate_SnapRateServer.bundle",
                                  "SnapRate_SnapRateServer.bundle/Contents/Resources"]

    static let contentTypes = [
        "html": "text/html; charset=utf-8",
        "js": "text/javascript; charset=utf-8",
        "css": "text/css; charset=utf-8",
        "svg": "image/svg+xml",
        "png": "image/png",
        "ico": "image/x-icon",
    ]

    /// No pages; `reason` says why and what to do.
    public static func unavailable(_ reason: String) -> PageAssets {
        PageAssets(files: [:], unavailable: reason, directory: nil)
    }

    /// Reads every file with a known type from `directory`. Throws when it is not there or lacks
    /// one of the `required` files.
    public static func load(from directory: URL) throws -> PageAssets {
        let manager = FileManager.default
        var isFolder: ObjCBool = false
        guard manager.fileExists(atPath: directory.path, isDirectory: &isFolder), isFolder.boolValue else {
            throw PageAssetsError(description: "pages folder \(directory.path) does not exist")
        }
        var files: [String: File] = [:]
        for name in try manager.contentsOfDirectory(atPath: directory.path) {
            let url = directory.appendingPathComponent(name)
            guard let type = contentTypes[url.pathExtension.lowercased()] else { continue }
            let bytes = try Data(contentsOf: url)
            files[name] = File(body: ByteBuffer(bytes: bytes), contentType: type, entityTag: entityTag(of: bytes))
        }
        let missing = required.filter { files[$0] == nil }
        guard missing.isEmpty else {
            throw PageAssetsError(description: "pages folder \(directory.path) lacks \(missing.joined(separator: ", "))")
        }
        return PageAssets(files: files, unavailable: nil, directory: directory)
    }

    /// The pages SwiftPM put beside the running executable, or `unavailable` naming where it looked.
    public static func bundled(executableFolder: URL = Bundle.main.bundleURL) -> PageAssets {
        var tried: [String] = []
        for folder in resourceFolders {
            let candidate = executableFolder.appendingPathComponent(folder).appendingPathComponent("Pages")
            if let pages = try? load(from: candidate) { return pages }
            tried.append(candidate.path)
        }
        return unavailable("the kiosk and dashboard pages are not installed (looked in \(tried[0])): "
            + "copy SnapRate_SnapRateServer.resources from the build folder beside the snaprate binary, or pass --pages DIR")
    }

    func file(_ name: String) -> File? { files[name] }

    /// The files loaded, by name.
    public var names: [String] { files.keys.sorted() }

    /// FNV-1a, 64 bits: enough to tell two versions of a page apart; not a security boundary.
    static func entityTag(of bytes: Data) -> String {
        var hash: UInt64 = 0xcbf2_9ce4_8422_2325
        for byte in bytes {
            hash ^= UInt64(byte)
            hash = hash &* 0x0000_0100_0000_01b3
        }
        return "\"" + String(hash, radix: 16) + "\""
    }
}

public struct PageAssetsError: Error, CustomStringConvertible {
    public let description: String
}
