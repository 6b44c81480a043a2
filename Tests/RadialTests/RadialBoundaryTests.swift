import Foundation
import KKRNumerics
import Numerics
import Testing
@testable import Radial

/// Boundary conditions of bound states at the mesh end (KKR core states in a sphere) and the
/// radial Poisson equation, against closed forms.
@Suite struct RadialBoundaryTests {
    /// Finite spherical well V = −V₀ for r < R, 0 outside, with the mesh ending at R: the
    /// decaying-Hankel boundary at the mesh end makes this the exact infinite-space problem.
    /// Reference from the matching conditions, solved by bisection (Ry units, k² = V₀ + E,
    /// κ² = −E):  l = 0: k cot(kR) = −κ;  l = 1: k j₁'(kR)/j₁(kR) = κ k₁'(κR)/k₁(κR) with
    /// k₁(x) ∝ e^{−x}(1 + x)/x², so k₁'/k₁ = −1 + 1/(1+x) − 2/x.
    /// The probability beyond R of the normalised l = 0 state is P(R)²/(2κ) (P = A e^{−κr}).
    @Test func finiteSphericalWell() throws {
        let v0 = 10.0, rr = 1.5
        let mesh = try RadialMesh(rmax: rr, a: 0.005, count: 2401)
        func bisect(_ f: (Double) -> Double, _ lo0: Double, _ hi0: Double) -> Double {
            var lo = lo0, hi = hi0
            let flo = f(lo)
            for _ in 0..<200 {
                let mid = 0.5 * (lo + hi)
                if (f(mid) < 0) == (flo < 0) { lo = mid } else { hi = mid }
            }
            return 0.5 * (lo + hi)
        }
        func j1(_ x: Double) -> Double { sin(x) / (x * x) - cos(x) / x }
        func j1p(_ x: Double) -> Double { sin(x) / x - 2 * j1(x) / x }
        // l = 0 ground state: k R ∈ (π/2, π)
        let e0 = bisect({ e in
            let k = (v0 + e).squareRoot(), kappa = (-e).squareRoot()
            return k * cos(k * rr) / sin(k * rr) + kappa
        }, -v0 + (Double.pi / 2 / rr) * (Double.pi / 2 / rr) + 1e-12, -v0 + (Double.pi / rr) * (Double.pi / rr) - 1e-12)
        // l = 1 ground state: k R between the zero of j₁' (2.0816) and of j₁ (4.4934)
        let e1 = bisect({ e in
            let k = (v0 + e).squareRoot(), kappa = (-e).squareRoot()
            let x = kappa * rr
            return k * j1p(k * rr) / j1(k * rr) - kappa * (-1 + 1 / (1 + x) - 2 / x)
        }, -v0 + (2.0816 / rr) * (2.0816 / rr) + 1e-9, -1e-6)
        let v = [Double](repeating: -v0, count: mesh.count)
        let eq0 = try RadialEquation(mesh: mesh, nuclearCharge: 0, smoothPotential: v, l: 0, relativity: .nonRelativistic)
        let s0 = try eq0.boundState(n: 1)
        #expect(abs(s0.energyRy - e0) < 1e-9, "l=0: \(s0.energyRy) vs \(e0)")
        let kappa0 = (-e0).squareRoot()
        let pR = s0.p[mesh.count - 1]
        #expect(abs(s0.normBeyondMesh - pR * pR / (2 * kappa0)) < 1e-9, "tail \(s0.normBeyondMesh) vs \(pR * pR / (2 * kappa0))")
        #expect(s0.normBeyondMesh > 0.01)
        let eq1 = try RadialEquation(mesh: mesh, nuclearCharge: 0, smoothPotential: v, l: 1, relativity: .nonRelativistic)
        let s1 = try eq1.boundState(n: 2)
        #expect(abs(s1.energyRy - e1) < 1e-9, "l=1: \(s1.energyRy) vs \(e1)")
        print("square well: l=0 \(s0.energyRy) (exact \(e0)), l=1 \(s1.energyRy) (exact \(e1)), tail \(s0.normBeyondMesh)")
    }

    /// Hard wall at the mesh end: free particle in a sphere of radius R has E = (x_{nl}/R)²
    /// with x_{nl} the zeros of j_l (x₁₀ = π, x₂₀ = 2π, x₁₁ = 4.493409457909064), to 1e-9
    /// relative (a = 0.005; 7e-9 at a = 0.01).
    @Test func particleInSphere() throws {
        let rr = 5.0
        let mesh = try RadialMesh(rmax: rr, a: 0.005, count: 2401)
        let v = [Double](repeating: 0, count: mesh.count)
        let options = BoundStateOptions(outerBoundary: .hardWall)
        for (l, n, x) in [(0, 1, Double.pi), (0, 2, 2 * Double.pi), (1, 2, 4.493409457909064)] {
            let eq = try RadialEquation(mesh: mesh, nuclearCharge: 0, smoothPotential: v, l: l, relativity: .nonRelativistic)
            let s = try eq.boundState(n: n, options: options)
            let exact = (x / rr) * (x / rr)
            #expect(abs(s.energyRy / exact - 1) < 1e-9, "l=\(l) n=\(n): \(s.energyRy) vs \(exact)")
        }
    }

    /// Hartree potential of the hydrogen 1s density n = e^{−2r}/π (σ = 4r² e^{−2r}):
    /// V_H(r) = 2[1/r − e^{−2r}(1 + 1/r)] Ry, V_H(0) = 2 Ry. Mesh a = 0.005, r₁ = 1e-6, R = 40
    /// (the atom's default spacing); cumulative 4th-order quadrature: agreement to 1e-10 Ry
    /// (1.2e-9 at a = 0.01).
    @Test func hartreeOfHydrogen1s() throws {
        let mesh = try RadialMesh.covering(rmax: 40, firstPoint: 1e-6, a: 0.005)
        let sigma = mesh.r.map { 4 * $0 * $0 * exp(-2 * $0) }
        let v = mesh.hartreePotential(radialDensity: sigma)
        var worst = abs(v[0] - 2)
        for i in 1..<mesh.count {
            let r = mesh.r[i]
            let exact = 2 * (1 / r - exp(-2 * r) * (1 + 1 / r))
            worst = max(worst, abs(v[i] - exact))
        }
        #expect(worst < 1e-10, "worst |ΔV_H| = \(worst) Ry")
        print("Hartree (H 1s): worst error \(worst) Ry")
    }
}
