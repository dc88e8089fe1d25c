import Foundation

/// What a load test measured, as a table for people or JSON for scripts.
struct LoadReport {
    var streams: Int
    var subscribers: Int
    var duration: Double
    var minimumRate: Double
    var window: Double
    var detectedRates: [Double]
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
    var peakRSS: Double
    var cpuCores: Double

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

    var sustained: Int { detectedRates.filter { $0 >= minimumRate }.count }
    var lostEvents: Int { Int(max(0, ratingsDetected - ratingsStored)) + missedBySubscribers }

    func percentile(_ values: [Double], _ p: Double) -> Double {
        guard !values.isEmpty else { return .nan }
        return values[min(values.count - 1, Int((Double(values.count - 1) * p).rounded()))]
    }

    var table: String {
        func f(_ value: Double, _ digits: Int = 1) -> String { String(format: "%.\(digits)f", value) }
        let detected = detectedRates.sorted(), decoded = decodedRates.sorted()
        let rows: [(String, String)] = [
            ("streams (640x480 clip, real-time pace)", "\(streams) (\(streamFailures.count) failed\(streamFailures.first.map { ": " + $0 } ?? ""))"),
            ("subscribers", "\(subscribers) (\(subscriberFailures.count) failed)"),
            ("run / measured window", "\(f(duration, 0)) s / \(f(window, 0)) s"),
            ("streams sustained at ≥ \(f(minimumRate, 0)) Hz detection", "\(sustained) of \(streams)"),
            ("detection Hz per stream min / median / max", "\(f(detected.first ?? 0)) / \(f(percentile(detected, 0.5))) / \(f(detected.last ?? 0))"),
            ("decode Hz per stream min / median", "\(f(decoded.first ?? 0)) / \(f(percentile(decoded, 0.5)))"),
            ("frames skipped (detection) / decoded", "\(Int(framesSkipped)) / \(Int(framesDecoded)) (\(f(100 * framesSkipped / max(framesDecoded, 1)))%)"),
            ("push latency p50 / p99 (\(latencies.count) pushes)", "\(f(1000 * percentile(latencies, 0.5))) / \(f(1000 * percentile(latencies, 0.99))) ms"),
            ("ratings detected / stored", "\(Int(ratingsDetected)) / \(Int(ratingsStored))"),
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
            "duration_s": duration, "window_s": window, "sustained": sustained,
            "detection_hz": detectedRates, "decode_hz": decodedRates,
            "frames_skipped": framesSkipped, "frames_decoded": framesDecoded,
            "push_latency_p50_ms": 1000 * percentile(latencies, 0.5), "push_latency_p99_ms": 1000 * percentile(latencies, 0.99),
            "pushes": latencies.count, "ratings_detected": ratingsDetected, "ratings_stored": ratingsStored,
            "lost_events": lostEvents, "missed_by_subscribers": missedBySubscribers, "duplicates": duplicates, "gaps": gaps,
            "peak_rss_bytes": peakRSS, "cpu_cores": cpuCores,
        ]
        let data = (try? JSONSerialization.data(withJSONObject: object.mapValues { value -> Any in
            if let double = value as? Double, !double.isFinite { return NSNull() }
            return value
        }, options: [.sortedKeys])) ?? Data()
        return String(decoding: data, as: UTF8.self)
    }
}
