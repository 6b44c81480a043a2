import Foundation
import Testing
@testable import Lattice

@Suite struct NeighbourShellTests {
    /// Shell multiplicities and squared radii (units of a²), counted by hand from the lattice
    /// vectors (Kittel, *Introduction to Solid State Physics*, ch. 1, for the first shells):
    /// fcc 12, 6, 24, 12, 24, 8, 48 at (a²/2)·1…7; bcc 8, 6, 12, 24, 8, 6, 24 at
    /// 3/4, 1, 2, 11/4, 3, 4, 19/4; sc 6, 12, 8, 6, 24, 24 at 1, 2, 3, 4, 5, 6.
    @Test(arguments: [
        (LatticeType.fcc, [12, 6, 24, 12, 24, 8, 48], [0.5, 1, 1.5, 2, 2.5, 3, 3.5]),
        (.bcc, [8, 6, 12, 24, 8, 6, 24], [0.75, 1, 2, 2.75, 3, 4, 4.75]),
        (.sc, [6, 12, 8, 6, 24, 24], [1, 2, 3, 4, 5, 6]),
    ])
    func multiplicities(type: LatticeType, counts: [Int], radii2: [Double]) throws {
        let a = 6.82
        let lat = try CrystalLattice(type, latticeConstantBohr: a)
        let shells = try lat.neighbourShells(count: counts.count)
        #expect(shells.count == counts.count + 1)
        #expect(shells[0].multiplicity == 1 && shells[0].distanceBohr == 0)
        #expect(Array(shells.dropFirst().map(\.multiplicity)) == counts)
        for (s, r2) in zip(shells.dropFirst(), radii2) {
            #expect(abs(s.distanceInUnitsOfA * s.distanceInUnitsOfA - r2) < 1e-12)
            #expect(abs(s.distanceBohr - a * r2.squareRoot()) < 1e-12)
        }
        // Radius-based enumeration agrees with the count-based one.
        let byRadius = try lat.neighbourShells(withinBohr: shells.last!.distanceBohr)
        #expect(byRadius == shells)
    }

    /// Sorted by distance; within a shell lexicographic in (x, y, z); origin first; every shell is
    /// closed under O_h (the 48 operations permute its sites).
    @Test(arguments: LatticeType.allCases)
    func orderAndSymmetry(type: LatticeType) throws {
        let lat = try CrystalLattice(type, latticeConstantBohr: 1)
        let sites = try lat.neighbourSites(withinBohr: 2.01)
        #expect(sites[0].positionBohr == .zero && sites[0].shellIndex == 0)
        for (p, q) in zip(sites, sites.dropFirst()) {
            #expect(p.distanceBohr <= q.distanceBohr + 1e-12)
            #expect(q.shellIndex == p.shellIndex || q.shellIndex == p.shellIndex + 1)
            if p.shellIndex == q.shellIndex {
                let a = p.positionBohr, b = q.positionBohr
                let less = a.x < b.x - 1e-9 || (abs(a.x - b.x) < 1e-9 && (a.y < b.y - 1e-9 || (abs(a.y - b.y) < 1e-9 && a.z < b.z - 1e-9)))
                #expect(less, "\(a) before \(b)")
            }
            // Positions are R = Σ nᵢ aᵢ of the stored translation.
            #expect(length(lat.cartesian(reduced: Vector3(q.translation)) - q.positionBohr) < 1e-12)
        }
        let keys = Set(sites.map { SIMD3<Int>(($0.positionBohr * 1e6).rounded(.toNearestOrEven)) })
        #expect(keys.count == sites.count)
        for g in PointGroup.cubicOh.operations {
            for s in sites {
                let image = SIMD3<Int>((g * s.positionBohr * 1e6).rounded(.toNearestOrEven))
                #expect(keys.contains(image))
            }
        }
    }

    /// The lattice vectors of a one-site lattice are its neighbour sites.
    @Test func latticeVectorsEqualSitesForOneSiteLattice() throws {
        let lat = try CrystalLattice(.bcc, latticeConstantBohr: 5.42)
        #expect(try lat.latticeVectors(withinBohr: 12) == lat.neighbourSites(withinBohr: 12))
    }
}

@Suite struct ClusterTests {
    /// KKR_NOTES §5.3: fcc a = 6.82 with R_cl = 11 bohr has 5 shells, 79 sites; §9: first shell
    /// fcc 13 sites, two shells 19; bcc 9 and 15.
    @Test func clusterSizes() throws {
        let cu = try CrystalLattice(.fcc, latticeConstantBohr: 6.82)
        let screening = try Cluster(lattice: cu, radiusBohr: 11)
        #expect(screening.count == 79)
        #expect(screening.shellCount == 5)
        #expect(try Cluster(lattice: cu, shellCount: 1).count == 13)
        #expect(try Cluster(lattice: cu, shellCount: 2).count == 19)
        #expect(try Cluster(lattice: cu, shellCount: 0).count == 1)
        let fe = try CrystalLattice(.bcc, latticeConstantBohr: 5.42)
        #expect(try Cluster(lattice: fe, shellCount: 1).count == 9)
        #expect(try Cluster(lattice: fe, shellCount: 2).count == 15)
    }

    /// Positions in units of a: the fcc first shell is the 12 vectors (±½, ±½, 0) and permutations,
    /// listed in the documented (x, y, z) order; a radius exactly at a shell distance includes it.
    @Test func fccFirstShellPositions() throws {
        let a = 6.82
        let cu = try CrystalLattice(.fcc, latticeConstantBohr: a)
        let c = try Cluster(lattice: cu, shellCount: 1)
        let units = c.positionsInUnitsOfA
        #expect(units[0] == .zero)
        let expected: [Vector3] = [
            Vector3(-0.5, -0.5, 0), Vector3(-0.5, 0, -0.5), Vector3(-0.5, 0, 0.5), Vector3(-0.5, 0.5, 0),
            Vector3(0, -0.5, -0.5), Vector3(0, -0.5, 0.5), Vector3(0, 0.5, -0.5), Vector3(0, 0.5, 0.5),
            Vector3(0.5, -0.5, 0), Vector3(0.5, 0, -0.5), Vector3(0.5, 0, 0.5), Vector3(0.5, 0.5, 0),
        ]
        #expect(units.count == 13)
        for (u, e) in zip(units.dropFirst(), expected) { #expect(length(u - e) < 1e-14) }
        for (p, u) in zip(c.positionsBohr, units) { #expect(length(p - a * u) < 1e-12) }
        let byRadius = try Cluster(lattice: cu, radiusBohr: cu.nearestNeighbourDistanceBohr)
        #expect(byRadius.count == 13)
        #expect(byRadius.sites == c.sites)
    }
}
