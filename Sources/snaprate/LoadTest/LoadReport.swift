import Foundation
import SnapRateCore

/// What a load test measured, as a table for people or JSON for scripts.
struct LoadReport {
    var streams: Int
    var subscribers: Int
    var duration: Double
    var minimumRate: Double
    var window: Double
    /// Frames searched for hands per second, per stream.
    var detectedRates: [Double]
    /// Frames through the pipeline per second (searched, or passed by the scene gate), per stream.
    var ratedRates: [Double]
    var decodedRates: [Double]
    var framesSkipped: Double
    var framesDecoded: Double
    var latencies: [Double]
    var ratingsDetected: Double
    var ratingsStored: Double
    var storedSequences: Int
    /// Stored ratings some subscriber never received, summed over subscribers.
    var missedBySubscribers: Int
    var duplicates: Int
    var gaps: Int
    var subscriberFailures: [String]
    var streamFailures: [String]
    /// Streams the server refused at its limits (its own count), whatever the loader saw of it.
    var streamsRefused: Int
    var peakRSS: Double
    var cpuCores: Double
    /// Each stream's ratings against its clip's (`compare`).
    var matches: [RatingMatch] = []
    /// Each stream's clip's frame rate, which real-time decoding must keep.
    var clipRates: [Double] = []
    /// Each clip and its count of streams, in the order given.
    var clipShares: [(clip: String, streams: Int)] = []

    init(streams: Int, subscribers: Int, duration: Double, minimumRate: Double,
         baseline: PrometheusScrape, first: ServerSampler.Sample, last: ServerSampler.Sample, peakRSS: Double, settled: PrometheusScrape,
         stored: [Int64], records: [(sequences: [Int64], latencies: [Double], gaps: Int, failure: String?)], streamFailures: [String]) {
        self.streamFailures = streamFailures
        self.streams = streams
        self.subscribers = subscribers
        self.duration = duration
        self.minimumRate = minimumRate
        let window = last.time.timeIntervalSince(first.time)
        self.window = window
        let kiosks = (0..<streams).map { "load-\($0)" }
        func rates(_ name: String) -> [Double] {
            let before = first.scrape.byLabel(name, label: "kiosk"), after = last.scrape.byLabel(name, label: "kiosk")
            return kiosks.map { ((after[$0] ?? 0) - (before[$0] ?? 0)) / max(window, 1e-9) }
        }
        detectedRates = rates("snaprate_frames_detected_total")
        ratedRates = zip(detectedRates, rates("snaprate_frames_unsearched_total")).map(+)
        decodedRates = rates("snaprate_frames_decoded_total")
        // Counters run for the server's life: the run's share is the change since the baseline.
        func total(_ name: String) -> Double {
            let before = baseline.byLabel(name, label: "kiosk"), after = settled.byLabel(name, label: "kiosk")
            return kiosks.map { (after[$0] ?? 0) - (before[$0] ?? 0) }.reduce(0, +)
        }
        framesSkipped = total("snaprate_frames_skipped_total")
        framesDecoded = total("snaprate_frames_decoded_total")
        ratingsDetected = settled.value("snaprate_ratings_detected_total") - baseline.value("snaprate_ratings_detected_total")
        ratingsStored = settled.value("snaprate_ratings_stored_total") - baseline.value("snaprate_ratings_stored_total")
        streamsRefused = Int(settled.value("snaprate_refused_streams_total") - baseline.value("snaprate_refused_streams_total"))
        storedSequences = stored.count
        let expected = Set(stored)
        latencies = records.flatMap(\.latencies).sorted()
        missedBySubscribers = records.map { expected.subtracting($0.sequences).count }.reduce(0, +)
        duplicates = records.map { $0.sequences.count - Set($0.sequences).count }.reduce(0, +)
        gaps = records.map(\.gaps).reduce(0, +)
        subscriberFailures = records.compactMap(\.failure)
        self.peakRSS = peakRSS
        cpuCores = (last.scrape.value("process_cpu_seconds_total") - first.scrape.value("process_cpu_seconds_total")) / max(window, 1e-9)
    }

    /// A rating may come this much media time later than with every frame searched.
    static let lateAllowance = 0.3

    /// Matches each stream's stored ratings (`stored`, every stream's) against its clip's
    /// `expected` ones, up to `ends` (each stream's last media time rated).
    mutating func compare(streamClips: [String], expected: [String: ExpectedRatings.Clip],
                          stored: [RatingRecord.JSONFields], ends: [Double]) {
        let byKiosk = Dictionary(grouping: stored, by: \.kiosk.value)
        matches = streamClips.enumerated().map { index, clip in
            RatingMatch(expected: (expected[clip]?.ratings ?? []).map { ($0.rating, $0.time) },
                        stored: (byKiosk["load-\(index)"] ?? []).map { ($0.rating, $0.time) },
                        end: ends[index], allowance: Self.lateAllowance)
        }
        clipRates = streamClips.map { expected[$0]?.framesPerSecond ?? 0 }
        clipShares = []
        for clip in streamClips {
            if clipShares.last?.clip == clip { clipShares[clipShares.count - 1].streams += 1 } else { clipShares.append((clip, 1)) }
        }
    }

    var ratingsExpected: Int { matches.map(\.expected).reduce(0, +) }
    var ratingsMatched: Int { matches.map(\.detected).reduce(0, +) }
    var ratingsMissing: Int { matches.map(\.missing).reduce(0, +) }
    var ratingsExtra: Int { matches.map(\.extra).reduce(0, +) }
    var delays: [Double] { matches.flatMap(\.delays).sorted() }
    /// Streams that decoded at least 97% of their clip's frame rate over the measured window.
    var decodingRealTime: Int {
        zip(decodedRates, clipRates).filter { decoded, clip in clip > 0 && decoded >= 0.97 * clip }.count
    }

    var sustained: Int { ratedRates.filter { $0 >= minimumRate }.count }
    var lostEvents: Int { Int(max(0, ratingsDetected - ratingsStored)) + missedBySubscribers }

    func percentile(_ values: [Double], _ p: Double) -> Double {
        guard !values.isEmpty else { return .nan }
        return values[min(values.count - 1, Int((Double(values.count - 1) * p).rounded()))]
    }

    var table: String {
        func f(_ value: Double, _ digits: Int = 1) -> String { String(format: "%.\(digits)f", value) }
        let rated = ratedRates.sorted(), detected = detectedRates.sorted(), decoded = decodedRates.sorted()
        let rows: [(String, String)] = [
            ("streams (clips at real-time pace)", "\(streams) (\(streamFailures.count) failed, \(streamsRefused) refused by the server\(streamFailures.first.map { "; " + $0 } ?? ""))"),
            ("clips", clipShares.map { "\(($0.clip as NSString).lastPathComponent) ×\($0.streams)" }.joined(separator: ", ")),
            ("streams decoding in real time", "\(decodingRealTime) of \(streams)"),
            ("subscribers", "\(subscribers) (\(subscriberFailures.count) failed)"),
            ("run / measured window", "\(f(duration, 0)) s / \(f(window, 0)) s"),
            ("streams sustained at ≥ \(f(minimumRate, 0)) Hz rated", "\(sustained) of \(streams)"),
            ("rated Hz per stream min / median / max", "\(f(rated.first ?? 0)) / \(f(percentile(rated, 0.5))) / \(f(rated.last ?? 0))"),
            ("searched Hz per stream min / median / max", "\(f(detected.first ?? 0)) / \(f(percentile(detected, 0.5))) / \(f(detected.last ?? 0))"),
            ("decode Hz per stream min / median", "\(f(decoded.first ?? 0)) / \(f(percentile(decoded, 0.5)))"),
            ("frames skipped (behind real time) / decoded", "\(Int(framesSkipped)) / \(Int(framesDecoded)) (\(f(100 * framesSkipped / max(framesDecoded, 1)))%)"),
            ("push latency p50 / p99 (\(latencies.count) pushes)", "\(f(1000 * percentile(latencies, 0.5))) / \(f(1000 * percentile(latencies, 0.99))) ms"),
            ("ratings detected / stored", "\(Int(ratingsDetected)) / \(Int(ratingsStored))"),
            ("ratings expected / detected (missing, extra)", "\(ratingsExpected) / \(ratingsMatched) (\(ratingsMissing), \(ratingsExtra))"),
            ("rating delay vs every frame p50 / p99 / max", "\(f(percentile(delays, 0.5), 2)) / \(f(percentile(delays, 0.99), 2)) / \(f(delays.last ?? .nan, 2)) s"),
            ("lost events", "\(lostEvents) (missed by subscribers \(missedBySubscribers), duplicates \(duplicates), gap messages \(gaps))"),
            ("server peak RSS", "\(f(peakRSS / 1_048_576)) MiB"),
            ("server CPU", "\(f(cpuCores, 2)) cores"),
        ]
        let width = rows.map(\.0.count).max() ?? 0
        return rows.map { $0.0.padding(toLength: width, withPad: " ", startingAt: 0) + "  " + $0.1 }.joined(separator: "\n")
    }

    var json: String {
        let object: [String: Any] = [
            "streams": streams, "subscribers": subscribers, "subscriber_failures": subscriberFailures.count, "stream_failures": streamFailures,
            "streams_refused": streamsRefused,
            "duration_s": duration, "window_s": window, "sustained": sustained,
            "detection_hz": detectedRates, "rated_hz": ratedRates, "decode_hz": decodedRates,
            "frames_skipped": framesSkipped, "frames_decoded": framesDecoded,
            "push_latency_p50_ms": 1000 * percentile(latencies, 0.5), "push_latency_p99_ms": 1000 * percentile(latencies, 0.99),
            "pushes": latencies.count, "ratings_detected_by_server": ratingsDetected, "ratings_stored": ratingsStored,
            "clips": clipShares.map { ["clip": $0.clip, "streams": $0.streams] },
            "streams_decoding_realtime": decodingRealTime,
            "ratings_expected": ratingsExpected, "ratings_detected": ratingsMatched,
            "ratings_missing": ratingsMissing, "ratings_extra": ratingsExtra,
            "ratings_late_p50_s": percentile(delays, 0.5), "ratings_late_p99_s": percentile(delays, 0.99),
            "ratings_late_max_s": delays.last ?? Double.nan, "server_cpu_cores": cpuCores,
            "lost_events": lostEvents, "missed_by_subscribers": missedBySubscribers, "duplicates": duplicates, "gaps": gaps,
            "peak_rss_bytes": peakRSS,
        ]
        let data = (try? JSONSerialization.data(withJSONObject: object.mapValues { value -> Any in
            if let double = value as? Double, !double.isFinite { return NSNull() }
            return value
        }, options: [.sortedKeys])) ?? Data()
        return String(decoding: data, as: UTF8.self)
    }
}
