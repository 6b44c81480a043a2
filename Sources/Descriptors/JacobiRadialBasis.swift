import Foundation

/// The radial part of the Jacobi–Legendre descriptors (Focassio, Domina, Patil, Fazzio, Sanvito,
/// npj Comput. Mater. 9, 87 (2023), doi:10.1038/s41524-023-01053-0, "JLCDM"; emulator-model.md):
///
///     x(r)    = cos(π (r − r_min)/(r_cut − r_min))     for r_min ≤ r ≤ r_cut,
///               x = 1 for r < r_min,
///     P̃_n(x) = P_n^(α,β)(x) − P_n^(α,β)(−1),          n = 1…nMax,
///
/// and P̃_n ≡ 0 for r ≥ r_cut. Every basis function vanishes at the cutoff (x = −1), and so
/// does its first derivative in r because dx/dr = −π/(r_cut − r_min) · sin(…) = 0 there; P̃_0 ≡ 0,
/// so the basis starts at n = 1. α, β are real (> −1); they are never rounded.
public struct JacobiRadialBasis: Sendable, Equatable {
    public let polynomials: JacobiPolynomials
    public let rMin: Double
    public let rCut: Double
    /// P_n(−1), n = 0…nMax.
    private let shifts: [Double]

    public var alpha: Double { polynomials.alpha }
    public var beta: Double { polynomials.beta }
    /// Number of radial functions (n = 1…nMax).
    public var count: Int { polynomials.maxDegree }

    /// `rMin`, `rCut` in the same length unit as the distances passed to `values`.
    public init(alpha: Double, beta: Double, nMax: Int, rMin: Double, rCut: Double) throws {
        guard nMax >= 1 else { throw DescriptorError.invalidParameter("nMax must be ≥ 1 (P̃_0 ≡ 0); got \(nMax)") }
        guard rMin.isFinite, rCut.isFinite, rMin >= 0, rCut > rMin else {
            throw DescriptorError.invalidParameter("need 0 ≤ r_min < r_cut; got r_min = \(rMin), r_cut = \(rCut)")
        }
        let p = try JacobiPolynomials(alpha: alpha, beta: beta, maxDegree: nMax)
        polynomials = p
        self.rMin = rMin
        self.rCut = rCut
        shifts = (0...nMax).map { p.valueAtMinusOne(degree: $0) }
    }

    /// The mapped distance x(r) ∈ [−1, 1].
    public func mappedDistance(_ r: Double) -> Double {
        if r <= rMin { return 1 }
        if r >= rCut { return -1 }
        return cos(Double.pi * (r - rMin) / (rCut - rMin))
    }

    /// P̃_1(x(r)) … P̃_nMax(x(r)) into `out[0..<count]` (all zero for r ≥ r_cut). `work` is scratch
    /// space (resized if needed), so no allocation happens in loops.
    public func values(atDistance r: Double, into out: inout [Double], work: inout [Double]) {
        if out.count != count { out = [Double](repeating: 0, count: count) }
        if r >= rCut {
            for i in 0..<count { out[i] = 0 }
            return
        }
        polynomials.values(at: mappedDistance(r), into: &work)
        for n in 1...count { out[n - 1] = work[n] - shifts[n] }
    }

    /// P̃_1 … P̃_nMax at distance r.
    public func values(atDistance r: Double) -> [Double] {
        var out = [Double](repeating: 0, count: count)
        var work: [Double] = []
        values(atDistance: r, into: &out, work: &work)
        return out
    }
}
