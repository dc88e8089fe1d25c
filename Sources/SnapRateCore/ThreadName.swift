#if canImport(Glibc)
import Glibc
#endif

/// Names the calling thread as `top -H`, `ps -L` and `perf` show it. Foundation's `Thread.name`
/// never reaches the kernel on Linux, where every thread would show its creator's name instead.
/// Linux keeps at most 15 bytes: a `subject` too long for the room after `prefix` keeps its end,
/// which is what tells streams apart (`ws:kiosk-01`, `ws:kiosk-02`, a file's name).
public func nameCurrentThread(_ prefix: String, _ subject: String = "") {
    #if os(Linux)
    // The kernel's own file for the calling thread: Glibc's pthread_setname_np and the variadic
    // prctl are not visible to Swift.
    let descriptor = open("/proc/thread-self/comm", O_WRONLY)
    guard descriptor >= 0 else { return }
    let name = Array(threadName(prefix, subject).utf8)
    _ = name.withUnsafeBytes { write(descriptor, $0.baseAddress, $0.count) }
    close(descriptor)
    #endif
}

/// The name `nameCurrentThread` gives: `prefix` and as much of the end of `subject` as fits in
/// 15 bytes, never starting inside a character.
public func threadName(_ prefix: String, _ subject: String) -> String {
    let limit = 15
    let head = Array(prefix.utf8.prefix(limit))
    var tail = Array(subject.utf8.suffix(limit - head.count))
    // A UTF-8 continuation byte (10xxxxxx) cannot start the name.
    while let first = tail.first, first & 0xC0 == 0x80 { tail.removeFirst() }
    return String(decoding: head + tail, as: UTF8.self)
}
