import Foundation
import Logging
import MediaIngest

/// How one fuzz input ended on one ingest path.
enum FuzzOutcome: Equatable {
    /// Frames, then a clean end (perhaps an early one: a cut input keeps what came before the cut).
    case decoded(frames: Int, endedEarly: String?)
    /// Refused with a message.
    case refused(String)
    /// Something the contract does not allow: a hang, an error that is not a `MediaError`, a frame
    /// whose pixels do not match its size, a message over several lines.
    case broken(String)

    var isBroken: Bool {
        if case .broken = self { true } else { false }
    }
}

/// Decodes one fuzz input through `DecodedFrames`, as every ingest path does, under a timeout.
enum FuzzDecode {
    /// The ways the decoder is asked for pixels, one per case in turn: the hand engine's RGB,
    /// gray, the decoder's own planes, and scaling to sizes odd and tiny.
    static func options(forCase index: Int) -> DecodeOptions {
        switch index % 5 {
        case 0: DecodeOptions(pixelFormat: .rgb24)
        case 1: DecodeOptions(pixelFormat: .gray8)
        case 2: DecodeOptions(pixelFormat: .yuv420p)
        case 3: DecodeOptions(pixelFormat: .rgb24, outputSize: (width: 33, height: 17), ioBufferSize: 4096)
        default: DecodeOptions(pixelFormat: .gray8, outputSize: (width: 1, height: 1), maxDimension: 1024)
        }
    }

    /// Damaged packets are logged as warnings; a thousand damaged streams would bury the test log.
    private static let logger: Logger = {
        var logger = Logger(label: "fuzz.decode")
        logger.logLevel = .error
        return logger
    }()

    static func run(_ source: ByteSource, options: DecodeOptions, timeout: Duration) async -> FuzzOutcome {
        // FFmpeg's own complaints about the damage, likewise (it logs process-wide; nothing else
        // in the tests reads its log).
        FFmpegLog.setLevel(.quiet)
        let frames = DecodedFrames(source: source, options: options, lookahead: 4, logger: logger)
        let name = source.name
        return await withTaskGroup(of: FuzzOutcome?.self) { group in
            group.addTask { await consume(frames, name: name, options: options) }
            group.addTask {
                try? await Task.sleep(for: timeout)
                return nil
            }
            let first = await group.next() ?? nil
            group.cancelAll()
            return first ?? .broken("no end within \(timeout)")
        }
    }

    private static func consume(_ frames: DecodedFrames, name: String, options: DecodeOptions) async -> FuzzOutcome {
        var count = 0
        var endedEarly: String?
        var finished = false
        do {
            for try await event in frames {
                switch event {
                case .opened(let info):
                    guard info.width <= options.maxDimension, info.height <= options.maxDimension else {
                        return .broken("opened a \(info.width)x\(info.height) stream over the limit")
                    }
                case .frame(let frame):
                    if let problem = check(frame, options: options) { return .broken(problem) }
                    count += 1
                case .picture:
                    return .broken("a picture, though frames were asked for")
                case .finished(let counters):
                    finished = true
                    endedEarly = counters.endedEarly
                    guard counters.framesDecoded == count else {
                        return .broken("counted \(counters.framesDecoded) frames, delivered \(count)")
                    }
                }
            }
        } catch let error as MediaError {
            let text = error.description
            guard !error.reason.isEmpty, !text.contains("\n"), text.hasPrefix("\(name): ") else {
                return .broken("unclear error: \(text.debugDescription)")
            }
            return .refused(error.reason)
        } catch {
            return .broken("an error that is not a MediaError: \(error)")
        }
        return finished ? .decoded(frames: count, endedEarly: endedEarly) : .broken("ended without its counts")
    }

    /// What is wrong with a delivered frame, if anything.
    private static func check(_ frame: Frame, options: DecodeOptions) -> String? {
        guard frame.width > 0, frame.height > 0, frame.width <= options.maxDimension || options.outputSize != nil,
              frame.height <= options.maxDimension || options.outputSize != nil else {
            return "a frame of \(frame.width)x\(frame.height)"
        }
        if let size = options.outputSize, size.width != frame.width || size.height != frame.height {
            return "a frame of \(frame.width)x\(frame.height), not the \(size.width)x\(size.height) asked for"
        }
        let expected = switch frame.format {
        case .rgb24: frame.width * frame.height * 3
        case .gray8: frame.width * frame.height
        case .yuv420p: frame.width * frame.height + 2 * ((frame.width + 1) / 2) * ((frame.height + 1) / 2)
        }
        return frame.pixels.count == expected ? nil
            : "a \(frame.width)x\(frame.height) \(frame.format) frame of \(frame.pixels.count) bytes, not \(expected)"
    }
}

/// Bytes handed over at most `step` at a time, as a pipe that the writer fills slowly would:
/// the short reads of stdin or a socket, the same on every run.
final class ShortReads: ByteSource, @unchecked Sendable {
    let name: String
    private let bytes: [UInt8]
    private let step: Int
    private let lock = NSLock()
    private var offset = 0

    init(_ bytes: [UInt8], step: Int, name: String = "short-reads") {
        self.bytes = bytes
        self.step = step
        self.name = name
    }

    func read(into buffer: UnsafeMutableRawBufferPointer) -> ByteRead {
        lock.withLock {
            guard offset < bytes.count, let destination = buffer.baseAddress else { return .end }
            let count = min(step, buffer.count, bytes.count - offset)
            bytes.withUnsafeBytes { destination.copyMemory(from: $0.baseAddress! + offset, byteCount: count) }
            offset += count
            return .bytes(count)
        }
    }

    func close() {}
}
