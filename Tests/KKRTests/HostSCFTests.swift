import Foundation
import Testing
@testable import KKR
import Radial
import PotentialIO

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
        // Potential zero (JuKKR ASA muffin-tin zero, mtzero.f90): the converged potential averages
        // to zero over the shell R_MT < r < R_WS, and E_F is then comparable with JuKKR's.
        let rmt = try KKRLatticeFactory.lattice(s).nearestNeighbourDistanceBohr / 2
        #expect(abs(try r.potential.shellAverage(from: rmt)) < 1e-6)
        // VBC of JuKKR's fcc Cu (a = 6.83 bohr, l_max 2, VWN, full potential): 0.7171 Ry; E_F 0.6393 Ry
        // (header line 4 of JuKKR tests/KKRhost/test_inputs/test_21_XCs/VWN/potential, the fixture
        // Tests/PotentialIOTests/Fixtures/Cu_fcc_FP_lmax2_VWN.potential).
        // Tolerance 0.1 Ry: ASA against full potential and l_max/k-mesh differences of E_F of
        // 20–50 mRy (../shared/notes/scf-practice.md); the electrostatic zero is 0.8 Ry away.
        print("Cu l_max 2: E_F \(r.fermiEnergyRy) Ry, VBC \(r.potentialZeroShiftRy) Ry")
        #expect(abs(r.potentialZeroShiftRy - 0.7171) < 0.1, "VBC \(r.potentialZeroShiftRy)")
        #expect(abs(r.fermiEnergyRy - 0.6393) < 0.1, "E_F \(r.fermiEnergyRy)")
    }

    /// Restart across potential zeros: a host converged in the electrostatic zero, restarted in
    /// the muffin-tin-shell zero, converges to the same state as a fresh run (E_F within 0.1 Ry
    /// of JuKKR's 0.6393 Ry, as in `copperConverges`) instead of running away (without the
    /// rigid shift of the start, E_F climbed to 13 Ry).
    @Test func restartFromTheOtherPotentialZero() throws {
        var s = TestHosts.settings("Cu", "fcc", 6.82)
        s.potentialZero = .electrostatic
        let r0 = try HostCalculation.run(s)
        #expect(r0.potentialZeroShiftRy == 0)
        s.potentialZero = .muffinTinShell
        let r1 = try HostCalculation.run(s, start: HostState(potential: r0.potential, fermiEnergyRy: r0.fermiEnergyRy))
        #expect(r1.history.last!.rms < 1e-8)
        #expect(r1.history.count < 40, "iterations \(r1.history.count)")
        #expect(abs(r1.fermiEnergyRy - 0.6393) < 0.1, "E_F \(r1.fermiEnergyRy)")
        let rmt = try KKRLatticeFactory.lattice(s).nearestNeighbourDistanceBohr / 2
        #expect(abs(try r1.potential.shellAverage(from: rmt)) < 1e-6)
    }

    /// JuKKR's converged ASA Au potential (Fixtures/PROVENANCE.md; VBC 0.706 Ry, its potential
    /// stored in JuKKR's muffin-tin zero): one evaluation of our SCF map rebuilds it to rms
    /// < 0.02 Ry in the muffin-tin-shell zero (4.6e-3 Ry with the standard k-mesh,
    /// docs/results/host-validation.md; the tolerance covers this test's coarse k-mesh and the
    /// unconverged 5×5×5 k-mesh of JuKKR's test), against ≈ 0.7 Ry in the electrostatic zero.
    @Test func jukkrAuPotentialIsAFixedPointInTheSameZero() throws {
        guard let base = Bundle.module.resourceURL else { Issue.record("no test resources"); return }
        let path = base.appendingPathComponent("Fixtures/Au_fcc_ASA_spherical.potential").path
        let file = try PotentialFile.read(path: path)
        let site = try SitePotential(blocks: file.blocks, mesh: try SiteMesh(block: file.blocks[0]))
        let v = try SphericalPotential(site: site)
        var rms: [PotentialZero: Double] = [:]
        for zero in PotentialZero.allCases {
            var s = TestHosts.settings("Au", "fcc", 7.713)
            s.potentialZero = zero
            let setup = try HostCalculation.setup(s)
            var problem = try HostProblem(settings: s, structure: setup.structure, coreStates: setup.coreStates,
                                          valenceElectrons: setup.valenceElectrons)
            rms[zero] = try problem.evaluate(HostState(potential: v, fermiEnergyRy: site.fermiEnergyRy)).rms
        }
        print("JuKKR Au, one iteration: rms \(rms)")
        #expect(rms[.muffinTinShell]! < 0.02, "rms \(rms)")
        #expect(rms[.electrostatic]! > 0.5, "rms \(rms)")
    }

    /// The shell average of the potential zero: exact for V = c and for V = c r (smooth part
    /// v = V + 2Z/r): ⟨r⟩ over the shell = (3/4)(R⁴ − r₀⁴)/(R³ − r₀³).
    @Test func shellAverageOfSimplePotentials() throws {
        let mesh = try RadialMesh.covering(rmax: 2.67, firstPoint: 1e-6, a: 0.02)
        let (r0, R) = (1.9, mesh.rmax)
        let constant = SphericalPotential(atomicNumber: 29, mesh: mesh, smooth: [mesh.r.map { -0.7 + 58 / max($0, 1e-300) }])
        #expect(abs(try constant.shellAverage(from: r0) + 0.7) < 1e-6)
        let linear = SphericalPotential(atomicNumber: 0, mesh: mesh, smooth: [mesh.r.map { 0.3 * $0 }, mesh.r.map { 0.1 * $0 }])
        let exact = 0.2 * 0.75 * (pow(R, 4) - pow(r0, 4)) / (pow(R, 3) - pow(r0, 3))
        #expect(abs(try linear.shellAverage(from: r0) - exact) < 1e-6)
    }

    /// A non-magnetic element started with a spin splitting loses its moment (issue 6 acceptance).
    @Test func copperFromSpinSplitStartIsNonMagnetic() throws {
        var s = TestHosts.settings("Cu", "fcc", 6.82, spin: true)
        s.rmsTolerance = 1e-7
        let r = try HostCalculation.run(s)
        #expect(abs(r.magneticMomentMuB) < 1e-4, "moment \(r.magneticMomentMuB)")
    }
}
