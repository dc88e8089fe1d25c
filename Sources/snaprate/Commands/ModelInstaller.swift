import Foundation
import HandEngine

/// Fetches the model files from the mediapipe wheel with pip and python3's zipfile module, checks
/// each against its committed sha256, and moves it into the model folder only if it matches.
struct ModelInstaller {
    static let wheelRequirement = "mediapipe==0.10.21"
    let directory: ModelDirectory

    struct Failure: Error, CustomStringConvertible {
        let description: String
    }

    func install(wheel: URL?) throws -> [String] {
        let fileManager = FileManager.default
        try fileManager.createDirectory(at: directory.url, withIntermediateDirectories: true)
        var report: [String] = []
        var missing: [ModelFile] = []
        for file in ModelFile.allCases {
            let path = directory.path(of: file)
            if fileManager.fileExists(atPath: path.path), (try? sha256(of: path)) == file.sha256 {
                report.append("ok       \(file.rawValue) (sha256 checked)")
            } else {
                missing.append(file)
            }
        }
        guard !missing.isEmpty else { return report }

        let scratch = fileManager.temporaryDirectory.appendingPathComponent("snaprate-setup-\(getpid())")
        try fileManager.createDirectory(at: scratch, withIntermediateDirectories: true)
        defer { try? fileManager.removeItem(at: scratch) }
        let wheelPath = try wheel ?? download(into: scratch)

        let extract = """
        import sys, zipfile
        wheel, target, members = sys.argv[1], sys.argv[2], sys.argv[3:]
        with zipfile.ZipFile(wheel) as archive:
            for member in members:
                with open(target + "/" + member.rsplit("/", 1)[1], "wb") as out:
                    out.write(archive.read(member))
        """
        try run("python3", ["-c", extract, wheelPath.path, scratch.path] + missing.map(\.wheelPath))
        for file in missing {
            let extracted = scratch.appendingPathComponent(file.rawValue)
            let digest = try sha256(of: extracted)
            guard digest == file.sha256 else {
                throw Failure(description: "\(file.rawValue) from \(wheelPath.lastPathComponent) has sha256 \(digest), expected \(file.sha256); nothing installed")
            }
            let destination = directory.path(of: file)
            try? fileManager.removeItem(at: destination)
            try fileManager.moveItem(at: extracted, to: destination)
            report.append("fetched  \(file.rawValue) (sha256 checked)")
        }
        return report
    }

    private func download(into folder: URL) throws -> URL {
        try run("python3", [
            "-m", "pip", "download", "--quiet", "--no-deps", "--only-binary=:all:",
            "--python-version", "3.11", "--platform", "manylinux_2_28_x86_64",
            Self.wheelRequirement, "-d", folder.path,
        ])
        let wheels = try FileManager.default.contentsOfDirectory(atPath: folder.path).filter { $0.hasSuffix(".whl") }
        guard let name = wheels.first else { throw Failure(description: "pip downloaded no wheel for \(Self.wheelRequirement)") }
        return folder.appendingPathComponent(name)
    }

    private func sha256(of file: URL) throws -> String {
        let output = try run("sha256sum", [file.path])
        return String(output.prefix { !$0.isWhitespace })
    }

    @discardableResult
    private func run(_ tool: String, _ arguments: [String]) throws -> String {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = [tool] + arguments
        let output = Pipe()
        let errors = Pipe()
        process.standardOutput = output
        process.standardError = errors
        do {
            try process.run()
        } catch {
            throw Failure(description: "cannot run \(tool): \(error)")
        }
        let data = output.fileHandleForReading.readDataToEndOfFile()
        let errorData = errors.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        guard process.terminationStatus == 0 else {
            let message = String(decoding: errorData, as: UTF8.self).split(separator: "\n").last.map(String.init) ?? ""
            throw Failure(description: "\(tool) failed (exit \(process.terminationStatus)): \(message)")
        }
        return String(decoding: data, as: UTF8.self)
    }
}
