import Foundation

/// Lines for people on standard error, data on standard output, each written as it happens
/// (unbuffered), so a live source's lines reach a pipe while the source runs.
enum Console {
    static func error(_ message: String) {
        FileHandle.standardError.write(Data("snaprate: \(message)\n".utf8))
    }

    static func warning(_ message: String) {
        FileHandle.standardError.write(Data("snaprate: warning: \(message)\n".utf8))
    }

    static func out(_ line: String) {
        FileHandle.standardOutput.write(Data((line + "\n").utf8))
    }
}
