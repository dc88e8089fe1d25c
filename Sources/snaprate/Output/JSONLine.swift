/// One JSON object on one line, with its keys in the order they were added: output meant to be
/// read by people and by `jq` alike, where a stable key order helps both.
struct JSONLine {
    private var fields: [(key: String, json: String, plain: String)] = []

    init() {}

    mutating func add(_ key: String, _ value: String) {
        fields.append((key, Self.quote(value), value))
    }

    mutating func add(_ key: String, _ value: Int) {
        fields.append((key, "\(value)", "\(value)"))
    }

    /// Numbers with a fixed number of decimals; non-finite values become null.
    mutating func add(_ key: String, _ value: Double, decimals: Int = 3) {
        let text = Self.number(value, decimals: decimals)
        fields.append((key, text, text == "null" ? "" : text))
    }

    /// A value that is already JSON text.
    mutating func addRaw(_ key: String, _ json: String) {
        fields.append((key, json, json))
    }

    var text: String { "{" + fields.map { "\(Self.quote($0.key)):\($0.json)" }.joined(separator: ",") + "}" }

    /// A field's value as plain text (strings unquoted), for CSV.
    func value(_ key: String) -> String? {
        fields.first { $0.key == key }?.plain
    }

    static func number(_ value: Double, decimals: Int) -> String {
        guard value.isFinite else { return "null" }
        var scale = 1.0
        for _ in 0..<decimals { scale *= 10 }
        let rounded = (value * scale).rounded() / scale
        if rounded == rounded.rounded(), abs(rounded) < 1e15 { return String(Int64(rounded)) }
        return "\(rounded)"
    }

    static func quote(_ text: String) -> String {
        var out = "\""
        for scalar in text.unicodeScalars {
            switch scalar {
            case "\"": out += "\\\""
            case "\\": out += "\\\\"
            case "\n": out += "\\n"
            case "\r": out += "\\r"
            case "\t": out += "\\t"
            case _ where scalar.value < 0x20:
                let hex = String(scalar.value, radix: 16)
                out += "\\u" + String(repeating: "0", count: 4 - hex.count) + hex
            default: out.unicodeScalars.append(scalar)
            }
        }
        return out + "\""
    }
}
