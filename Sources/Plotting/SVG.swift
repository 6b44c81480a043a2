import Foundation

/// Minimal SVG text helpers: escaping and number formatting.
enum SVG {
    /// Escapes the five XML special characters and drops characters that XML 1.0 forbids
    /// (C0 controls other than tab, newline, carriage return).
    static func escape(_ s: String) -> String {
        var out = ""
        out.reserveCapacity(s.utf8.count)
        for scalar in s.unicodeScalars {
            switch scalar {
            case "&": out += "&amp;"
            case "<": out += "&lt;"
            case ">": out += "&gt;"
            case "\"": out += "&quot;"
            case "'": out += "&apos;"
            default:
                let v = scalar.value
                if v < 0x20 && v != 0x09 && v != 0x0A && v != 0x0D { continue }
                if v == 0xFFFE || v == 0xFFFF { continue }
                out.unicodeScalars.append(scalar)
            }
        }
        return out
    }

    /// A pixel coordinate with two decimals, trailing zeros removed ("12.5", "3", "-0.25").
    static func number(_ v: Double) -> String {
        var s = String(format: "%.2f", v)
        if s.contains(".") {
            while s.hasSuffix("0") { s.removeLast() }
            if s.hasSuffix(".") { s.removeLast() }
        }
        return s == "-0" ? "0" : s
    }

    /// A text element.
    static func text(_ content: String, x: Double, y: Double, size: Double, anchor: String = "middle",
                     weight: String? = nil, rotate: Double? = nil, baseline: String? = nil) -> String {
        var attrs = "x=\"\(number(x))\" y=\"\(number(y))\" font-size=\"\(number(size))\" text-anchor=\"\(anchor)\""
        if let weight { attrs += " font-weight=\"\(weight)\"" }
        if let baseline { attrs += " dominant-baseline=\"\(baseline)\"" }
        if let rotate { attrs += " transform=\"rotate(\(number(rotate)) \(number(x)) \(number(y)))\"" }
        return "<text \(attrs)>\(escape(content))</text>"
    }
}
