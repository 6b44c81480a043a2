import Foundation
@testable import KKR

/// Minimal fcc geometry for KKR tests (independent of the `Lattice` target, so that these
/// tests check the KKR algebra only).
enum TestFCC {
    static func primitive(_ a: Double) -> [SIMD3<Double>] {
        [SIMD3(0, 0.5, 0.5) * a, SIMD3(0.5, 0, 0.5) * a, SIMD3(0.5, 0.5, 0) * a]
    }

    /// Lattice points within `radius` (bohr), origin first, then by distance.
    static func cluster(a: Double, radius: Double) -> [SIMD3<Double>] {
        let p = primitive(a)
        var pts: [SIMD3<Double>] = []
        let m = Int(radius / (a / 2.0.squareRoot())) + 2
        for i in -m...m { for j in -m...m { for k in -m...m {
            let r = Double(i) * p[0] + Double(j) * p[1] + Double(k) * p[2]
            if (r * r).sum().squareRoot() <= radius + 1e-9 { pts.append(r) }
        } } }
        return pts.sorted { ($0 * $0).sum() < ($1 * $1).sum() }
    }

    /// Full-BZ uniform mesh k = Σ_i (m_i + 1/2)/n b_i (Monkhorst–Pack, even n), equal weights.
    static func kmesh(a: Double, n: Int) -> [WeightedKPoint] {
        let b = [SIMD3(-1.0, 1, 1), SIMD3(1.0, -1, 1), SIMD3(1.0, 1, -1)].map { $0 * (2 * Double.pi / a) }
        var out: [WeightedKPoint] = []
        for i in 0..<n { for j in 0..<n { for k in 0..<n {
            let f = [Double(2 * i - n + 1), Double(2 * j - n + 1), Double(2 * k - n + 1)].map { $0 / Double(2 * n) }
            out.append(WeightedKPoint(k: f[0] * b[0] + f[1] * b[1] + f[2] * b[2], weight: 1 / Double(n * n * n)))
        } } }
        return out
    }
}
