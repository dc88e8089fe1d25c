import Metrics
import SnapRateCore

/// The daemon's metrics, through swift-metrics: the command that starts the server decides where
/// they go (Prometheus for `snaprate serve`); tests and libraries see no-op handlers by default.
final class ServerMetrics: Sendable {
    let ratingsDetected = Counter(label: "snaprate_ratings_detected_total")
    let ratingsStored = Counter(label: "snaprate_ratings_stored_total")
    let storeFailures = Counter(label: "snaprate_store_failures_total")
    /// Ratings detected but never stored: the pending queue was full, or shutdown came while the
    /// store could not be written. Each one is also logged at critical level.
    let ratingsLost = Counter(label: "snaprate_ratings_lost_total")
    /// Detected ratings waiting for the store writer (more than a batch only while the store fails).
    let ratingsPending = Gauge(label: "snaprate_ratings_pending")
    let ringBacklog = Gauge(label: "snaprate_rating_ring_backlog")
    let storedRingDrops = Counter(label: "snaprate_push_gaps_total")
    let pushed = Counter(label: "snaprate_push_messages_total")
    let activeStreams = Meter(label: "snaprate_active_streams")
    let subscribers = Meter(label: "snaprate_subscribers")
    /// Subscribers cut for taking no data for `--send-timeout` (see `StallWatchdog`).
    let stalledSubscribers = Counter(label: "snaprate_subscribers_cut_total")
    let streamErrors = Counter(label: "snaprate_stream_errors_total")
    let refusedStreams = Counter(label: "snaprate_refused_streams_total")
    /// Seconds waiting for the decoder's next frame (decode plus arrival of the bytes).
    let decodeLatency = Metrics.Timer(label: "snaprate_decode_seconds")
    let detectLatency = Metrics.Timer(label: "snaprate_detect_seconds")
    let storeLatency = Metrics.Timer(label: "snaprate_store_batch_seconds")
    /// From a rating's frame being handed to the pipeline to its push to a subscriber.
    let pushLatency = Metrics.Timer(label: "snaprate_push_latency_seconds")
    /// Ratings (and with them ended sessions) deleted for being older than `--retain-days`.
    let ratingsPurged = Counter(label: "snaprate_ratings_purged_total")
    /// Retention sweeps the store failed; the next sweep tries again.
    let purgeFailures = Counter(label: "snaprate_purge_failures_total")

    func framesDecoded(kiosk: KioskID) -> Counter {
        Counter(label: "snaprate_frames_decoded_total", dimensions: [("kiosk", kiosk.value)])
    }

    func framesDetected(kiosk: KioskID) -> Counter {
        Counter(label: "snaprate_frames_detected_total", dimensions: [("kiosk", kiosk.value)])
    }

    /// Decoded and passed without a hand search: none was tracked and the scene gave no reason
    /// to look (`SceneGate`).
    func framesUnsearched(kiosk: KioskID) -> Counter {
        Counter(label: "snaprate_frames_unsearched_total", dimensions: [("kiosk", kiosk.value)])
    }

    /// Decoded but not detected: the stream was behind real time (`Pacing.live`).
    func framesSkipped(kiosk: KioskID) -> Counter {
        Counter(label: "snaprate_frames_skipped_total", dimensions: [("kiosk", kiosk.value)])
    }

    /// Requests refused for their token: `missing`, `invalid` or `forbidden` (lacking the scope).
    func accessRefused(reason: String) -> Counter {
        Counter(label: "snaprate_access_refused_total", dimensions: [("reason", reason)])
    }

    /// Connections refused and streams closed by a `Limit`, by its label.
    func limitHits(_ limit: Limit) -> Counter {
        Counter(label: "snaprate_limit_hits_total", dimensions: [("limit", limit.label)])
    }

    func ratings(kiosk: KioskID, rating: Rating) -> Counter {
        Counter(label: "snaprate_ratings_total", dimensions: [("kiosk", kiosk.value), ("rating", rating.rawValue)])
    }

    func webhook(target: String) -> WebhookMetrics { WebhookMetrics(target: target) }
}

/// One webhook target's metrics, labelled with its id (`id=` or the URL's host, never the path,
/// which may hold a credential, nor the secret).
struct WebhookMetrics: Sendable {
    /// Ratings the target acknowledged with a 2xx.
    let delivered: Counter
    /// Requests sent again after a failed one.
    let retried: Counter
    /// Ratings skipped after the target failed for longer than the give-up time.
    let failed: Counter
    /// Stored ratings seen but not yet acknowledged or passed over.
    let lag: Gauge

    init(target: String) {
        delivered = Counter(label: "snaprate_webhook_delivered_total", dimensions: [("target", target)])
        retried = Counter(label: "snaprate_webhook_retried_total", dimensions: [("target", target)])
        failed = Counter(label: "snaprate_webhook_failed_total", dimensions: [("target", target)])
        lag = Gauge(label: "snaprate_webhook_lag_ratings", dimensions: [("target", target)])
    }
}

extension Metrics.Timer {
    func recordSeconds(_ seconds: Double) { recordNanoseconds(Int64(seconds * 1e9)) }
    func recordInterval(_ duration: Duration) { recordSeconds(duration.inSeconds) }
}
