/// How one header line of a potential block is written.
///
/// Reading records, for every line, the Fortran record format among the known writer variants
/// that reproduces the line exactly (`docs/formats.md` §2, "Byte-identical round trip").
/// A line that no known variant reproduces (for instance the list-directed line 2 of KKRimp's
/// own `out_potential`, `imp/rites.f90` `WRITE (IFILE,*)`) is kept as `.verbatim(text)`: it is
/// written back unchanged as long as it still parses to the values of the block, and in the
/// KKRhost format as soon as a value was changed.
public enum LineStyle: Hashable, Sendable {
    case fortran(FortranRecordFormat)
    case verbatim(String)

    /// Writes `values` in this style; `fallback` is used for a verbatim line whose values changed.
    func render(_ values: [FortranValue], fallback: FortranRecordFormat,
                into out: inout [UInt8]) throws(FortranFormatError) {
        switch self {
        case .fortran(let f):
            try f.append(values, to: &out)
        case .verbatim(let text):
            if LineStyle.verbatim(text, represents: values) {
                out.append(contentsOf: Array(text.utf8))
            } else {
                try fallback.append(values, to: &out)
            }
        }
    }

    /// True when the first `values.count` list-directed tokens of `text` equal `values`.
    static func verbatim(_ text: String, represents values: [FortranValue]) -> Bool {
        let toks = text.split(whereSeparator: { $0 == " " || $0 == "," || $0 == "\t" })
        guard toks.count >= values.count else { return false }
        for (t, v) in zip(toks, values) {
            switch v {
            case .int(let i):
                guard FortranNumber.parseInt(Array(t.utf8)) == i else { return false }
            case .real(let x):
                guard FortranNumber.parseReal(Array(t.utf8)) == x else { return false }
            }
        }
        return true
    }

    /// The first candidate format that reproduces `text` from `values`, else `.verbatim(text)`.
    static func detect(_ text: String, values: [FortranValue], candidates: [FortranRecordFormat]) -> LineStyle {
        for c in candidates where (try? c.format(values)) == text { return .fortran(c) }
        return .verbatim(text)
    }
}

/// How a run of real values is written: `perLine` values per line, each with `edit`
/// (JuKKR: 4 per line, `1p,d20.13` for full-potential blocks, `1p,d20.12` for spherical ones).
public struct ValueColumnStyle: Hashable, Sendable {
    public var perLine: Int
    public var edit: FortranEdit

    public init(perLine: Int, edit: FortranEdit) {
        self.perLine = perLine
        self.edit = edit
    }

    /// `(1p,4d20.13)`: KKRhost `rites.f90` format 190 (full-potential values).
    public static let kkrhostFullPotential = ValueColumnStyle(perLine: 4, edit: .d(20, 13))
    /// `(1p,4d20.12)`: KKRhost `rites.f90` format 170 (spherical ASA values).
    public static let kkrhostSpherical = ValueColumnStyle(perLine: 4, edit: .d(20, 12))

    /// Appends the values, `perLine` to a line, each line ended by a newline.
    func append(_ values: [Double], to out: inout [UInt8]) throws(FortranFormatError) {
        guard case .exponential(let w, let d, let s, let letter) = edit else {
            for (k, x) in values.enumerated() {
                try FortranRecordFormat([edit]).append([.real(x)], to: &out)
                if (k + 1) % perLine == 0 || k == values.count - 1 { out.append(10) }
            }
            return
        }
        for (k, x) in values.enumerated() {
            try FortranFormatter.appendExponential(x, width: w, decimals: d, scale: s, letter: letter, to: &out)
            if (k + 1) % perLine == 0 || k == values.count - 1 { out.append(10) }
        }
    }
}

/// Detects the D/E edit descriptor (decimals, scale factor, exponent letter) from the text of
/// the fields of one value section. A field `d.ddd` with a non-zero leading digit means `1p`,
/// `0.ddd` with a non-zero fraction means `0p`; zeros are ambiguous and skipped.
struct ExponentStyleDetector {
    private var decimals: Int?
    private var scale: Int?
    private var letter: Character?
    private var nonstandard = false

    var isDecided: Bool { nonstandard || scale != nil }

    mutating func inspect<C: Collection>(_ field: C) where C.Element == UInt8 {
        var bytes = Array(field)
        while bytes.first == 32 { bytes.removeFirst() }
        if bytes.first == UInt8(ascii: "-") || bytes.first == UInt8(ascii: "+") { bytes.removeFirst() }
        guard let point = bytes.firstIndex(of: UInt8(ascii: ".")) else { nonstandard = true; return }
        let intPart = bytes[..<point]
        var i = point + 1
        var frac: [UInt8] = []
        while i < bytes.count, bytes[i] >= 48 && bytes[i] <= 57 { frac.append(bytes[i]); i += 1 }
        guard intPart.count <= 1, intPart.allSatisfy({ $0 >= 48 && $0 <= 57 }) else { nonstandard = true; return }
        if i < bytes.count, "DEde".utf8.contains(bytes[i]) {
            letter = letter ?? Character(UnicodeScalar(bytes[i]))
        } else if i < bytes.count, bytes[i] == UInt8(ascii: "+") || bytes[i] == UInt8(ascii: "-") {
            // letterless three-digit exponent: letter not determined by this field
        } else {
            nonstandard = true
            return
        }
        decimals = decimals ?? frac.count
        if let first = intPart.first, first != UInt8(ascii: "0") {
            scale = 1
        } else if intPart.isEmpty || frac.contains(where: { $0 != UInt8(ascii: "0") }) {
            scale = 0
        }
    }

    /// The detected style, nil when the fields are not in a Fortran D/E form.
    func style(width: Int, perLine: Int) -> ValueColumnStyle? {
        if nonstandard { return nil }
        return ValueColumnStyle(perLine: perLine,
                                edit: .exponential(width: width, decimals: decimals ?? 13, scale: scale ?? 1,
                                                   letter: letter ?? "D"))
    }
}
