import MediaIngest

/// What `analyze` reports about one source once it has ended.
struct SourceSummary {
    let source: String
    var info: StreamInfo?
    var counters = DecodeCounters()
    var firstTime: Double?
    var endTime: Double = 0
    var elapsed: Duration = .zero

    init(source: String) {
        self.source = source
    }

    mutating func add(_ frame: Frame) {
        if firstTime == nil { firstTime = frame.time }
        endTime = Swift.max(endTime, frame.time + (frame.duration ?? 0))
    }

    /// Media seconds from the first frame to the end of the last.
    var duration: Double { firstTime.map { endTime - $0 } ?? 0 }

    var framesPerSecond: Double {
        let seconds = Double(elapsed.components.seconds) + Double(elapsed.components.attoseconds) * 1e-18
        return seconds > 0 ? Double(counters.framesDecoded) / seconds : 0
    }

    var jsonLine: String {
        var line = JSONLine()
        line.add("type", "summary")
        line.add("source", source)
        line.add("frames", counters.framesDecoded)
        line.add("decode_errors", counters.decodeErrors)
        line.add("duration", duration)
        line.add("codec", info?.codec ?? "")
        line.add("width", info?.width ?? 0)
        line.add("height", info?.height ?? 0)
        line.add("fps", framesPerSecond, decimals: 1)
        return line.text
    }
}
