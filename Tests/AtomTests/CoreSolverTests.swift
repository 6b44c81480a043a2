import Elements
import Foundation
import Radial
import Testing
@testable import Atom

/// Core states for the KKR code (KKR_NOTES §3).
@Suite struct CoreSolverTests {
    /// Scalar-relativistic Cu atom with the KKR conventions (shared by the tests).
    static let copper: AtomResult = {
        let s = AtomSettings(relativity: .scalarRelativistic).jukkrConventions
        return try! FreeAtom.solve(PeriodicTable.element(symbol: "Cu"), settings: s)
    }()

    /// In the converged atomic potential on the atomic mesh, the core solver reproduces the
    /// self-consistent eigenvalues (same equations, independent call path) to 1e-10 Ry.
    @Test func reproducesAtomEigenvalues() throws {
        let r = Self.copper
        let core = r.coreOrbitals(below: -3)
        let states = try CoreSolver.solve(mesh: r.mesh, nuclearCharge: 29, smoothPotential: r.smoothPotentials[0], states: core,
                                          relativity: .scalarRelativistic, speedOfLight: r.settings.speedOfLightRy)
        for s in states {
            let ref = r.eigenvalueRy(n: s.n, l: s.l)!
            #expect(abs(s.energyRy - ref) < 1e-10, "\(s.label): \(s.energyRy) vs \(ref)")
            #expect(s.chargeBeyondMesh < 1e-20)
        }
    }

    /// Cu core in a Wigner–Seitz sphere (R = 2.6652 bohr, KKR_NOTES §7.2) on a JuKKR-like mesh
    /// (a = 0.025, 501 points): the atomic potential is cut at R and the decaying Hankel
    /// condition applied there. Deep levels are unaffected (1s–2p within 1e-6 Ry of the
    /// atomic ones), the shallow 3p feels the boundary (its eigenvalue shifts and it leaks),
    /// and every shell holds its occupation inside plus beyond the sphere.
    @Test func coreInWignerSeitzSphere() throws {
        let r = Self.copper
        let ws = try RadialMesh(rmax: 2.6652, a: 0.025, count: 501)
        // interpolate r·v (smooth) onto the KKR mesh
        let rv = (0..<r.mesh.count).map { r.mesh.r[$0] * r.smoothPotentials[0][$0] }
        let rvWS = try r.mesh.interpolate(rv, onto: ws)
        var v = (0..<ws.count).map { $0 == 0 ? 0 : rvWS[$0] / ws.r[$0] }
        v[0] = try r.mesh.interpolate(r.smoothPotentials[0], at: 0)
        let core = r.coreOrbitals(below: -3)
        let states = try CoreSolver.solve(mesh: ws, nuclearCharge: 29, smoothPotential: v, states: core,
                                          relativity: .scalarRelativistic)
        for s in states {
            let atomic = r.eigenvalueRy(n: s.n, l: s.l)!
            if s.n <= 2 {
                #expect(abs(s.energyRy - atomic) < 1e-6, "\(s.label): \(s.energyRy) vs atomic \(atomic)")
            }
            let inside = ws.integrate(s.radialDensity)
            #expect(abs(inside + s.chargeBeyondMesh - s.occupation) < 1e-8, "\(s.label): \(inside) + \(s.chargeBeyondMesh)")
        }
        let p3 = states.first { $0.label == "3p" }!
        let s1 = states.first { $0.label == "1s" }!
        #expect(p3.chargeBeyondMesh > 1e-4 && p3.chargeBeyondMesh < 0.1, "3p leakage \(p3.chargeBeyondMesh)")
        #expect(s1.chargeBeyondMesh < 1e-12)
        print("Cu core in the WS sphere: " + states.map { String(format: "%@ %.6f Ry (leak %.1e)", $0.label, $0.energyRy, $0.chargeBeyondMesh) }.joined(separator: ", "))
    }
}
