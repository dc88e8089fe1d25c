import SnapRateCore

/// A token bucket over one ingest stream's bytes: it holds `bytesPerSecond * window` bytes, fills
/// at `bytesPerSecond`, and a chunk takes its size from it. A camera (about 0.1 MB/s) never
/// comes near the default; a client pushing a recorded clip may burst a window's worth at once.
struct IngestRate {
    let bytesPerSecond: Double
    let burst: Double
    private var tokens: Double
    private var last: ContinuousClock.Instant?

    init(bytesPerSecond: Int, window: Duration) {
        self.bytesPerSecond = Double(bytesPerSecond)
        self.burst = Double(bytesPerSecond) * window.inSeconds
        self.tokens = burst
    }

    /// Takes `count` bytes at `now`; false when the stream is over its rate.
    mutating func admit(_ count: Int, at now: ContinuousClock.Instant) -> Bool {
        if let last {
            tokens = min(burst, tokens + bytesPerSecond * max(0, last.duration(to: now).inSeconds))
        }
        last = now
        tokens -= Double(count)
        return tokens >= 0
    }
}
