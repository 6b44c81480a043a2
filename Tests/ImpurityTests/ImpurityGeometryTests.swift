import Foundation
import Lattice
import Testing
@testable import Impurity
import KKR

@Suite struct ImpurityGeometryTests {
    /// fcc: 1 + 12 sites for one shell, 19 for two; bcc: 9 and 15 (KKR_NOTES §9). The displacement
    /// table maps every pair to R_n' − R_n.
    @Test func clusterSizesAndDisplacements() throws {
        for (type, a, sizes) in [(LatticeType.fcc, 6.82, [13, 19]), (.bcc, 5.42, [9, 15])] {
            let lattice = try CrystalLattice(type, latticeConstantBohr: a)
            for (shells, size) in zip([1, 2], sizes) {
                let g = try ImpurityGeometry(lattice: lattice, shells: shells)
                #expect(g.count == size)
                #expect(g.positions[0] == .zero)
                #expect(g.displacements[0] == .zero)
                for n in 0..<g.count { for m in 0..<g.count {
                    let d = g.displacements[g.displacementIndex[n][m]]
                    let e = g.positions[m] - g.positions[n]
                    #expect(((d - e) * (d - e)).sum() < 1e-20)
                } }
                // distinct displacements: fewer than the number of pairs
                #expect(g.displacements.count < g.count * g.count)
            }
        }
        #expect(throws: ImpurityError.self) { _ = try ImpurityGeometry(lattice: try CrystalLattice(.fcc, latticeConstantBohr: 6.82), shells: 0) }
    }

    /// The scoef view: positions in units of a, centre first, first-shell distance a/√2 for fcc.
    @Test func scoefView() throws {
        let g = try ImpurityGeometry(lattice: try CrystalLattice(.fcc, latticeConstantBohr: 6.82), shells: 1)
        let s = g.scoef(hostNuclearCharge: 29)
        #expect(s.sites.count == 13)
        #expect(s.sites[0].distanceAlat == 0)
        #expect(abs(s.sites[1].distanceAlat - 1 / 2.0.squareRoot()) < 1e-12)
    }

    /// The screening check: Friedel residual and impurity net charge, with the database's cases
    /// (docs/results/dataset): Fe in Cu (screened), V in Al with a lost d shell (residual +0.53 e),
    /// Zn in Au (Friedel passes at +0.26 e, but q_imp = +6.2 e), Ni in Mo (q_imp = +3.24 e, screened).
    @Test func screeningCheckUsesFriedelResidualAndImpurityCharge() {
        #expect(ImpurityResult.screeningProblem(friedelResidual: -0.032, impurityCharge: 0.224) == nil)
        #expect(ImpurityResult.screeningProblem(friedelResidual: 0.532, impurityCharge: 6.017)?.contains("ΔN_cl") == true)
        #expect(ImpurityResult.screeningProblem(friedelResidual: 0.261, impurityCharge: 6.214)?.contains("q_imp") == true)
        #expect(ImpurityResult.screeningProblem(friedelResidual: 0.154, impurityCharge: 3.241) == nil)
        #expect(ImpurityResult.screeningProblem(friedelResidual: 0.0, impurityCharge: -5) != nil)
    }

    /// A cached host converged more tightly, or with other SCF controls, serves the request
    /// (`kkr-emulator impurity --host Cu --lmax 2 --cache-dir Potentials/hostcache` used to stop
    /// on the shipped host's rms 1e-9); other physics or a looser convergence does not, and the
    /// error names the fields.
    @Test func cachedHostSettingsMatchByPhysics() {
        var requested = HostSettings(elementSymbol: "Cu", lattice: "fcc", latticeConstantBohr: 6.82)
        requested.lmax = 2
        var stored = requested
        stored.rmsTolerance = 1e-9
        stored.maxIterations = 300
        stored.mixing.broydenAlpha = 0.2
        #expect(HostStore.satisfies(stored: stored, requested: requested))
        var loose = requested
        loose.rmsTolerance = 1e-6
        #expect(!HostStore.satisfies(stored: loose, requested: requested))
        var other = stored
        other.temperatureK = 300
        #expect(!HostStore.satisfies(stored: other, requested: requested))
        let fields = HostStore.differingFields(other, requested)
        #expect(fields.contains { $0.hasPrefix("temperatureK: 300") })
        #expect(fields.contains { $0.hasPrefix("mixing:") })   // broydenAlpha 0.2 vs 0.1 is listed
        #expect(HostStore.differingFields(requested, requested).isEmpty)
    }

    /// The potential zero is part of a cached host's identity: a host file written before the
    /// setting existed (decodes as nil) is an electrostatic-zero host and serves only such
    /// requests; the default muffin-tin-shell hosts get their own file name.
    @Test func cachedHostsKeepTheirPotentialZero() throws {
        var requested = HostSettings(elementSymbol: "Cu", lattice: "fcc", latticeConstantBohr: 6.82)
        requested.lmax = 2
        #expect(requested.resolvedPotentialZero == .muffinTinShell)
        var json = String(decoding: try JSONEncoder().encode(requested), as: UTF8.self)
        json = json.replacingOccurrences(of: "\"potentialZero\":\"muffinTinShell\",", with: "")
            .replacingOccurrences(of: ",\"potentialZero\":\"muffinTinShell\"", with: "")
        let old = try JSONDecoder().decode(HostSettings.self, from: Data(json.utf8))
        #expect(old.potentialZero == nil && old.resolvedPotentialZero == .electrostatic)
        #expect(!HostStore.satisfies(stored: old, requested: requested))
        var electrostatic = requested
        electrostatic.potentialZero = .electrostatic
        #expect(HostStore.satisfies(stored: old, requested: electrostatic))
        #expect(HostStore.fileName(requested) == "Cu-fcc-a6.8200-l2-vwn-T800-mtz.h5")
        #expect(HostStore.fileName(old) == "Cu-fcc-a6.8200-l2-vwn-T800.h5")
        #expect(HostStore.fileName(electrostatic) == HostStore.fileName(old))
    }

    /// Levels from the converged database records (audit with the converged start,
    /// docs/impurity.md 'Semicore states'): Y 4p in Al at −0.389 Ry and the contour bottom at
    /// −1.050 Ry is counted twice; Ga 3d in Al at −1.137 Ry lies 0.087 Ry below the bottom (outside
    /// the 0.05 Ry margin); Hf 4f at −0.911 Ry has no valence channel at l_max 2.
    @Test func coreLevelsInsideTheContourAreFound() {
        let impurity = [[CoreLevel(n: 4, l: 0, energyRy: -1.661, leakage: 0), CoreLevel(n: 4, l: 1, energyRy: -0.389, leakage: 0)]]
        let ga = [[CoreLevel(n: 3, l: 2, energyRy: -1.137, leakage: 0)]]
        let hf = [[CoreLevel(n: 4, l: 3, energyRy: -0.911, leakage: 0)]]
        let found = ImpurityResult.coreLevelsInsideContour([ga, impurity], contourBottomRy: -1.050, lmax: 2)
        #expect(found.count == 1)
        #expect(found.first?.site == 1 && found.first?.level.n == 4 && found.first?.level.l == 1)
        #expect(ImpurityResult.coreLevelsInsideContour([hf], contourBottomRy: -1.050, lmax: 2).isEmpty)
        #expect(ImpurityResult.coreLevelsInsideContour([hf], contourBottomRy: -1.050, lmax: 3).count == 1)
    }
}
