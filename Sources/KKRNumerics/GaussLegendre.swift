import Foundation

/// Gauss–Legendre quadrature: nodes x_i and weights w_i on [−1, 1] with
/// ∫_{−1}^{1} p(x) dx = Σ_i w_i p(x_i) exact for polynomials of degree ≤ 2n − 1
/// (Abramowitz & Stegun §25.4.29). Nodes are the roots of P_n found by Newton's method from
/// the asymptotic guess cos(π(i − 1/4)/(n + 1/2)); w_i = 2 / ((1 − x_i²) P_n'(x_i)²).
public struct GaussLegendre: Sendable {
    /// Nodes in ascending order.
    public let nodes: [Double]
    public let weights: [Double]

    public init(points n: Int) {
        precondition(n >= 1, "Gauss–Legendre needs at least one point")
        var x = [Double](repeating: 0, count: n)
        var w = [Double](repeating: 0, count: n)
        let m = (n + 1) / 2
        for i in 0..<m {
            var z = cos(Double.pi * (Double(i) + 0.75) / (Double(n) + 0.5))
            var dp = 0.0
            for _ in 0..<100 {
                // P_n(z) and P_n'(z) by the three-term recurrence.
                var p0 = 1.0, p1 = z
                if n == 1 { p1 = z; p0 = 1 } else {
                    for k in 2...n {
                        let p2 = (Double(2 * k - 1) * z * p1 - Double(k - 1) * p0) / Double(k)
                        p0 = p1; p1 = p2
                    }
                }
                // p1 = P_n, p0 = P_{n-1}
                dp = Double(n) * (z * p1 - p0) / (z * z - 1)
                if n == 1 { dp = 1 }
                let dz = p1 / dp
                z -= dz
                if abs(dz) < 1e-16 { break }
            }
            // Recompute derivative at the converged root.
            var p0 = 1.0, p1 = z
            if n >= 2 { for k in 2...n { let p2 = (Double(2 * k - 1) * z * p1 - Double(k - 1) * p0) / Double(k); p0 = p1; p1 = p2 } }
            dp = n == 1 ? 1 : Double(n) * (z * p1 - p0) / (z * z - 1)
            x[i] = -z
            x[n - 1 - i] = z
            w[i] = 2 / ((1 - z * z) * dp * dp)
            w[n - 1 - i] = w[i]
        }
        if n % 2 == 1 { x[n / 2] = 0 }
        nodes = x
        weights = w
    }

    /// Nodes and weights mapped linearly onto [a, b].
    public func mapped(to a: Double, _ b: Double) -> (nodes: [Double], weights: [Double]) {
        let h = 0.5 * (b - a), c = 0.5 * (b + a)
        return (nodes.map { c + h * $0 }, weights.map { h * $0 })
    }

    /// ∫_a^b f(x) dx.
    public func integrate(from a: Double, to b: Double, _ f: (Double) -> Double) -> Double {
        let (x, w) = mapped(to: a, b)
        var s = 0.0
        for i in 0..<x.count { s += w[i] * f(x[i]) }
        return s
    }
}
