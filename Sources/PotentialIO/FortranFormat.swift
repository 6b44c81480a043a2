#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// One Fortran edit descriptor of the formats the JuKKR writers use (`docs/formats.md` §3;
/// `../shared/FORMATS.md` §1a, `JuKKR:source/KKRhost/rites.f90` formats 100-190).
///
/// Output follows gfortran: values are right-justified in the field; the mantissa is rounded
/// by the C library (`%.*E` / `%.*f`), i.e. round-half-even on the exact decimal expansion of
/// the binary double, which is what libgfortran does for the default rounding mode
/// (`write_float.def`, `determine_precision`). A value that does not fit its field makes the
/// formatter throw where Fortran would print asterisks.
public enum FortranEdit: Hashable, Sendable, CustomStringConvertible {
    /// `Iw`: integer right-justified in `width` characters.
    case integer(width: Int)
    /// `Fw.d`: fixed point with `decimals` digits after the point. A leading "0" before the
    /// point is dropped when the field is otherwise too narrow (Fortran rule).
    case fixed(width: Int, decimals: Int)
    /// `[1P]Dw.d` / `[1P]Ew.d`: `scale` 1 gives `d.ddd…D±ee` (d+1 significant digits, the
    /// `1p` of the JuKKR formats), scale 0 gives `0.ddd…D±ee` (d significant digits, e.g.
    /// `2d15.8` of the mesh line and the shapefun values). Exponents with three digits are
    /// written without the letter (`1.0000000000000-100`), as Fortran does; the potential
    /// writer never produces them because it flushes |x| < 1e-99 to zero (see
    /// `flushesTinyValuesToZero`).
    case exponential(width: Int, decimals: Int, scale: Int, letter: Character)
    /// `nX`: blanks.
    case blanks(Int)

    public var description: String {
        switch self {
        case .integer(let w): return "i\(w)"
        case .fixed(let w, let d): return "f\(w).\(d)"
        case .exponential(let w, let d, let s, let letter):
            return (s == 1 ? "1p," : "") + "\(letter.lowercased())\(w).\(d)"
        case .blanks(let n): return "\(n)x"
        }
    }

    /// Width of the field in characters.
    public var width: Int {
        switch self {
        case .integer(let w), .fixed(let w, _), .exponential(let w, _, _, _): return w
        case .blanks(let n): return n
        }
    }

    /// `1p,dW.D` with the letter D: the form of all JuKKR potential values.
    public static func d(_ width: Int, _ decimals: Int, scale: Int = 1) -> FortranEdit {
        .exponential(width: width, decimals: decimals, scale: scale, letter: "D")
    }
}

/// A value to be written with a `FortranEdit`.
public enum FortranValue: Equatable, Sendable {
    case int(Int)
    case real(Double)

    /// The value as a double (integers convert exactly in the ranges used here).
    public var doubleValue: Double {
        switch self {
        case .int(let i): return Double(i)
        case .real(let x): return x
        }
    }
}

/// Why a value could not be written.
public enum FortranFormatError: Error, Equatable, CustomStringConvertible {
    case doesNotFit(value: String, edit: FortranEdit)
    case notFinite(edit: FortranEdit)
    case typeMismatch(edit: FortranEdit)
    case countMismatch(expected: Int, found: Int)

    public var description: String {
        switch self {
        case .doesNotFit(let v, let e): return "value \(v) does not fit the Fortran field \(e)"
        case .notFinite(let e): return "NaN or infinity cannot be written (field \(e))"
        case .typeMismatch(let e): return "integer/real mismatch for the Fortran field \(e)"
        case .countMismatch(let e, let f): return "record format has \(e) data fields, \(f) values given"
        }
    }
}

/// A record (one output line) described by a list of edit descriptors, e.g. `(f10.5,2f20.15)`.
public struct FortranRecordFormat: Hashable, Sendable, CustomStringConvertible {
    public let edits: [FortranEdit]

    public init(_ edits: [FortranEdit]) { self.edits = edits }

    /// Number of data (non-blank) descriptors.
    public var valueCount: Int { edits.reduce(0) { $0 + ($1.isData ? 1 : 0) } }

    public var description: String { "(" + edits.map(\.description).joined(separator: ",") + ")" }

    /// Formats `values` (one per data descriptor) into a line without newline.
    public func format(_ values: [FortranValue]) throws(FortranFormatError) -> String {
        var out: [UInt8] = []
        out.reserveCapacity(edits.reduce(0) { $0 + $1.width })
        try append(values, to: &out)
        return String(decoding: out, as: UTF8.self)
    }

    /// Appends the formatted record (without newline) to `out`.
    public func append(_ values: [FortranValue], to out: inout [UInt8]) throws(FortranFormatError) {
        guard values.count == valueCount else { throw .countMismatch(expected: valueCount, found: values.count) }
        var k = 0
        for e in edits {
            switch e {
            case .blanks(let n):
                out.append(contentsOf: repeatElement(UInt8(ascii: " "), count: n))
            case .integer(let w):
                guard case .int(let i) = values[k] else { throw .typeMismatch(edit: e) }
                try FortranFormatter.appendInteger(i, width: w, to: &out)
                k += 1
            case .fixed(let w, let d):
                try FortranFormatter.appendFixed(values[k].doubleValue, width: w, decimals: d, to: &out)
                k += 1
            case .exponential(let w, let d, let s, let letter):
                try FortranFormatter.appendExponential(values[k].doubleValue, width: w, decimals: d, scale: s,
                                                       letter: letter, to: &out)
                k += 1
            }
        }
    }
}

extension FortranEdit {
    var isData: Bool { if case .blanks = self { return false } else { return true } }
}

/// Low-level gfortran-compatible number output into byte buffers (no `String` per value).
public enum FortranFormatter {
    /// Whether `.exponential` output replaces values whose decimal exponent would need three
    /// digits (|x| ≲ 1e-99) by zero. Always true: Fortran drops the exponent letter for
    /// three-digit exponents (`1.0-120`), which Python-based tools cannot parse
    /// (`../shared/FORMATS.md` §1a "Fixed-width numbers").
    public static let flushesTinyValuesToZero = true

    /// `Iw`.
    public static func appendInteger(_ i: Int, width: Int, to out: inout [UInt8]) throws(FortranFormatError) {
        let digits = Array(String(i).utf8)
        guard digits.count <= width else { throw .doesNotFit(value: String(i), edit: .integer(width: width)) }
        out.append(contentsOf: repeatElement(UInt8(ascii: " "), count: width - digits.count))
        out.append(contentsOf: digits)
    }

    /// `Fw.d`.
    public static func appendFixed(_ x: Double, width: Int, decimals: Int, to out: inout [UInt8]) throws(FortranFormatError) {
        let edit = FortranEdit.fixed(width: width, decimals: decimals)
        guard x.isFinite else { throw .notFinite(edit: edit) }
        var buf = CBuffer()
        var text = buf.printf(x, precision: decimals, conversion: "f")
        if text.count > width {
            // Fortran drops the optional leading zero of |x| < 1 when the field is full.
            if text.starts(with: [UInt8(ascii: "0"), UInt8(ascii: ".")]) {
                text.removeFirst()
            } else if text.starts(with: [UInt8(ascii: "-"), UInt8(ascii: "0"), UInt8(ascii: ".")]) {
                text.remove(at: 1)
            }
        }
        guard text.count <= width else { throw .doesNotFit(value: "\(x)", edit: edit) }
        out.append(contentsOf: repeatElement(UInt8(ascii: " "), count: width - text.count))
        out.append(contentsOf: text)
    }

    /// `[kP]Dw.d` with k = `scale` ∈ {0, 1}.
    public static func appendExponential(_ x: Double, width: Int, decimals: Int, scale: Int, letter: Character,
                                         to out: inout [UInt8]) throws(FortranFormatError) {
        let edit = FortranEdit.exponential(width: width, decimals: decimals, scale: scale, letter: letter)
        guard x.isFinite else { throw .notFinite(edit: edit) }
        precondition(scale == 0 || scale == 1, "only the scale factors 0 and 1 are used by JuKKR")
        // Significant digits: d+1 with 1P, d with 0P.
        let significant = scale == 1 ? decimals + 1 : decimals
        precondition(significant >= 1, "a D/E field needs at least one significant digit")
        var negative = x.sign == .minus
        var (digits, e10) = x == 0
            ? ([UInt8](repeating: UInt8(ascii: "0"), count: significant), 0)
            : DecimalDigits.rounded(abs(x), significant: significant)
        let isZero = x == 0
        // Exponent as Fortran prints it: value = 0.ddd × 10^(e10+1) for 0P, d.dd × 10^e10 for 1P.
        var fortranExponent = isZero ? 0 : (scale == 1 ? e10 : e10 + 1)
        if !isZero && fortranExponent < -99 && flushesTinyValuesToZero {
            digits = [UInt8](repeating: UInt8(ascii: "0"), count: significant)
            fortranExponent = 0
            negative = false
        }
        var field: [UInt8] = []
        field.reserveCapacity(width)
        if negative { field.append(UInt8(ascii: "-")) }
        if scale == 1 {
            field.append(digits[0])
            field.append(UInt8(ascii: "."))
            field.append(contentsOf: digits[1...])
        } else {
            field.append(UInt8(ascii: "0"))
            field.append(UInt8(ascii: "."))
            field.append(contentsOf: digits)
        }
        let absExp = abs(fortranExponent)
        if absExp <= 99 {
            field.append(letter.asciiValue ?? UInt8(ascii: "D"))
            field.append(UInt8(ascii: fortranExponent < 0 ? "-" : "+"))
            field.append(UInt8(ascii: "0") + UInt8(absExp / 10))
            field.append(UInt8(ascii: "0") + UInt8(absExp % 10))
        } else {
            guard absExp <= 999 else { throw .doesNotFit(value: "\(x)", edit: edit) }
            field.append(UInt8(ascii: fortranExponent < 0 ? "-" : "+"))
            field.append(contentsOf: Array(String(absExp).utf8))
        }
        if field.count > width && scale == 0 {
            // optional leading zero of the 0P form
            field.remove(at: negative ? 1 : 0)
        }
        guard field.count <= width else { throw .doesNotFit(value: "\(x)", edit: edit) }
        out.append(contentsOf: repeatElement(UInt8(ascii: " "), count: width - field.count))
        out.append(contentsOf: field)
    }
}

/// Correctly rounded leading decimal digits of a double: round-half-even on the exact binary
/// value, the result `printf("%.*E")` gives (glibc) and gfortran writes.
enum DecimalDigits {
    /// The first `p` significant digits of `a` > 0 (ASCII) and the decimal exponent of the first
    /// digit (a ≈ d1.d2d3… × 10^exponent).
    ///
    /// Fast path (x86: 64-bit-mantissa `Float80`): y = a·10^(p−1−e) is formed with at most a few
    /// roundings of relative size 2^-64, an absolute error below 1e-3 for p ≤ 15, and rounded
    /// to an integer. Where y lies within 1e-3 of a rounding tie the result could depend on that
    /// error, and the exact `snprintf` conversion is used instead (also for p > 15 and on other
    /// architectures). `FortranFormatTests.fastDigitsAgreeWithPrintf` compares both on 6.5·10⁴
    /// digit-count/value pairs.
    static func rounded(_ a: Double, significant p: Int) -> (digits: [UInt8], exponent: Int) {
        if let fast = fast(a, p) { return fast }
        return viaPrintf(a, p)
    }

    static func viaPrintf(_ a: Double, _ p: Int) -> (digits: [UInt8], exponent: Int) {
        var buf = CBuffer()
        let c = buf.printf(a, precision: p - 1, conversion: "E")   // D[.DDD]E±XX[X]
        var digits: [UInt8] = []
        digits.reserveCapacity(p)
        var i = 0
        while c[i] != UInt8(ascii: "E") {
            if c[i] != UInt8(ascii: ".") { digits.append(c[i]) }
            i += 1
        }
        i += 1
        let negative = c[i] == UInt8(ascii: "-")
        i += 1
        var e = 0
        while i < c.count { e = e * 10 + Int(c[i] - UInt8(ascii: "0")); i += 1 }
        return (digits, negative ? -e : e)
    }

    #if arch(x86_64) || arch(i386)
    /// 10^k for k = 0…27, exact in Float80 (5^27 < 2^64).
    private static let exactPowers: [Float80] = (0...27).map { k in
        var five: UInt64 = 1
        for _ in 0..<k { five *= 5 }
        return Float80(five) * Float80(sign: .plus, exponent: k, significand: 1)
    }

    private static func scaled(_ a: Double, byPowerOfTen k: Int) -> Float80 {
        var y = Float80(a)
        var k = k
        while k > 27 { y *= exactPowers[27]; k -= 27 }
        while k < -27 { y /= exactPowers[27]; k += 27 }
        return k >= 0 ? y * exactPowers[k] : y / exactPowers[-k]
    }

    static func fast(_ a: Double, _ p: Int) -> (digits: [UInt8], exponent: Int)? {
        guard p >= 1 && p <= 15, a > 0, a.isFinite else { return nil }
        var e = Int(log10(a).rounded(.down))
        let low = exactPowers[p - 1], high = exactPowers[p]
        var y = scaled(a, byPowerOfTen: p - 1 - e)
        if y < low { e -= 1; y = scaled(a, byPowerOfTen: p - 1 - e) }
        if y >= high { e += 1; y = scaled(a, byPowerOfTen: p - 1 - e) }
        guard y >= low && y < high else { return nil }
        let whole = y.rounded(.down)
        let frac = y - whole
        guard abs(frac - 0.5) > 1e-3 else { return nil }
        var n = UInt64(whole) + (frac > 0.5 ? 1 : 0)
        if Float80(n) >= high { n /= 10; e += 1 }   // 9.99…5 rounded up to 10.0…
        var digits = [UInt8](repeating: UInt8(ascii: "0"), count: p)
        var k = p - 1
        while k >= 0 { digits[k] = UInt8(ascii: "0") + UInt8(n % 10); n /= 10; k -= 1 }
        return (digits, e)
    }
    #else
    static func fast(_ a: Double, _ p: Int) -> (digits: [UInt8], exponent: Int)? { nil }
    #endif
}

/// A fixed stack-like buffer for `snprintf`.
struct CBuffer {
    private var storage = [CChar](repeating: 0, count: 400)

    /// `printf("%.*<conversion>", precision, x)` as bytes.
    mutating func printf(_ x: Double, precision: Int, conversion: Character) -> [UInt8] {
        let fmt = conversion == "f" ? "%.*f" : "%.*E"
        let n = storage.withUnsafeMutableBufferPointer { p -> Int32 in
            withVaList([Int32(precision), x]) { vsnprintf(p.baseAddress, p.count, fmt, $0) }
        }
        precondition(n > 0 && Int(n) < storage.count, "snprintf failed")
        return storage[0..<Int(n)].map { UInt8(bitPattern: $0) }
    }
}

/// Parsing of Fortran numeric input fields.
public enum FortranNumber {
    /// Parses a Fortran real: optional sign, digits with an optional decimal point, optional
    /// exponent (`E`, `D`, `e`, `d` followed by an optional sign and digits, or a sign and
    /// digits alone, the form Fortran writes for three-digit exponents). Surrounding blanks are
    /// ignored. Returns nil for anything else (including `NaN`, `Inf`, hexadecimal floats) and
    /// for values that overflow to infinity.
    public static func parseReal<C: Collection>(_ field: C) -> Double? where C.Element == UInt8 {
        var buf = [CChar]()
        buf.reserveCapacity(field.count + 2)
        var state = 0   // 0 before mantissa, 1 in mantissa, 2 after exponent start, 3 exponent digits, 4 trailing blanks
        var sawDigit = false, sawPoint = false, sawExpDigit = false
        for b in field {
            switch b {
            case UInt8(ascii: " "), UInt8(ascii: "\t"):
                if state == 0 && buf.isEmpty { continue }
                if state == 1 || state == 3 { state = 4; continue }
                if state == 4 { continue }
                return nil
            case UInt8(ascii: "+"), UInt8(ascii: "-"):
                if state == 0 && buf.isEmpty { buf.append(CChar(b)); continue }
                if state == 1 && sawDigit {   // letterless exponent
                    buf.append(CChar(UInt8(ascii: "E"))); buf.append(CChar(b)); state = 3; continue
                }
                if state == 2 { buf.append(CChar(b)); state = 3; continue }
                return nil
            case UInt8(ascii: "0")...UInt8(ascii: "9"):
                if state == 0 { state = 1 }
                if state == 1 { sawDigit = true; buf.append(CChar(b)); continue }
                if state == 2 || state == 3 { state = 3; sawExpDigit = true; buf.append(CChar(b)); continue }
                return nil
            case UInt8(ascii: "."):
                if (state == 0 || state == 1) && !sawPoint { state = 1; sawPoint = true; buf.append(CChar(b)); continue }
                return nil
            case UInt8(ascii: "E"), UInt8(ascii: "e"), UInt8(ascii: "D"), UInt8(ascii: "d"):
                if state == 1 && sawDigit { buf.append(CChar(UInt8(ascii: "E"))); state = 2; continue }
                return nil
            default:
                return nil
            }
        }
        guard sawDigit else { return nil }
        if state == 2 { return nil }
        if buf.contains(CChar(UInt8(ascii: "E"))) && !sawExpDigit { return nil }
        buf.append(0)
        let x = buf.withUnsafeBufferPointer { strtod($0.baseAddress!, nil) }
        return x.isFinite ? x : nil
    }

    /// Parses an integer field (optional sign, digits, surrounding blanks). Nil on overflow.
    public static func parseInt<C: Collection>(_ field: C) -> Int? where C.Element == UInt8 {
        var s = Substring(String(decoding: field, as: UTF8.self))
        while s.first == " " || s.first == "\t" { s.removeFirst() }
        while s.last == " " || s.last == "\t" { s.removeLast() }
        if s.first == "+" { s.removeFirst() }
        guard !s.isEmpty, s.allSatisfy({ $0.isASCII && ($0.isNumber || $0 == "-") }) else { return nil }
        return Int(s)
    }
}
