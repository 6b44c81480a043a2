import Foundation
import Testing
@testable import KKR
@testable import KKRNumerics
@testable import Radial

@Suite struct ElectrostaticsTests {
    /// Uniformly charged sphere, density n0 inside R: V(r) = (8π n0/6)(3R² − r²) (Ry, e²=2).
    /// The cumulative integrals are 4th order in the mesh step a = 0.02 (a⁴ ≈ 2e-7): measured
    /// relative error ≤ 1.7e-7; tolerance 5e-7.
    @Test func uniformSphere() throws {
        let mesh = try RadialMesh(rmax: 2.5, a: 0.02, count: 601)
        let n0 = 0.3
        let y00 = 1 / (4 * Double.pi).squareRoot()
        let v00 = Electrostatics.hartreeComponent(l: 0, density: [Double](repeating: n0 / y00, count: mesh.count), mesh: mesh)
        for i in stride(from: 0, to: mesh.count, by: 50) {
            let r = mesh.r[i]
            let exact = 8 * Double.pi * n0 / 6 * (3 * 2.5 * 2.5 - r * r)
            #expect(abs(v00[i] * y00 - exact) < 5e-7 * exact)
        }
    }

    /// l = 2 component of a Gaussian shell n_L = r² e^{−r²}: compare with the direct radial
    /// quadrature of the Green-function formula at a few radii (independent GL quadrature).
    @Test func quadrupoleComponent() throws {
        let mesh = try RadialMesh(rmax: 6, a: 0.015, count: 801)
        let f: (Double) -> Double = { $0 * $0 * exp(-$0 * $0) }
        let v = Electrostatics.hartreeComponent(l: 2, density: mesh.r.map(f), mesh: mesh)
        let gl = GaussLegendre(points: 80)
        for i in [200, 400, 600, 800] {
            let r = mesh.r[i]
            let inner = gl.integrate(from: 0, to: r) { f($0) * pow($0, 4) } / pow(r, 3)
            let outer = gl.integrate(from: r, to: 6) { f($0) / $0 } * r * r
            let exact = 8 * Double.pi / 5 * (inner + outer)
            #expect(abs(v[i] - exact) < 1e-7 * abs(exact), "r=\(r)")
        }
    }

    /// The expansion of −2q/|r − d| about the origin reproduces the direct value for |r| < |d|.
    @Test func intercellExpansion() {
        let d = [SIMD3(3.41, 3.41, 0.0), SIMD3(0.0, -3.41, 3.41)]
        let q = [0.2, -0.35]
        let lmax = 10
        let c = Electrostatics.intercellCoefficients(charges: q, displacements: d, lmax: lmax)
        let r = SIMD3(0.4, -0.3, 0.5)
        let rl = (r * r).sum().squareRoot()
        let y = RealSphericalHarmonics.values(lmax: lmax, x: r.x, y: r.y, z: r.z)
        var s = 0.0
        for lm in 0..<y.count { s += c[lm] * pow(rl, Double(lmPair(lm).l)) * y[lm] }
        var exact = 0.0
        for k in 0..<2 { let dd = r - d[k]; exact += -2 * q[k] / (dd * dd).sum().squareRoot() }
        #expect(abs(s - exact) < 1e-8 * abs(exact))
    }
}
