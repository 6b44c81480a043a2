import Foundation

extension RadialMesh {
    /// ∫_0^{r_max} f(r) dr by composite Simpson in the mesh index with g_i = f_i (dr/di)_i
    /// (`../shared/KKR_NOTES.md` §1). For an even number of points the last three intervals
    /// use Simpson's 3/8 rule. Error O(a⁴) for smooth f.
    public func integrate(_ f: [Double]) -> Double {
        precondition(f.count == count, "radial function has \(f.count) values, mesh has \(count)")
        return integrate(upTo: count - 1) { f[$0] }
    }

    /// ∫_0^{r_k} f(r) dr over the points 0…k, with f given by index.
    public func integrate(upTo k: Int, _ f: (Int) -> Double) -> Double {
        precondition(k >= 0 && k < count)
        if k == 0 { return 0 }
        let drdi = self.drdi
        func g(_ i: Int) -> Double { f(i) * drdi[i] }
        if k == 1 { return 0.5 * (g(0) + g(1)) }
        if k == 2 { return (g(0) + 4 * g(1) + g(2)) / 3 }
        var s = 0.0
        var end = k
        if k % 2 == 1 {
            // 3/8 rule on the last three intervals
            s += 3.0 / 8.0 * (g(k - 3) + 3 * g(k - 2) + 3 * g(k - 1) + g(k))
            end = k - 3
        }
        if end >= 2 {
            var inner = g(0) + g(end)
            var i = 1
            while i < end { inner += (i % 2 == 1 ? 4 : 2) * g(i); i += 1 }
            s += inner / 3
        }
        return s
    }

    /// Cumulative integral F_i = ∫_0^{r_i} f dr at every mesh point, 4th order: each interval
    /// is integrated with the cubic through four neighbouring points in the index variable
    /// (interior weights (−1, 13, 13, −1)/24, one-sided (9, 19, −5, 1)/24 at the ends).
    public func cumulativeIntegral(_ f: [Double]) -> [Double] {
        precondition(f.count == count)
        var out = [Double](repeating: 0, count: count)
        cumulativeIntegral(f, into: &out)
        return out
    }

    /// In-place variant of `cumulativeIntegral`.
    public func cumulativeIntegral(_ f: [Double], into out: inout [Double]) {
        let n = count
        precondition(f.count == n && out.count == n)
        var g = [Double](repeating: 0, count: n)
        for i in 0..<n { g[i] = f[i] * drdi[i] }
        out[0] = 0
        for i in 0..<(n - 1) {
            let piece: Double
            if i == 0 {
                piece = (9 * g[0] + 19 * g[1] - 5 * g[2] + g[3]) / 24
            } else if i == n - 2 {
                piece = (g[n - 4] - 5 * g[n - 3] + 19 * g[n - 2] + 9 * g[n - 1]) / 24
            } else {
                piece = (-g[i - 1] + 13 * g[i] + 13 * g[i + 1] - g[i + 2]) / 24
            }
            out[i + 1] = out[i] + piece
        }
    }

    /// df/dr by 5-point central differences in the index, divided by dr/di (one-sided
    /// 5-point formulas at the two ends).
    public func derivative(_ f: [Double]) -> [Double] {
        let n = count
        precondition(f.count == n && n >= 5)
        var d = [Double](repeating: 0, count: n)
        for i in 0..<n {
            let di: Double
            if i >= 2 && i <= n - 3 {
                di = (f[i - 2] - 8 * f[i - 1] + 8 * f[i + 1] - f[i + 2]) / 12
            } else if i < 2 {
                let j = i   // forward formulas on points 0…4 evaluated at offset j
                di = RadialMesh.lagrangeDerivative(values: Array(f[0..<5]), at: Double(j))
            } else {
                let j = i - (n - 5)
                di = RadialMesh.lagrangeDerivative(values: Array(f[(n - 5)..<n]), at: Double(j))
            }
            d[i] = di / drdi[i]
        }
        return d
    }

    /// Derivative of the 5-point Lagrange polynomial through (k, values[k]), k = 0…4, at x.
    static func lagrangeDerivative(values: [Double], at x: Double) -> Double {
        var s = 0.0
        for k in 0..<5 {
            // d/dx Π_{m≠k} (x − m)/(k − m)
            var denom = 1.0
            for m in 0..<5 where m != k { denom *= Double(k - m) }
            var num = 0.0
            for p in 0..<5 where p != k {
                var prod = 1.0
                for m in 0..<5 where m != k && m != p { prod *= (x - Double(m)) }
                num += prod
            }
            s += values[k] * num / denom
        }
        return s
    }
}
