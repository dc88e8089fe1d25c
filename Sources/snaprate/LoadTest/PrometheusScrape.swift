import Foundation

/// The samples of a Prometheus text page, for the few series a load test reads.
struct PrometheusScrape {
    /// "name{labels}" (as printed) → value.
    private(set) var samples: [String: Double] = [:]

    init(text: String) {
        for line in text.split(separator: "\n") where !line.hasPrefix("#") {
            guard let space = line.lastIndex(of: " "), let value = Double(line[line.index(after: space)...]) else { continue }
            samples[String(line[..<space])] = value
        }
    }

    func value(_ name: String) -> Double { samples[name] ?? 0 }

    /// A counter's value for each value of `label`, for series of `name` that carry it.
    func byLabel(_ name: String, label: String) -> [String: Double] {
        var result: [String: Double] = [:]
        let prefix = name + "{"
        for (key, value) in samples where key.hasPrefix(prefix) {
            guard let range = key.range(of: "\(label)=\"") else { continue }
            let rest = key[range.upperBound...]
            guard let end = rest.firstIndex(of: "\"") else { continue }
            result[String(rest[..<end]), default: 0] += value
        }
        return result
    }
}
