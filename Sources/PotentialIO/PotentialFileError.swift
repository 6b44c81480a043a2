/// A malformed or inconsistent JuKKR file, or a refused write. The description names the
/// file, the 1-based line and what was expected, e.g.
/// `potential file out_potential line 12: expected 4 numbers, found 3 (file truncated?)`.
public struct PotentialFileError: Error, Equatable, Sendable, CustomStringConvertible {
    /// Which kind of file: "potential file", "shapefun", "scoef", …
    public let kind: String
    /// Path as given by the caller (or a label such as `<memory>`).
    public let path: String
    /// 1-based line number, nil when the problem is not tied to one line.
    public let line: Int?
    /// What was wrong and what was expected.
    public let message: String

    public init(kind: String = "potential file", path: String, line: Int?, message: String) {
        self.kind = kind
        self.path = path
        self.line = line
        self.message = message
    }

    public var description: String {
        if let line { return "\(kind) \(path) line \(line): \(message)" }
        return "\(kind) \(path): \(message)"
    }
}

/// The lines of a text file and a cursor over them, with error helpers that carry the path
/// and the line number.
struct LineCursor {
    let kind: String
    let path: String
    let bytes: [UInt8]
    /// Byte ranges of the lines, without the terminating newline.
    let lines: [Range<Int>]
    let endsWithNewline: Bool
    /// Index (0-based) of the next line to read.
    var position = 0

    init(bytes: [UInt8], path: String, kind: String) {
        self.kind = kind
        self.path = path
        self.bytes = bytes
        var lines: [Range<Int>] = []
        lines.reserveCapacity(bytes.count / 60 + 1)
        var start = 0
        bytes.withUnsafeBufferPointer { p in
            for i in 0..<p.count where p[i] == 10 {
                lines.append(start..<i)
                start = i + 1
            }
        }
        if start < bytes.count { lines.append(start..<bytes.count) }
        self.lines = lines
        endsWithNewline = bytes.last == 10
    }

    var isAtEnd: Bool { position >= lines.count }

    /// 1-based number of the next line.
    var nextLineNumber: Int { position + 1 }

    /// True when every remaining line is blank.
    var onlyBlankLinesRemain: Bool {
        lines[position...].allSatisfy { r in bytes[r].allSatisfy { $0 == 32 || $0 == 9 || $0 == 13 } }
    }

    func error(_ message: String, line: Int?) -> PotentialFileError {
        PotentialFileError(kind: kind, path: path, line: line, message: message)
    }

    /// The next line; at the end of the file throws "expected <what> (file truncated?)".
    mutating func next(_ what: @autoclosure () -> String) throws(PotentialFileError) -> Line {
        guard position < lines.count else {
            throw error("unexpected end of file: expected \(what()) (file truncated?)", line: lines.count + 1)
        }
        let l = Line(number: position + 1, range: lines[position])
        position += 1
        return l
    }

    func peek() -> Line? {
        position < lines.count ? Line(number: position + 1, range: lines[position]) : nil
    }

    func text(_ line: Line) -> String { String(decoding: bytes[line.range], as: UTF8.self) }

    /// Blank/comma separated tokens of a list-directed line.
    func tokens(_ line: Line) -> [Range<Int>] {
        var out: [Range<Int>] = []
        var start: Int? = nil
        for i in line.range {
            let b = bytes[i]
            let sep = b == 32 || b == 9 || b == 44 || b == 13
            if sep {
                if let s = start { out.append(s..<i); start = nil }
            } else if start == nil {
                start = i
            }
        }
        if let s = start { out.append(s..<line.range.upperBound) }
        return out
    }

    func tokenText(_ r: Range<Int>) -> String {
        let s = String(decoding: bytes[r], as: UTF8.self)
        return s.count > 30 ? String(s.prefix(30)) + "…" : s
    }

    /// Parses a list-directed line into exactly `kinds.count` values.
    func values(_ line: Line, _ kinds: [ValueKind], names: String) throws(PotentialFileError) -> [FortranValue] {
        let toks = tokens(line)
        guard toks.count == kinds.count else {
            let hint = toks.count < kinds.count ? " (line cut short?)" : ""
            throw error("expected \(kinds.count) value\(kinds.count == 1 ? "" : "s") (\(names)), found \(toks.count)\(hint)",
                        line: line.number)
        }
        var out: [FortranValue] = []
        out.reserveCapacity(kinds.count)
        for (t, k) in zip(toks, kinds) {
            switch k {
            case .int:
                guard let i = FortranNumber.parseInt(bytes[t]) else {
                    throw error("expected an integer (\(names)), found '\(tokenText(t))'", line: line.number)
                }
                out.append(.int(i))
            case .real:
                guard let x = FortranNumber.parseReal(bytes[t]) else {
                    throw error("expected a finite number (\(names)), found '\(tokenText(t))' (NaN and Inf are not allowed)",
                                line: line.number)
                }
                out.append(.real(x))
            }
        }
        return out
    }

    /// Reads `count` reals written `perLine` to a line in fields of `width` characters (the
    /// fixed `(1p,4d20.13)` layout that KKRhost reads, `startb1.f90` 342-354). Returns the
    /// values and the style detected from the text (for a byte-identical rewrite; nil when
    /// the fields are not in a Fortran D/E form).
    mutating func fixedWidthValues(count: Int, perLine: Int = 4, width: Int = 20,
                                   what: String) throws(PotentialFileError) -> ([Double], ValueColumnStyle?) {
        var values: [Double] = []
        values.reserveCapacity(min(count, bytes.count / width + 1))
        var detector = ExponentStyleDetector()
        while values.count < count {
            let expected = min(perLine, count - values.count)
            let line = try next("\(count - values.count) more \(what) (file truncated?)")
            var end = line.range.upperBound
            while end > line.range.lowerBound && (bytes[end - 1] == 32 || bytes[end - 1] == 13) { end -= 1 }
            let len = end - line.range.lowerBound
            let found = (len + width - 1) / width
            guard found == expected else {
                let hint = found < expected ? " (file truncated or line cut short?)" : ""
                throw error("expected \(expected) number\(expected == 1 ? "" : "s") of \(what) in fields of \(width) characters, found \(found)\(hint)",
                            line: line.number)
            }
            for k in 0..<expected {
                let a = line.range.lowerBound + k * width
                let b = min(a + width, end)
                let field = bytes[a..<b]
                guard let x = FortranNumber.parseReal(field) else {
                    let shown = String(decoding: field, as: UTF8.self).trimmingSpaces
                    throw error("expected a finite number of \(what) in columns \(k * width + 1)-\(k * width + width), found '\(shown)' (NaN and Inf are not allowed)",
                                line: line.number)
                }
                if !detector.isDecided { detector.inspect(field) }
                values.append(x)
            }
        }
        return (values, detector.style(width: width, perLine: perLine))
    }
}

/// A line of the file: 1-based number and byte range.
struct Line {
    let number: Int
    let range: Range<Int>
}

enum ValueKind { case int, real }

extension String {
    var trimmingSpaces: String {
        var s = Substring(self)
        while s.first == " " { s.removeFirst() }
        while s.last == " " { s.removeLast() }
        return String(s)
    }
}
