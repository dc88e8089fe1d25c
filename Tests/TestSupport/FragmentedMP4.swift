import Foundation

/// A clip re-encoded at test time into fragmented MP4 as Safari's MediaRecorder writes it: H.264
/// video and an AAC track (a sine tone; SnapRate's FFmpeg has no AAC decoder and must skip it),
/// an empty `moov` up front and a `moof`/`mdat` fragment from each keyframe on. Written into a
/// temporary folder the caller owns, never into the repository.
public enum FragmentedMP4 {
    public static let ffmpeg = URL(fileURLWithPath: "/usr/bin/ffmpeg")

    /// Encodes `clip` into `folder/NAME.mp4` with a keyframe, and so a fragment, every
    /// `keyframeInterval` frames. Throws with ffmpeg's own words when it cannot (no libx264).
    /// Waits for ffmpeg on a thread of its own (`offPool`): an encode under the full test run's
    /// load takes long enough to stall every suite's async work if it held a cooperative thread.
    public static func make(from clip: String, into folder: URL, name: String = "fragmented",
                            keyframeInterval: Int = 15) async throws -> URL {
        let output = folder.appendingPathComponent("\(name).mp4")
        let run = try await ProgramRun.run(ffmpeg, [
            "-v", "error", "-y", "-i", clip, "-f", "lavfi", "-i", "sine=frequency=440:sample_rate=48000",
            "-map", "0:v", "-map", "1:a", "-shortest",
            "-c:v", "libx264", "-profile:v", "baseline", "-pix_fmt", "yuv420p", "-g", "\(keyframeInterval)",
            "-c:a", "aac", "-b:a", "64k",
            "-movflags", "frag_keyframe+empty_moov+default_base_moof", "-f", "mp4", output.path,
        ])
        guard run.status == 0 else {
            throw MissingTestData(description: "ffmpeg could not make a fragmented MP4 of \(clip): \(run.errors)")
        }
        return output
    }

    /// `bytes` cut as MediaRecorder might: the first chunk ends inside the `ftyp` box, the rest
    /// at random places (the same for the same seed), up to `largest` bytes each.
    public static func chunks(of bytes: [UInt8], seed: UInt64, largest: Int = 40_000) -> [[UInt8]] {
        var random = FuzzRandom(seed: seed)
        var chunks: [[UInt8]] = [Array(bytes.prefix(5))]
        var offset = chunks[0].count
        while offset < bytes.count {
            let end = min(bytes.count, offset + random.within(1...largest))
            chunks.append(Array(bytes[offset..<end]))
            offset = end
        }
        return chunks
    }
}
