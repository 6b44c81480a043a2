import Foundation
import Testing
@testable import Radial

@Suite struct RadialMeshTests {
    /// r_1 = 0, r_N = R exactly, dr/di = a(r + b).
    @Test func meshDefinition() throws {
        let m = try RadialMesh(rmax: 2.665, a: 0.025, count: 501)
        #expect(m.r[0] == 0)
        #expect(m.rmax == 2.665)
        for i in [1, 100, 500] { #expect(abs(m.drdi[i] - m.a * (m.r[i] + m.b)) < 1e-14 * m.drdi[i]) }
        // KKR_NOTES §1: a = 0.025, N = 500, R = 2.665 gives b ≈ 1.0e-5
        let m2 = try RadialMesh(rmax: 2.665, a: 0.025, count: 500)
        #expect(abs(m2.b - 1.0e-5) < 0.05e-5)
    }

    /// ∫_0^R r² e^{−r} dr = 2 − e^{−R}(R² + 2R + 2). Mesh: a = 0.01, R = 40, first point 1e-6.
    /// Simpson's error is O(a⁴) ≈ 1e-8 per unit times small derivatives; measured ≈ 1e-12.
    /// Tolerance 1e-10 (issue 3).
    @Test func simpsonAnalytic() throws {
        let m = try RadialMesh.covering(rmax: 40, firstPoint: 1e-6, a: 0.01)
        let f = m.r.map { $0 * $0 * exp(-$0) }
        let R = m.rmax
        let exact = 2 - exp(-R) * (R * R + 2 * R + 2)
        #expect(abs(m.integrate(f) - exact) < 1e-10)
        // even number of points: 3/8 rule on the tail
        let me = try RadialMesh(rmax: 40, a: 0.01, count: 1800)
        let fe = me.r.map { $0 * $0 * exp(-$0) }
        #expect(abs(me.integrate(fe) - exact) < 1e-10)
    }

    /// Typical KKR mesh (a = 0.025, R_WS ≈ 2.7): the hydrogen 1s charge inside R to 3e-8
    /// (measured 1.5e-8), and Simpson's fourth order: halving a divides the error by ≈ 16.
    @Test func kkrMeshAccuracy() throws {
        func error(a: Double, n: Int) throws -> Double {
            let m = try RadialMesh(rmax: 2.7, a: a, count: n)
            let f = m.r.map { 4 * $0 * $0 * exp(-2 * $0) }   // 4 r² e^{−2r}
            let R = m.rmax
            return abs(m.integrate(f) - (1 - exp(-2 * R) * (2 * R * R + 2 * R + 1)))
        }
        let e1 = try error(a: 0.025, n: 501), e2 = try error(a: 0.0125, n: 1001)
        #expect(e1 < 3e-8)
        #expect(e1 / e2 > 12 && e1 / e2 < 20, "order ratio \(e1 / e2)")
    }

    @Test func cumulativeIntegral() throws {
        let m = try RadialMesh(rmax: 20, a: 0.02, count: 801)
        let f = m.r.map { exp(-$0) }
        let c = m.cumulativeIntegral(f)
        var worst = 0.0
        for i in stride(from: 0, to: m.count, by: 37) { worst = max(worst, abs(c[i] - (1 - exp(-m.r[i])))) }
        #expect(worst < 1e-8)   // measured 2.7e-9 (4th order, a = 0.02)
    }

    /// 5-point differences in the index: error ≈ (a r)⁵ |f⁽⁵⁾| / 30 / (a r); with a = 0.01 and
    /// r ≤ 10 that is ≲ 1e-5 (measured below).
    @Test func derivative() throws {
        let m = try RadialMesh(rmax: 10, a: 0.01, count: 1201)
        let f = m.r.map { sin($0) * exp(-0.1 * $0) }
        let d = m.derivative(f)
        var worst = 0.0
        for i in 0..<m.count {
            let r = m.r[i]
            worst = max(worst, abs(d[i] - (cos(r) - 0.1 * sin(r)) * exp(-0.1 * r)))
        }
        #expect(worst < 1e-5)
    }

    /// Re-meshing a smooth function onto a different mesh (cubic Lagrange in the index).
    @Test func interpolation() throws {
        let src = try RadialMesh(rmax: 3.0, a: 0.025, count: 501)
        let dst = try RadialMesh(rmax: 2.9, a: 0.03, count: 361)
        let f = src.r.map { $0 * exp(-$0) + 0.3 * $0 * $0 }
        let g = try src.interpolate(f, onto: dst)
        var worst = 0.0
        for (i, r) in dst.r.enumerated() { worst = max(worst, abs(g[i] - (r * exp(-r) + 0.3 * r * r))) }
        // cubic Lagrange in the index: error ≈ (3/128)(a r)⁴ |f⁽⁴⁾| ≲ 1e-6 here (measured 3.4e-7)
        #expect(worst < 1e-6)
        let big = try RadialMesh(rmax: 3.5, a: 0.03, count: 361)
        #expect(throws: RadialMeshError.self) { _ = try src.interpolate(f, onto: big) }
        #expect(throws: RadialMeshError.self) { _ = try RadialMesh(a: -1, b: 1, count: 10) }
    }
}
