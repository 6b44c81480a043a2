/// An (l, m) pair of the real spherical harmonics in which JuKKR expands the potential.
///
/// Index conventions (`../shared/FORMATS.md` §1a "Which lm appear"; `JuKKR:source/common/ymy.f90`
/// 116-133):
/// - the potential file and JuKKR use the 1-based `jukkrIndex = l² + l + m + 1`
///   (l = 0…LPOT, m = −l…l), so lm = 1 is (0,0), 21 is (4,0), 25 is (4,4);
/// - the project's Swift code (`KKRNumerics.lmIndex(l, m)`) uses the 0-based `l(l+1) + m`,
///   which is `jukkrIndex − 1` (`zeroBasedIndex`).
/// m > 0 are the cos(mφ) harmonics, m < 0 the sin(|m|φ) ones.
public struct LMIndex: Hashable, Comparable, Sendable, CustomStringConvertible, Codable {
    public let l: Int
    public let m: Int

    public init(l: Int, m: Int) {
        precondition(l >= 0 && abs(m) <= l, "invalid (l, m) = (\(l), \(m))")
        self.l = l
        self.m = m
    }

    /// From JuKKR's 1-based index; nil for lm < 1.
    public init?(jukkrIndex lm: Int) {
        guard lm >= 1 else { return nil }
        var l = Int(Double(lm - 1).squareRoot())
        while (l + 1) * (l + 1) <= lm - 1 { l += 1 }
        while l * l > lm - 1 { l -= 1 }
        self.init(l: l, m: lm - 1 - l * (l + 1))
    }

    /// JuKKR's 1-based index l² + l + m + 1 (the number written in the potential file).
    public var jukkrIndex: Int { l * l + l + m + 1 }

    /// The project's 0-based index l(l+1) + m (`KKRNumerics.lmIndex`).
    public var zeroBasedIndex: Int { l * (l + 1) + m }

    /// The spherical component (0, 0).
    public static let spherical = LMIndex(l: 0, m: 0)

    public static func < (a: LMIndex, b: LMIndex) -> Bool { a.jukkrIndex < b.jukkrIndex }

    public var description: String { "(l=\(l), m=\(m))" }

    /// Number of (l, m) with l ≤ lmax: (lmax + 1)² (JuKKR's LMPOT for lmax = LPOT).
    public static func count(lmax: Int) -> Int { (lmax + 1) * (lmax + 1) }
}
