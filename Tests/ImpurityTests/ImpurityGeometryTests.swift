import Foundation
import Lattice
import Testing
@testable import Impurity

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
}
