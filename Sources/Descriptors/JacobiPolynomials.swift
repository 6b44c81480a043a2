import Foundation

/// Jacobi polynomials P_n^(α,β)(x), n = 0…nMax, for real α, β > −1 (no rounding of α, β to
/// integers), orthogonal on [−1, 1] with the weight (1 − x)^α (1 + x)^β:
///
///     ∫ P_m P_n (1 − x)^α (1 + x)^β dx = δ_mn h_n,
///     h_n = 2^{α+β+1}/(2n + α + β + 1) · Γ(n+α+1) Γ(n+β+1) / (Γ(n+α+β+1) n!).
///
/// Evaluated by the three-term recurrence (DLMF 18.9.1; Abramowitz & Stegun 22.7.1):
///
///     P_0 = 1,   P_1 = (α + 1) + (α + β + 2)(x − 1)/2,
///     2n(n+α+β)(2n+α+β−2) P_n = (2n+α+β−1) [(2n+α+β)(2n+α+β−2) x + α² − β²] P_{n−1}
///                                − 2(n+α−1)(n+β−1)(2n+α+β) P_{n−2},   n ≥ 2.
///
/// For n ≥ 2 every denominator is positive because α, β > −1, so the recurrence is defined for
/// all admissible (α, β) (P_1 is written explicitly because 2n+α+β−2 = α+β may vanish at n = 1).
public struct JacobiPolynomials: Sendable, Equatable {
    public let alpha: Double
    public let beta: Double
    public let maxDegree: Int
    /// Recurrence coefficients P_n = (a_n x + b_n) P_{n−1} − c_n P_{n−2} for n ≥ 2 (index n).
    private let a: [Double]
    private let b: [Double]
    private let c: [Double]

    public init(alpha: Double, beta: Double, maxDegree: Int) throws {
        guard alpha.isFinite, beta.isFinite, alpha > -1, beta > -1 else {
            throw DescriptorError.invalidParameter("Jacobi parameters must satisfy α, β > −1; got α = \(alpha), β = \(beta)")
        }
        guard maxDegree >= 0 else {
            throw DescriptorError.invalidParameter("Jacobi maximal degree must be ≥ 0; got \(maxDegree)")
        }
        self.alpha = alpha
        self.beta = beta
        self.maxDegree = maxDegree
        var a = [Double](repeating: 0, count: maxDegree + 1)
        var b = a, c = a
        if maxDegree >= 2 {
            for n in 2...maxDegree {
                let nd = Double(n)
                let s = 2 * nd + alpha + beta
                let denominator: Double = 2 * nd * (nd + alpha + beta) * (s - 2)
                a[n] = (s - 1) * s * (s - 2) / denominator
                b[n] = (s - 1) * (alpha * alpha - beta * beta) / denominator
                c[n] = 2 * (nd + alpha - 1) * (nd + beta - 1) * s / denominator
            }
        }
        self.a = a; self.b = b; self.c = c
    }

    /// P_0(x) … P_maxDegree(x) written into `out` (resized if needed).
    public func values(at x: Double, into out: inout [Double]) {
        if out.count != maxDegree + 1 { out = [Double](repeating: 0, count: maxDegree + 1) }
        fill(x, &out)
    }

    /// P_0(x) … P_maxDegree(x).
    public func values(at x: Double) -> [Double] {
        var out = [Double](repeating: 0, count: maxDegree + 1)
        fill(x, &out)
        return out
    }

    private func fill(_ x: Double, _ out: inout [Double]) {
        out[0] = 1
        if maxDegree == 0 { return }
        out[1] = (alpha + 1) + (alpha + beta + 2) * (x - 1) / 2
        if maxDegree == 1 { return }
        for n in 2...maxDegree {
            let t1: Double = (a[n] * x + b[n]) * out[n - 1]
            out[n] = t1 - c[n] * out[n - 2]
        }
    }

    /// P_n^(α,β)(−1) = (−1)^n Γ(n+β+1)/(Γ(β+1) n!) = (−1)^n Π_{k=1}^{n} (k+β)/k (DLMF 18.6.1 with
    /// the symmetry P_n^(α,β)(−x) = (−1)^n P_n^(β,α)(x)).
    public func valueAtMinusOne(degree n: Int) -> Double {
        var v = 1.0
        if n > 0 { for k in 1...n { v *= -(Double(k) + beta) / Double(k) } }
        return v
    }

    /// Squared norm h_n (see the type documentation), by lgamma for numerical range. For n = 0
    /// the closed form h_0 = 2^{α+β+1} Γ(α+1) Γ(β+1)/Γ(α+β+2) is used (the general expression
    /// is 0/0 when α + β = −1).
    public func squaredNorm(degree n: Int) -> Double {
        if n == 0 {
            let logH0: Double = (alpha + beta + 1) * log(2.0) + lgamma(alpha + 1) + lgamma(beta + 1) - lgamma(alpha + beta + 2)
            return exp(logH0)
        }
        let nd = Double(n)
        let logValue: Double = (alpha + beta + 1) * log(2.0) - log(2 * nd + alpha + beta + 1)
            + lgamma(nd + alpha + 1) + lgamma(nd + beta + 1) - lgamma(nd + alpha + beta + 1) - lgamma(nd + 1)
        return exp(logValue)
    }
}
