import Foundation
import Testing
import Elements
import KKR
import PotentialIO
@testable import Impurity

/// One converged test host and its 1-shell Green function, shared by the impurity tests
/// (computed once per test process; cheap settings: l_max 2, coarse k-meshes).
enum SharedTestHost {
    static let green: Result<HostClusterGreenFunction, Error> = Result {
        var s = HostSettings(elementSymbol: "Cu", lattice: "fcc", latticeConstantBohr: 6.82)
        s.lmax = 2
        s.kMesh = .coarse
        s.horizontalPoints = 12
        s.rmsTolerance = 1e-9
        let r = try HostCalculation.run(s)
        let host = try ConvergedHost(r)
        return try HostClusterGreenFunction.compute(host: host, structure: r.structure, shells: 1)
    }

    /// The same host's Green function on the 2-shell (19-site) cluster.
    static let green2: Result<HostClusterGreenFunction, Error> = Result {
        let g = try green.get()
        let s = g.host.settings
        let lattice = try KKRLatticeFactory.lattice(s)
        let structure = try HostStructure(lattice: lattice, settings: s)
        return try HostClusterGreenFunction.compute(host: g.host, structure: structure, shells: 2)
    }
}

@Suite(.serialized) struct ImpuritySCFTests {
    /// Host-in-host (issue 7 acceptance): a Cu "impurity" in Cu started from the host potential
    /// converges in one iteration (ΔV ≈ 0 to the host's own convergence, 1e-8) and its density on
    /// every site equals the host density.
    @Test func hostInHost() throws {
        let g = try SharedTestHost.green.get()
        var s = ImpuritySettings(impuritySymbol: "Cu")
        s.spinPolarized = false
        let r = try ImpurityCalculation.run(s, green: g, start: HostStart())
        #expect(r.history.count == 1)
        #expect(r.history[0].rms < 1e-8)
        let host = g.host.density[0][0]
        for site in r.last.density {
            let d = zip(site[0][0], host).map { abs($0 - $1) / max(abs($1), 1e-6) }.max()!
            #expect(d < 1e-7, "relative density difference \(d)")
        }
        for q in r.last.charges { #expect(abs(q) < 1e-6) }
    }

    /// Fe in Cu (1 shell, LSDA) from the atomic-superposition start: converges to rms < 1e-8, is
    /// magnetic with a large moment (KKR literature ≈ 2.5–2.8 μB for Fe in Cu, KKR_NOTES §9 table:
    /// soft check m > 2 μB), the first-shell Cu moments are small, and the Friedel screening of the
    /// cluster holds: |ΔN_cl − ΔZ| ≤ 0.05 e (issue 7; scf-practice measured ≈ 0.01 e).
    @Test func ironInCopper() throws {
        let g = try SharedTestHost.green.get()
        let s = ImpuritySettings(impuritySymbol: "Fe")
        let r = try ImpurityCalculation.run(s, green: g, start: AtomicSuperpositionStart())
        #expect(r.history.last!.rms < 1e-8)
        #expect(r.last.moments[0] > 2.0, "Fe moment \(r.last.moments[0])")
        for m in r.last.moments.dropFirst() { #expect(abs(m) < 0.1) }
        let (dz, dn) = r.friedel
        #expect(dz == -3)
        #expect(abs(dn - dz) <= 0.05, "ΔN_cl = \(dn)")
        // ΔV of the neighbours is small compared with the impurity site
        let dv = r.potentialChange
        let imp = dv[0][0][0].map(abs).max()!
        let nb = dv[1][0][0].map(abs).max()!
        #expect(nb < imp)
    }

    /// Ni in Cu (host in the muffin-tin-shell zero) from the atomic start: with the default
    /// Anderson restart factor the first attempt can jump, at the switch to Anderson, into the
    /// state whose Ni d shell has left the contour (q_imp ≈ +7 e; measured at the database's
    /// l_max 2 settings, docs/results/impurity-validation/potential-zero.md). `runScreened`
    /// returns a screened, non-magnetic Ni (KKR literature ≈ 0 μB, KKR_NOTES §9) either way:
    /// directly (as at these coarse test settings, where the first attempt stays screened) or
    /// after the retry with restart factor 10 (the documented CLI run; a start sunk by 1.5 Ry
    /// did not reach the unscreened state, so the retry path itself has no cheap unit test).
    @Test func nickelInCopperEndsScreened() throws {
        let g = try SharedTestHost.green.get()
        let (r, discarded) = try ImpurityCalculation.runScreened(ImpuritySettings(impuritySymbol: "Ni"), green: g,
                                                                 start: AtomicSuperpositionStart())
        print("Ni in Cu: discarded \(discarded) iterations, final \(r.history.count)")
        #expect(r.isScreened)
        #expect(abs(r.last.charges[0]) < 0.5, "q_imp \(r.last.charges[0])")
        #expect(abs(r.last.moments[0]) < 0.1)
        if discarded > 0 { #expect(r.settings.andersonRestartFactor == ImpurityCalculation.retryRestartFactor) }
    }

    /// A potential file is moved into the host's zero by VBC_host − VBC_file: the host-start
    /// potentials written with the host's VBC, and the same potentials written in the
    /// electrostatic zero (shifted by −VBC, VBC = 0 in the file, as the shipped Potentials/hosts),
    /// both come back as the host-start potentials.
    @Test func fileStartMovesPotentialsIntoTheHostZero() throws {
        let g = try SharedTestHost.green.get()
        let vbc = try g.host.potentialZeroShiftRy()
        #expect(vbc > 0.5)   // Cu: ≈ 0.74 Ry (docs/results/host-validation.md)
        let cu = try PeriodicTable.element(symbol: "Cu")
        let c = ImpurityStartContext(host: g.host, geometry: g.geometry, impurity: cu, spinCount: 1)
        let sites = try HostStart().potentials(c)
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("filestart-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: dir) }
        for (name, shift, fileVBC) in [("same-zero", 0.0, vbc), ("electrostatic", -vbc, 0.0)] {
            let blocks = try sites.flatMap { v -> [PotentialBlock] in
                var w = v
                w.smooth = w.smooth.map { $0.map { $0 + shift } }
                return try w.sitePotential(latticeConstantBohr: 6.82, fermiEnergyRy: g.host.fermiEnergyRy, coreLevels: [],
                                           exchangeCorrelationName: "Vosko,Wilk,Nusair", vbcRy: fileVBC).potentialBlocks()
            }
            let path = dir.appendingPathComponent(name).path
            try PotentialFile(blocks: blocks, spinCount: 1).write(to: path, overwrite: true)
            let back = try FileStart(path: path).potentials(c)
            let err = zip(back, sites).map { a, b in zip(a.smooth[0], b.smooth[0]).map { abs($0 - $1) }.max()! }.max()!
            #expect(err < 1e-9, "\(name): max difference \(err) Ry")
        }
    }

    /// The semicore guard (docs/impurity.md, 'Semicore states'): the atomic start of Y in Cu puts
    /// the 4p shell inside the valence contour (the database run then converged with 4p at
    /// +0.22 Ry, counted twice); the guarded start lies 0.3 Ry below the contour bottom and the
    /// SCF converges to a screened state with no core level in the contour. Fe (no shallow
    /// semicore shell) is left as it is.
    @Test func semicoreShellsStartBelowTheContour() throws {
        let g = try SharedTestHost.green.get()
        let bottom = g.host.contourBottomRy
        for (symbol, shifted) in [("Y", true), ("Fe", false)] {
            let impurity = try PeriodicTable.element(symbol: symbol)
            let specs = try ImpurityCalculation.siteSpecs(green: g, impurity: impurity)
            let context = ImpurityStartContext(host: g.host, geometry: g.geometry, impurity: impurity, spinCount: 2)
            let start = try AtomicSuperpositionStart().potentials(context)
            let (guarded, shift) = try ImpurityCalculation.semicoreGuardedStart(start, impurity: specs[0], host: g.host)
            #expect((shift < 0) == shifted, "\(symbol): shift \(shift) Ry")
            let semicore = specs[0].coreStates.filter { $0.l <= g.host.settings.lmax }
            for s in 0..<2 {
                let levels = try CoreStates.solve(potential: guarded[0], spin: s, states: semicore, relativity: g.host.settings.relativity,
                                                  speedOfLight: g.host.settings.speedOfLight, occupationFactor: 0.5).levels
                for l in levels {
                    #expect(l.energyRy <= bottom - ImpurityCalculation.semicoreStartMarginRy + 1e-6, "\(symbol) \(l.n)\(l.l) at \(l.energyRy) Ry")
                }
            }
        }
        let r = try ImpurityCalculation.run(ImpuritySettings(impuritySymbol: "Y"), green: g, start: AtomicSuperpositionStart())
        #expect(r.history.last!.rms < 1e-8)
        #expect(r.coreLevelsInsideContour.isEmpty)
        #expect(r.isScreened, "\(r.screeningProblem ?? "")")
    }

    /// Fe in Cu on the 2-shell cluster (issue 7: "the second [shell] must work") with the default
    /// settings for that cluster size: converges, magnetic, screened. With the 1-shell straight
    /// mixing (α = 0.05) the 19-site cluster's charge sloshed with growing amplitude and the run
    /// ended non-magnetic (`ImpuritySettings.straightMixing(shells:)`).
    @Test func ironInCopperTwoShells() throws {
        let g = try SharedTestHost.green2.get()
        let s = ImpuritySettings(impuritySymbol: "Fe", shells: 2)
        let r = try ImpurityCalculation.run(s, green: g, start: AtomicSuperpositionStart())
        #expect(r.geometry.positions.count == 19)
        #expect(r.history.last!.rms < 1e-8)
        #expect(r.last.moments[0] > 2.0, "Fe moment \(r.last.moments[0])")
        let (dz, dn) = r.friedel
        #expect(abs(dn - dz) <= 0.05, "ΔN_cl = \(dn)")
    }
}
