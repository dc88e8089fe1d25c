/// Text made safe for HTML and SVG: element content and quoted attribute values alike.
///
/// Every string in a report that did not come from the report's own code (event names, kiosk ids,
/// a time zone's name) passes through here: the report is opened in browsers, and an event name
/// is whatever `--event` was given.
enum HTMLText {
    static func escape(_ text: String) -> String {
        var escaped = ""
        escaped.reserveCapacity(text.utf8.count)
        for character in text.unicodeScalars {
            switch character {
            case "&": escaped += "&amp;"
            case "<": escaped += "&lt;"
            case ">": escaped += "&gt;"
            case "\"": escaped += "&quot;"
            case "'": escaped += "&#39;"
            // Control characters have no business in a name; NUL and friends are not valid HTML.
            case "\u{0}"..."\u{8}", "\u{B}", "\u{C}", "\u{E}"..."\u{1F}", "\u{7F}": escaped += "\u{FFFD}"
            default: escaped.unicodeScalars.append(character)
            }
        }
        return escaped
    }
}
