import CFFmpeg

extension MediaDecoder {
    /// Demuxers that hold one picture rather than a clip.
    static func isStillImage(container: String) -> Bool {
        container.hasSuffix("_pipe") || container == "image2"
    }

    /// Turns a failed `avformat_open_input` into a message a user can act on.
    static func openFailure(name: String, status: Int32, io: AVIOBridge) -> MediaError {
        if let failure = io.failure {
            return MediaError(source: name, reason: failure)
        }
        if io.bytesRead == 0 {
            return MediaError(source: name, reason: "is empty: no bytes to decode")
        }
        if status == FFmpegError.invalidData || status == FFmpegError.endOfFile {
            return MediaError(source: name, reason: "is not a video format FFmpeg recognises (\(FFmpegError.message(status)))")
        }
        return MediaError(source: name, reason: "cannot be opened: \(FFmpegError.message(status))")
    }

    /// Finds the best video stream, checks it against the limits and opens its decoder.
    static func openVideoStream(
        in context: UnsafeMutablePointer<AVFormatContext>, name: String, options: DecodeOptions
    ) throws(MediaError) -> (index: Int32, info: StreamInfo, codec: UnsafeMutablePointer<AVCodecContext>, timeBase: AVRational) {
        let container = String(cString: context.pointee.iformat.pointee.name)
        let still = isStillImage(container: container)
        if still && !options.acceptStillImages {
            throw MediaError(source: name, reason: "is a still image (\(container)), not a video clip")
        }
        // Matroska's Tracks element (and MP4's moov, which fragmented MP4 sends first) already names
        // the codec and size; probing further would hold a live stream back by up to a second of
        // frames. Other containers may need the probe.
        if !hasVideoParameters(context) {
            let probed = avformat_find_stream_info(context, nil)
            if probed < 0 {
                throw MediaError(source: name, reason: "cannot read stream parameters: \(FFmpegError.message(probed))")
            }
        }
        let index = av_find_best_stream(context, AVMEDIA_TYPE_VIDEO, -1, -1, nil, 0)
        guard index >= 0, let stream = context.pointee.streams[Int(index)], let parameters = stream.pointee.codecpar else {
            throw MediaError(source: name, reason: "has no video stream (container \(container))")
        }
        let width = Int(parameters.pointee.width)
        let height = Int(parameters.pointee.height)
        guard width <= options.maxDimension, height <= options.maxDimension else {
            throw MediaError(source: name,
                             reason: "video of \(width)x\(height) is over the \(options.maxDimension) px limit")
        }
        guard let decoder = avcodec_find_decoder(parameters.pointee.codec_id) else {
            let codecName = String(cString: avcodec_get_name(parameters.pointee.codec_id))
            throw MediaError(source: name, reason: "no decoder for codec \(codecName)")
        }
        guard var codec = Optional(avcodec_alloc_context3(decoder)), let allocated = codec else {
            throw MediaError(source: name, reason: "out of memory for the decoder")
        }
        guard avcodec_parameters_to_context(allocated, parameters) >= 0 else {
            avcodec_free_context(&codec)
            throw MediaError(source: name, reason: "unusable codec parameters")
        }
        allocated.pointee.thread_count = 1
        if let framePool = options.framePool { snaprate_use_frame_pool(allocated, framePool.pool) }
        // Caps what the decoder itself may allocate, so a mid-stream size change cannot blow up memory.
        allocated.pointee.max_pixels = Int64(options.maxDimension) * Int64(options.maxDimension)
        let status = avcodec_open2(allocated, decoder, nil)
        guard status >= 0 else {
            avcodec_free_context(&codec)
            throw MediaError(source: name, reason: "cannot open the \(String(cString: decoder.pointee.name)) decoder: \(FFmpegError.message(status))")
        }
        let info = StreamInfo(codec: String(cString: decoder.pointee.name), container: container,
                              width: width, height: height, isStillImage: still)
        return (index, info, allocated, stream.pointee.time_base)
    }

    private static func hasVideoParameters(_ context: UnsafeMutablePointer<AVFormatContext>) -> Bool {
        for index in 0..<Int(context.pointee.nb_streams) {
            guard let parameters = context.pointee.streams[index]?.pointee.codecpar else { continue }
            if parameters.pointee.codec_type == AVMEDIA_TYPE_VIDEO, parameters.pointee.codec_id != AV_CODEC_ID_NONE,
               parameters.pointee.width > 0, parameters.pointee.height > 0 {
                return true
            }
        }
        return false
    }
}
