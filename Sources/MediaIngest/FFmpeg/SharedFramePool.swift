import CFFmpeg

/// Picture buffers that every decoder given this pool draws from (`DecodeOptions.framePool`).
///
/// Each FFmpeg decoder keeps a pool of its own, as large as the most pictures it ever held at
/// once; a server decoding many streams of one size shares one pool instead, as large as the most
/// all of them held at once (`snaprate_shared_get_buffer2` in the shim).
public final class SharedFramePool: @unchecked Sendable {
    // The C pool locks itself; this object only owns it.
    let pool: UnsafeMutablePointer<snaprate_frame_pool>

    /// Nil when FFmpeg cannot allocate it.
    public init?() {
        guard let pool = snaprate_frame_pool_create() else { return nil }
        self.pool = pool
    }

    deinit {
        snaprate_frame_pool_free(pool)
    }
}
