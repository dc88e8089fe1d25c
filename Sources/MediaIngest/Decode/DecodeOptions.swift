import SnapRateCore

/// What the decoder produces and what it refuses.
public struct DecodeOptions: Sendable {
    /// The layout of `Frame.pixels`.
    public var pixelFormat: PixelFormat
    /// Scale every frame to this size (libswscale, bilinear); nil keeps the stream's size.
    public var outputSize: (width: Int, height: Int)?
    /// A stream wider or taller than this is refused before any frame is allocated.
    public var maxDimension: Int
    /// Whether a still image (PNG, JPEG) is an acceptable input; clips refuse them.
    public var acceptStillImages: Bool
    /// The custom AVIO buffer size.
    public var ioBufferSize: Int
    /// Where the decoder's picture buffers come from: a pool shared with other decoders, or
    /// (nil) FFmpeg's own, per decoder. Decoders holding it keep it alive.
    public var framePool: SharedFramePool?
    /// The decoding thread's nice value is the process's plus this (Linux keeps it per thread). A
    /// server runs its decoders below its detection, and both below its network threads, so that
    /// a rating's push never waits behind another stream's decoding.
    public var threadNiceness: Int32

    public init(pixelFormat: PixelFormat = .rgb24, outputSize: (width: Int, height: Int)? = nil,
                maxDimension: Int = Defaults.maxDimension, acceptStillImages: Bool = false, ioBufferSize: Int = 64 << 10,
                framePool: SharedFramePool? = nil, threadNiceness: Int32 = 0) {
        self.pixelFormat = pixelFormat
        self.outputSize = outputSize
        self.maxDimension = maxDimension
        self.acceptStillImages = acceptStillImages
        self.ioBufferSize = ioBufferSize
        self.framePool = framePool
        self.threadNiceness = threadNiceness
    }
}
