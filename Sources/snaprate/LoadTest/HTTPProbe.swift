import Foundation
import SnapRateCore

/// The load test's reads of the server's HTTP API.
struct HTTPProbe: Sendable {
    let base: String
    let token: LoadAccess

    struct Failure: Error, CustomStringConvertible {
        var description: String
    }

    func get(_ path: String) async throws -> Data {
        let response = try await PlainHTTPClient.get(base + path, headers: token.httpHeaders, tls: token.tls)
        let status = response.status
        guard status == 200 else {
            let hint = status == 401 || status == 403 ? " (the server wants a token with the scopes ingest, subscribe and admin: --token)" : ""
            throw Failure(description: "GET \(path): HTTP \(status)\(hint)")
        }
        return response.body
    }

    func metrics() async throws -> PrometheusScrape {
        PrometheusScrape(text: String(decoding: try await get("/metrics"), as: UTF8.self))
    }

    /// The highest sequence number stored.
    func latestSequence() async throws -> Int64 {
        let object = try JSONSerialization.jsonObject(with: try await get("/api/summary")) as? [String: Any]
        return (object?["latest_seq"] as? NSNumber)?.int64Value ?? 0
    }

    /// A page of `GET /api/ratings`.
    private struct RatingsPage: Decodable {
        var ratings: [RatingRecord.JSONFields]
    }

    /// Every rating stored after `sequence`, as the API gives them.
    func ratings(after sequence: Int64) async throws -> [RatingRecord.JSONFields] {
        var result: [RatingRecord.JSONFields] = []
        var last = sequence
        while true {
            let page = try JSONDecoder().decode(RatingsPage.self, from: try await get("/api/ratings?since=\(last)&limit=10000")).ratings
            result += page
            guard let tail = page.last?.seq, page.count == 10000 else { break }
            last = tail
        }
        return result
    }

    /// Waits until every detected rating is stored and no stream is active; returns the final scrape.
    func settle(timeout: Double) async throws -> PrometheusScrape {
        let deadline = Date().addingTimeInterval(timeout)
        while true {
            let scrape = try await metrics()
            let done = scrape.value("snaprate_ratings_stored_total") >= scrape.value("snaprate_ratings_detected_total")
                && scrape.value("snaprate_active_streams") == 0
            if done || Date() > deadline { return scrape }
            try await Task.sleep(for: .milliseconds(500))
        }
    }
}

/// Samples the server's metrics over the run: counters at the window's edges, peak memory.
struct ServerSampler {
    let probe: HTTPProbe
    private(set) var peakRSS: Double = 0

    init(probe: HTTPProbe) { self.probe = probe }

    struct Sample {
        var time: Date
        var scrape: PrometheusScrape
    }

    mutating func sample() async throws -> Sample {
        let scrape = try await probe.metrics()
        peakRSS = max(peakRSS, scrape.value("process_resident_memory_bytes"))
        return Sample(time: Date(), scrape: scrape)
    }
}
