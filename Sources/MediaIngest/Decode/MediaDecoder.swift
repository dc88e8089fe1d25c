import CFFmpeg
import Logging

/// Demuxes and decodes the video stream of one byte source into `Frame`s, synchronously.
///
/// Reads block on the source, so run a decoder on a thread of its own (`DecodedFrames` does), never on
/// the cooperative pool. One decoder thread per stream: on two cores that beats FFmpeg's own
/// frame threading.
public final class MediaDecoder {
    public let source: ByteSource
    public let info: StreamInfo
    public private(set) var counters = DecodeCounters()

    private let options: DecodeOptions
    private let logger: Logger
    private let io: AVIOBridge
    private var format: UnsafeMutablePointer<AVFormatContext>?
    private var codec: UnsafeMutablePointer<AVCodecContext>?
    private let streamIndex: Int32
    private let timeBase: AVRational
    private let converter: FrameConverter
    private var packet: UnsafeMutablePointer<AVPacket>?
    private var frame: UnsafeMutablePointer<AVFrame>?
    private var seenKeyframe = false
    private var draining = false
    private var finished = false

    /// Opens a file.
    public convenience init(file path: String, options: DecodeOptions = DecodeOptions(),
                            logger: Logger = Logger(label: "snaprate.decode")) throws(MediaError) {
        try self.init(source: try FileDescriptorSource(path: path), options: options, logger: logger)
    }

    /// Probes the source and opens its video stream's decoder. Blocks until the container header
    /// has arrived.
    public init(source: ByteSource, options: DecodeOptions = DecodeOptions(),
                logger: Logger = Logger(label: "snaprate.decode")) throws(MediaError) {
        self.source = source
        self.options = options
        self.logger = logger
        self.converter = FrameConverter(format: options.pixelFormat, outputSize: options.outputSize)
        self.io = try AVIOBridge(source: source, bufferSize: options.ioBufferSize)
        let name = source.name

        guard var context = avformat_alloc_context() else {
            throw MediaError(source: name, reason: "out of memory")
        }
        context.pointee.pb = io.context
        context.pointee.flags |= AVFMT_FLAG_CUSTOM_IO
        var opened: UnsafeMutablePointer<AVFormatContext>? = context
        let openStatus = avformat_open_input(&opened, nil, nil, nil)
        guard openStatus >= 0, let openedContext = opened else {
            // avformat_open_input has already freed the context.
            throw Self.openFailure(name: name, status: openStatus, io: io)
        }
        context = openedContext
        self.format = context

        var failure: MediaError?
        var found: (index: Int32, info: StreamInfo, codec: UnsafeMutablePointer<AVCodecContext>, timeBase: AVRational)?
        do {
            found = try Self.openVideoStream(in: context, name: name, options: options)
        } catch {
            failure = error
        }
        guard let found else {
            var toClose: UnsafeMutablePointer<AVFormatContext>? = context
            avformat_close_input(&toClose)
            self.format = nil
            throw failure ?? MediaError(source: name, reason: "no video stream")
        }
        self.streamIndex = found.index
        self.info = found.info
        self.codec = found.codec
        self.timeBase = found.timeBase
        self.packet = av_packet_alloc()
        self.frame = av_frame_alloc()
        logger.debug("opened video", metadata: [
            "source": "\(name)", "codec": "\(info.codec)", "size": "\(info.width)x\(info.height)",
        ])
    }

    deinit {
        av_packet_free(&packet)
        av_frame_free(&frame)
        avcodec_free_context(&codec)
        avformat_close_input(&format)
    }

    /// The next decoded frame, or nil at the end of the stream. Throws only when the stream cannot
    /// go on at all (a frame over the size limit); damaged packets are counted and skipped.
    public func nextFrame() throws(MediaError) -> Frame? {
        while let decoded = try receiveFrame() {
            defer { av_frame_unref(decoded) }
            guard let converted = converter.convert(decoded) else {
                noteDecodeError(FFmpegError.invalidData, stage: "convert")
                continue
            }
            counters.framesDecoded += 1
            let timing = timing(of: decoded)
            return Frame(time: timing.time, duration: timing.duration, width: converted.width, height: converted.height,
                         format: options.pixelFormat, pixels: converted.pixels, isKeyframe: timing.isKeyframe)
        }
        return nil
    }

    /// The next decoded picture, not converted: for a consumer that converts only the pictures it
    /// takes (`DecodedFrames` with live delivery). Nil at the end of the stream; throws as
    /// `nextFrame()`.
    func nextPicture() throws(MediaError) -> DecodedPicture? {
        while let decoded = try receiveFrame() {
            defer { av_frame_unref(decoded) }
            let timing = timing(of: decoded)
            guard let picture = DecodedPicture(referencing: decoded, time: timing.time, duration: timing.duration,
                                               isKeyframe: timing.isKeyframe) else {
                noteDecodeError(FFmpegError.outOfMemory, stage: "reference")
                continue
            }
            counters.framesDecoded += 1
            return picture
        }
        return nil
    }

    /// The decoder's next picture in `frame` (the caller unreferences it), or nil at the end.
    private func receiveFrame() throws(MediaError) -> UnsafeMutablePointer<AVFrame>? {
        guard !finished, let codec, let frame else { return nil }
        while true {
            let received = avcodec_receive_frame(codec, frame)
            if received == 0 {
                let width = Int(frame.pointee.width)
                let height = Int(frame.pointee.height)
                guard width <= options.maxDimension, height <= options.maxDimension else {
                    av_frame_unref(frame)
                    finished = true
                    throw MediaError(source: source.name,
                                     reason: "frame of \(width)x\(height) is over the \(options.maxDimension) px limit")
                }
                return frame
            }
            if received == FFmpegError.endOfFile {
                finished = true
                return nil
            }
            if received != FFmpegError.again {
                noteDecodeError(received, stage: "decode")
                continue
            }
            if draining {
                finished = true
                return nil
            }
            feedNextPacket(codec)
        }
    }

    /// Reads packets until one of the video stream goes to the decoder, or starts draining at the
    /// end of the input.
    private func feedNextPacket(_ codec: UnsafeMutablePointer<AVCodecContext>) {
        guard let format, let packet else { return }
        while true {
            let status = av_read_frame(format, packet)
            if status < 0 {
                if status != FFmpegError.endOfFile {
                    counters.endedEarly = io.failure ?? FFmpegError.message(status)
                } else if let end = MatroskaSegment.declaredEnd(prefix: io.prefix), io.bytesRead < end {
                    counters.endedEarly = "truncated: \(io.bytesRead) of \(end) bytes"
                }
                draining = true
                avcodec_send_packet(codec, nil)
                return
            }
            defer { av_packet_unref(packet) }
            guard packet.pointee.stream_index == streamIndex else { continue }
            if !seenKeyframe {
                // A stream joined mid-way has no reference picture until its next keyframe.
                guard packet.pointee.flags & AV_PKT_FLAG_KEY != 0 else {
                    counters.packetsBeforeKeyframe += 1
                    continue
                }
                seenKeyframe = true
            }
            let sent = avcodec_send_packet(codec, packet)
            if sent < 0 && sent != FFmpegError.again {
                noteDecodeError(sent, stage: "packet")
                continue
            }
            return
        }
    }

    private func timing(of frame: UnsafeMutablePointer<AVFrame>) -> (time: Double, duration: Double?, isKeyframe: Bool) {
        let pts = frame.pointee.best_effort_timestamp
        let ticks = frame.pointee.pkt_duration
        return (pts == snaprate_nopts_value() ? 0 : Double(pts) * av_q2d(timeBase),
                ticks > 0 ? Double(ticks) * av_q2d(timeBase) : nil, snaprate_frame_is_key(frame) != 0)
    }

    private func noteDecodeError(_ status: Int32, stage: String) {
        counters.decodeErrors += 1
        logger.warning("decode error, skipped", metadata: [
            "source": "\(source.name)", "stage": "\(stage)", "error": "\(FFmpegError.message(status))",
        ])
    }
}
