import Foundation

/// Real Gaunt coefficients C_{L L' L''} = ∫ Y_L Y_{L'} Y_{L''} dΩ for the real harmonics of
/// `RealSphericalHarmonics` (`../shared/KKR_NOTES.md` §4.2), for l ≤ `lmax1`, l' ≤ `lmax2`,
/// l'' ≤ `lmax3`. Fully symmetric, non-zero only if l + l' + l'' is even, the triangle rule
/// holds and |m''| ∈ {|m| + |m'|, ||m| − |m'||} with an even number of negative m.
///
/// Computed by exact quadrature: Gauss–Legendre in cos θ with n_θ = ⌊(l+l'+l'')/2⌋ + 1 nodes
/// (the θ-integrand is a polynomial of degree l + l' + l'' in cos θ after combining the
/// sin^{|m|} θ factors, which pair up because of the m rule) and the trapezoidal rule in φ
/// with n_φ > |m| + |m'| + |m''| points (exact for trigonometric polynomials).
/// Only the non-zero entries are stored.
public struct GauntTable: Sendable {
    public let lmax1: Int
    public let lmax2: Int
    public let lmax3: Int

    /// One non-zero coefficient C_{L1 L2 L3} with its L3 index.
    public struct Entry: Sendable, Equatable {
        public let lm3: Int
        public let value: Double
    }

    /// entries[lm1 * n2 + lm2] = non-zero (L3, C) pairs, L3 ascending.
    private let entries: [[Entry]]
    private let n2: Int

    /// The common KKR case: L, L' ≤ lmax and L'' ≤ 2 lmax.
    public init(lmax: Int) { self.init(lmax1: lmax, lmax2: lmax, lmax3: 2 * lmax) }

    public init(lmax1: Int, lmax2: Int, lmax3: Int) {
        precondition(lmax1 >= 0 && lmax2 >= 0 && lmax3 >= 0)
        self.lmax1 = lmax1; self.lmax2 = lmax2; self.lmax3 = lmax3
        let n1 = lmCount(lmax1), n2 = lmCount(lmax2), n3 = lmCount(lmax3)
        self.n2 = n2
        let lsum = lmax1 + lmax2 + lmax3
        let gl = GaussLegendre(points: lsum / 2 + 2)
        let nphi = lsum + 2
        let lmaxAll = max(lmax1, lmax2, lmax3)
        // Tabulate Y_L at every quadrature point once; combined weights w_θ · 2π/n_φ.
        var ylm: [[Double]] = []
        var wts: [Double] = []
        ylm.reserveCapacity(gl.nodes.count * nphi)
        for (it, ct) in gl.nodes.enumerated() {
            let st = (1 - ct * ct).squareRoot()
            for ip in 0..<nphi {
                let phi = 2 * Double.pi * Double(ip) / Double(nphi)
                ylm.append(RealSphericalHarmonics.values(lmax: lmaxAll, x: st * cos(phi), y: st * sin(phi), z: ct))
                wts.append(gl.weights[it] * 2 * Double.pi / Double(nphi))
            }
        }
        var table = [[Entry]](repeating: [], count: n1 * n2)
        for lm1 in 0..<n1 {
            let (l1, m1) = lmPair(lm1)
            for lm2 in 0..<n2 {
                let (l2, m2) = lmPair(lm2)
                var list: [Entry] = []
                for l3 in abs(l1 - l2)...min(l1 + l2, lmax3) where (l1 + l2 + l3) % 2 == 0 {
                    for m3 in GauntTable.allowedM(m1, m2) where abs(m3) <= l3 {
                        let lm3 = lmIndex(l3, m3)
                        var s = 0.0
                        for p in 0..<wts.count { s += wts[p] * ylm[p][lm1] * ylm[p][lm2] * ylm[p][lm3] }
                        if abs(s) > 1e-14 { list.append(Entry(lm3: lm3, value: s)) }
                    }
                }
                list.sort { $0.lm3 < $1.lm3 }
                table[lm1 * n2 + lm2] = list
            }
        }
        _ = n3
        entries = table
    }

    /// The m'' allowed by the real-harmonic selection rule for given m, m'.
    static func allowedM(_ m1: Int, _ m2: Int) -> [Int] {
        let a = abs(m1), b = abs(m2)
        let negatives = (m1 < 0 ? 1 : 0) + (m2 < 0 ? 1 : 0)
        var out: Set<Int> = []
        for mag in [a + b, abs(a - b)] {
            // parity: total number of negative m (sin factors) must be even
            if mag == 0 { if negatives % 2 == 0 { out.insert(0) } ; continue }
            if negatives % 2 == 0 { out.insert(mag) } else { out.insert(-mag) }
        }
        return Array(out)
    }

    /// Non-zero coefficients for fixed (L1, L2).
    @inlinable
    public func nonZero(_ lm1: Int, _ lm2: Int) -> [Entry] { entriesFor(lm1, lm2) }

    @usableFromInline
    func entriesFor(_ lm1: Int, _ lm2: Int) -> [Entry] { entries[lm1 * n2 + lm2] }

    /// C_{L1 L2 L3} (zero if outside the table's selection rules).
    public func callAsFunction(_ lm1: Int, _ lm2: Int, _ lm3: Int) -> Double {
        guard lm1 < lmCount(lmax1), lm2 < lmCount(lmax2), lm3 < lmCount(lmax3) else { return 0 }
        for e in entries[lm1 * n2 + lm2] where e.lm3 == lm3 { return e.value }
        return 0
    }

    /// Number of stored non-zero coefficients.
    public var nonZeroCount: Int { entries.reduce(0) { $0 + $1.count } }
}
