import Foundation
import KKRNumerics
import Numerics
import Testing
@testable import Radial

/// Radial equation solver: analytic limits (hydrogen-like atoms, Dirac s states, free particle),
/// internal consistency (Wronskian, convergence order).
@Suite struct RadialEquationTests {
    /// Bare Coulomb potential (v = 0) on a mesh with first point `firstPoint` after the origin.
    func coulomb(z: Double, l: Int, relativity: Relativity, rmax: Double, a: Double = 0.01,
                 firstPoint: Double = 1e-7, c: Double = SpeedOfLight.nistRy) throws -> RadialEquation {
        let mesh = try RadialMesh.covering(rmax: rmax, firstPoint: firstPoint, a: a)
        return try RadialEquation(mesh: mesh, nuclearCharge: z, smoothPotential: [Double](repeating: 0, count: mesh.count),
                                  l: l, relativity: relativity, speedOfLight: c)
    }

    /// Dirac point-nucleus energy in Ry units (c in Ry units, α = 2/c):
    /// E = (c²/2) ( [1 + (Zα)²/(n − |κ| + √(κ² − (Zα)²))²]^{−1/2} − 1 ),
    /// e.g. Bethe & Salpeter, *Quantum Mechanics of One- and Two-Electron Atoms* (1957), Eq. (14.29),
    /// with m c² = c²/2 Ry.
    func diracEnergy(z: Double, n: Int, kappa: Int, c: Double) -> Double {
        let za = 2 * z / c
        let k = Double(abs(kappa))
        let denom = Double(n) - k + (k * k - za * za).squareRoot()
        return 0.5 * c * c * (1 / (1 + za * za / (denom * denom)).squareRoot() - 1)
    }

    /// Non-relativistic hydrogen-like levels E_nl = −Z²/n² Ry (exact) to 1e-9 relative, for
    /// Z = 1, 26, 92 and all l < n ≤ 4. Mesh a = 0.006, r_min = 1e-7 bohr, r_max = 60 n²/Z bohr.
    /// The error is Z-independent (scale invariance of the log mesh) and ∝ a⁵: measured 2.4e-9
    /// at a = 0.01 and 2e-10 at a = 0.006 (4s, 4p: κ r_c = 2n makes the outer region hardest).
    @Test func hydrogenLikeNonRelativistic() throws {
        var worst = 0.0
        for z in [1.0, 26, 92] {
            for l in 0...3 {
                let eq = try coulomb(z: z, l: l, relativity: .nonRelativistic, rmax: 60 * 16 / z, a: 0.006)
                for n in (l + 1)...4 {
                    let s = try eq.boundState(n: n)
                    let exact = -z * z / Double(n * n)
                    worst = max(worst, abs(s.energyRy / exact - 1))
                    #expect(abs(s.energyRy / exact - 1) < 1e-9, "Z=\(z) n=\(n) l=\(l): \(s.energyRy) vs \(exact)")
                }
            }
        }
        print("hydrogen-like NR: worst relative eigenvalue error \(worst)")
    }

    /// For l = 0 the scalar-relativistic system is *identical* to the Dirac equation for κ = −1
    /// (with Q = c·F: P' = P/r + M Q, Q' = −Q/r + (V − E) P, and s = √(1 − (2Z/c)²) = Dirac γ), so
    /// the SRA ns levels of a point nucleus equal the Dirac ns₁/₂ levels; compared to 1e-10
    /// relative for Z = 1…92 on a mesh with a = 0.005, r_min = 1e-8 (integrator error ∝ a⁵:
    /// 6e-10 at a = 0.01). For p states the SRA level lies
    /// between np₁/₂ and np₃/₂ (spin–orbit dropped); the distance to the degeneracy-weighted
    /// Dirac mean (E₁/₂ + 2E₃/₂)/3 is a higher-order term O((Zα)⁴ Z²) that is at most 20% of the
    /// splitting for Z ≤ 92 (measured: 5%…15%), which is what the test checks.
    @Test func scalarRelativisticVersusDirac() throws {
        let c = SpeedOfLight.nistRy
        var worst = 0.0
        for z in [1.0, 29, 54, 79, 92] {
            let eq = try coulomb(z: z, l: 0, relativity: .scalarRelativistic, rmax: 60 * 9 / z, a: 0.005, firstPoint: 1e-8)
            for n in 1...3 {
                let s = try eq.boundState(n: n)
                let dirac = diracEnergy(z: z, n: n, kappa: -1, c: c)
                worst = max(worst, abs(s.energyRy / dirac - 1))
                #expect(abs(s.energyRy / dirac - 1) < 1e-10, "Z=\(z) \(n)s: SRA \(s.energyRy) vs Dirac \(dirac)")
            }
            let eqp = try coulomb(z: z, l: 1, relativity: .scalarRelativistic, rmax: 60 * 9 / z, firstPoint: 1e-8)
            let sp = try eqp.boundState(n: 2)
            let e12 = diracEnergy(z: z, n: 2, kappa: 1, c: c), e32 = diracEnergy(z: z, n: 2, kappa: -2, c: c)
            #expect(sp.energyRy > e12 && sp.energyRy < e32, "Z=\(z) 2p: \(sp.energyRy) not between \(e12) and \(e32)")
            let mean = (e12 + 2 * e32) / 3
            #expect(abs(sp.energyRy - mean) < 0.2 * (e32 - e12), "Z=\(z) 2p: \(sp.energyRy) vs mean \(mean)")
        }
        print("SRA ns vs Dirac: worst relative error \(worst)")
    }

    /// c → ∞: the scalar-relativistic equation with c = 10⁸ reproduces −Z²/n² to 1e-9. The
    /// relativistic radius 2Z/c² (≤ 1.6e-14 bohr) is then far inside the first mesh point, which
    /// exercises the logarithmic start of the outward integration.
    @Test func nonRelativisticLimit() throws {
        for (z, l) in [(1.0, 0), (30.0, 1), (80.0, 2)] {
            let eq = try coulomb(z: z, l: l, relativity: .scalarRelativistic, rmax: 60 * 9 / z, a: 0.006, c: 1e8)
            let s = try eq.boundState(n: 3)
            #expect(abs(s.energyRy / (-z * z / 9) - 1) < 1e-9, "Z=\(z) l=\(l): \(s.energyRy)")
        }
    }

    /// Free particle (Z = 0, v = 0) at complex E (KKR_NOTES §2.4), κ = √(E(1 + E/c²)) in SRA and
    /// √E non-relativistically:
    /// * regular: P = r j_l(κr)·(2l+1)!!/κ^l (p(0) = 1 gives P → r^{l+1});
    /// * irregular, integrated inward from R with the values of r h_l(κr), on the whole mesh down
    ///   to the first point r₁ ≈ 1.3e-7 bohr (where h_l ∝ r^{−l−1}).
    /// Both to 1e-8 relative on a KKR-like mesh with a = 0.0125, R = 2.7 (measured: regular
    /// ≤ 1.1e-9, largest at R; irregular ≤ 5.2e-9; at a = 0.025 the irregular error is 1.1e-7,
    /// 5th order in a).
    @Test func freeParticle() throws {
        let mesh = try RadialMesh(rmax: 2.7, a: 0.0125, count: 1001)
        let e = ComplexDouble(0.7, 0.05)
        let c = SpeedOfLight.jukkrRy
        for rel in Relativity.allCases {
            for l in 0...3 {
                let eq = try RadialEquation(mesh: mesh, nuclearCharge: 0, smoothPotential: [Double](repeating: 0, count: mesh.count),
                                            l: l, relativity: rel, speedOfLight: c)
                let sol = try eq.regularSolution(energy: e, upTo: mesh.count - 1)
                let m0 = rel == .scalarRelativistic ? 1 + e / (c * c) : ComplexDouble(1, 0)
                let kappa = ComplexDouble.sqrtUpper(e * m0)
                var dfact = 1.0
                for k in 0...l { dfact *= Double(2 * k + 1) }
                var worstRegular = 0.0
                for i in 1..<mesh.count {
                    let r = mesh.r[i]
                    let jl = SphericalBessel.j(lmax: l, z: kappa * r)[l]
                    let exact = r * jl * dfact / ComplexDouble.pow(kappa, l)
                    worstRegular = max(worstRegular, (sol.p[i] - exact).length / exact.length)
                }
                #expect(worstRegular < 1e-8, "\(rel) l=\(l): regular, worst relative error \(worstRegular)")
                // irregular: P = r h_l(κr), Q = (P' − P/r)/M₀ at R
                let rR = mesh.rmax
                let h = SphericalBessel.h(lmax: l + 1, z: kappa * rR)
                let dh = SphericalBessel.derivatives(h, z: kappa * rR)
                let pR = rR * h[l]
                let qR = (h[l] + rR * kappa * dh[l] - pR / rR) / m0
                let irr = try eq.inwardSolution(energy: e, from: mesh.count - 1, p: pR, q: qR)
                var worstIrregular = 0.0
                for i in 1..<mesh.count {
                    let r = mesh.r[i]
                    let exact = r * SphericalBessel.h(lmax: l, z: kappa * r)[l]
                    worstIrregular = max(worstIrregular, (irr.p[i] - exact).length / exact.length)
                }
                #expect(worstIrregular < 1e-8, "\(rel) l=\(l): irregular, worst relative error \(worstIrregular)")
                print("free particle \(rel) l=\(l): regular \(worstRegular), irregular \(worstIrregular)")
            }
        }
    }

    /// Regular × irregular at complex E in a screened Coulomb potential (Z = 29): the Wronskian
    /// P₁Q₂ − Q₁P₂ is constant on the whole mesh, down to r₁ ≈ 1.3e-7 bohr, to 2e-7 relative
    /// (a = 0.0125; measured ≤ 4.7e-8, and 1.3e-6 at a = 0.025 for l = 3). No Wronskian-based
    /// switch near the origin is needed: the inward integration factors out r^{−s} (r^{−l},
    /// r^{−l−1}) so that the irregular solution is analytic in the integrated variables.
    @Test func wronskianIsConstant() throws {
        let mesh = try RadialMesh(rmax: 2.7, a: 0.0125, count: 1001)
        let z = 29.0
        // screened: v = 2Z (1 − e^{−r/0.3})/r ⇒ V → 0 far out, finite v(0) = 2Z/0.3
        let v = mesh.r.map { r in r == 0 ? 2 * z / 0.3 : 2 * z * (1 - exp(-r / 0.3)) / r }
        let e = ComplexDouble(0.6, 0.1)
        for rel in Relativity.allCases {
            for l in 0...3 {
                let eq = try RadialEquation(mesh: mesh, nuclearCharge: z, smoothPotential: v, l: l, relativity: rel)
                let reg = try eq.regularSolution(energy: e, upTo: mesh.count - 1)
                // any values at R define a solution linearly independent of the regular one
                let irr = try eq.inwardSolution(energy: e, from: mesh.count - 1, p: ComplexDouble(1, 0.5), q: ComplexDouble(-0.3, 2))
                let w0 = eq.wronskian(reg, irr, at: mesh.count - 1)
                var worst = 0.0
                for i in 1..<mesh.count {
                    worst = max(worst, (eq.wronskian(reg, irr, at: i) - w0).length / w0.length)
                }
                #expect(worst < 2e-7, "\(rel) l=\(l): Wronskian varies by \(worst)")
                print("Wronskian \(rel) l=\(l): relative variation \(worst)")
            }
        }
    }

    /// The allocation-free kernels (reused workspace) give the same P, Q as the allocating API,
    /// for the regular (outward) and irregular (inward) solutions at complex E.
    @Test func workspaceKernelsMatchAllocatingAPI() throws {
        let mesh = try RadialMesh(rmax: 2.7, a: 0.025, count: 501)
        let v = mesh.r.map { r in r == 0 ? 2 * 26 / 0.3 : 2 * 26 * (1 - exp(-r / 0.3)) / r }
        let eq = try RadialEquation(mesh: mesh, nuclearCharge: 26, smoothPotential: v, l: 2, relativity: .scalarRelativistic)
        let ws = RadialWorkspace<ComplexDouble>(count: mesh.count)
        for e in [ComplexDouble(0.3, 0.2), ComplexDouble(0.8, 0.01)] {
            let reg = try eq.regularSolution(energy: e, upTo: 500)
            _ = eq.integrateOutward(energy: e, upTo: 500, scheme: .implicitAdamsMoulton, workspace: ws)
            for i in [1, 100, 500] {
                let v = eq.solutionValues(ws, at: i)
                #expect(v.p == reg.p[i] && v.q == reg.q[i])
            }
            let irr = try eq.inwardSolution(energy: e, from: 500, p: ComplexDouble(1, 0), q: ComplexDouble(0, 1))
            let f = eq.factorization(.irregular)
            _ = eq.integrateInward(energy: e, from: 500, p: ComplexDouble(1, 0).scaled(by: 1 / f.powerP[500]),
                                   q: ComplexDouble(0, 1).scaled(by: 1 / f.powerQ[500]), downTo: 1, factorization: f,
                                   scheme: .implicitAdamsMoulton, workspace: ws)
            for i in [1, 100, 499] {
                let v = eq.solutionValues(ws, at: i, factorization: .irregular)
                #expect(v.p == irr.p[i] && v.q == irr.q[i])
            }
        }
    }

    /// Both Adams schemes agree, and halving a reduces the eigenvalue error by ≈ 2⁵ (5th order):
    /// hydrogen 2p (Z = 10) on meshes with a = 0.04, 0.02, 0.01.
    @Test func convergenceOrder() throws {
        var errors: [AdamsScheme: [Double]] = [:]
        for scheme in AdamsScheme.allCases {
            for a in [0.04, 0.02, 0.01] {
                let eq = try coulomb(z: 10, l: 1, relativity: .nonRelativistic, rmax: 40, a: a, firstPoint: 1e-5)
                let s = try eq.boundState(n: 2, options: BoundStateOptions(scheme: scheme))
                errors[scheme, default: []].append(abs(s.energyRy + 25))
            }
        }
        for (scheme, err) in errors {
            let order1 = log2(err[0] / err[1]), order2 = log2(err[1] / err[2])
            print("\(scheme): errors \(err), observed orders \(order1), \(order2)")
            #expect(order1 > 4 && order2 > 4, "\(scheme): observed orders \(order1), \(order2)")
        }
    }
}
