import Foundation
import Testing
@testable import KKR

/// Cheap but complete host SCF runs (l_max 2, coarse k-meshes, 12 points on the horizontal
/// contour leg). The full-accuracy validations (Cu l_max 3 DOS, bcc Fe and fcc Ni moments) are
/// documented runs in docs/results/host-validation.md.
enum TestHosts {
    static func settings(_ el: String, _ lattice: String, _ a: Double, spin: Bool = false) -> HostSettings {
        var s = HostSettings(elementSymbol: el, lattice: lattice, latticeConstantBohr: a)
        s.lmax = 2
        s.kMesh = .coarse
        s.horizontalPoints = 12
        s.spinPolarized = spin
        s.rmsTolerance = 1e-8
        return s
    }
}

@Suite(.serialized) struct HostSCFTests {
    /// fcc Cu from the free-atom superposition start: converges to rms < 1e-8 (issue 6), the sphere
    /// is neutral to 1e-6 electrons at convergence (valence + core inside the sphere = Z), the
    /// core levels are ordered and bound, and E_F lies above the potential at the sphere boundary
    /// (the s band bottom is near V(R_WS) in the ASA).
    @Test func copperConverges() throws {
        let s = TestHosts.settings("Cu", "fcc", 6.82)
        let r = try HostCalculation.run(s)
        #expect(r.history.last!.rms < 1e-8)
        #expect(r.history.count < 60, "iterations \(r.history.count)")
        let p = try r.problem()
        let mesh = r.potential.mesh
        let y00 = 1 / (4 * Double.pi).squareRoot()
        let total = Electrostatics.charge(sphericalDensity: r.density[0][0].map { $0 * y00 }, mesh: mesh)
        #expect(abs(total - 29) < 1e-6, "electrons in the sphere \(total)")
        #expect(r.coreLevels.map(\.energyRy).allSatisfy { $0 < r.fermiEnergyRy - 3 })
        #expect(r.fermiEnergyRy > r.potential.total(spin: 0, at: mesh.count - 1))
        #expect(p.spinCount == 1)
    }

    /// A non-magnetic element started with a spin splitting loses its moment (issue 6 acceptance).
    @Test func copperFromSpinSplitStartIsNonMagnetic() throws {
        var s = TestHosts.settings("Cu", "fcc", 6.82, spin: true)
        s.rmsTolerance = 1e-7
        let r = try HostCalculation.run(s)
        #expect(abs(r.magneticMomentMuB) < 1e-4, "moment \(r.magneticMomentMuB)")
    }
}
