#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Bytes from a file or a pipe (standard input included), read with plain `read(2)`.
///
/// A pipe returns whatever has arrived so far, so a live camera pipe decodes as it runs.
public final class FileDescriptorSource: ByteSource {
    public let name: String
    private let descriptor: Int32
    private let ownsDescriptor: Bool

    /// Opens a file for reading.
    public init(path: String) throws(MediaError) {
        let fd = open(path, O_RDONLY | O_CLOEXEC)
        guard fd >= 0 else {
            throw MediaError(source: path, reason: "cannot open: \(String(cString: strerror(errno)))")
        }
        var status = stat()
        if fstat(fd, &status) == 0, (status.st_mode & S_IFMT) == S_IFDIR {
            Glibc.close(fd)
            throw MediaError(source: path, reason: "is a directory, not a media file")
        }
        self.name = path
        self.descriptor = fd
        self.ownsDescriptor = true
    }

    /// Reads an already open descriptor, which the caller keeps ownership of.
    public init(descriptor: Int32, name: String) {
        self.name = name
        self.descriptor = descriptor
        self.ownsDescriptor = false
    }

    /// Standard input, named `stdin` in messages.
    public static func standardInput() -> FileDescriptorSource {
        FileDescriptorSource(descriptor: STDIN_FILENO, name: "stdin")
    }

    deinit {
        if ownsDescriptor { Glibc.close(descriptor) }
    }

    public func read(into buffer: UnsafeMutableRawBufferPointer) -> ByteRead {
        guard let base = buffer.baseAddress, !buffer.isEmpty else { return .bytes(0) }
        while true {
            let count = Glibc.read(descriptor, base, buffer.count)
            if count > 0 { return .bytes(count) }
            if count == 0 { return .end }
            if errno == EINTR { continue }
            return .failure("read failed: \(String(cString: strerror(errno)))")
        }
    }

    public func close() {}
}
