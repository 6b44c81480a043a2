import Foundation
import Testing
@testable import Lattice

@Suite struct CrystalLatticeTests {
    /// R_WS = (3V/4π)^{1/3}: KKR_NOTES §7.2 gives 2.6652 (fcc Cu, a = 6.82) and 2.6687 (bcc Fe,
    /// a = 5.42), r_WS/a = 0.390796 (fcc), 0.492373 (bcc); sc: (3/4π)^{1/3} = 0.620350.
    @Test func wignerSeitzRadii() throws {
        let cu = try CrystalLattice(.fcc, latticeConstantBohr: 6.82)
        let fe = try CrystalLattice(.bcc, latticeConstantBohr: 5.42)
        #expect(abs(cu.wignerSeitzRadiusBohr - 2.6652) < 5e-5)
        #expect(abs(fe.wignerSeitzRadiusBohr - 2.6687) < 5e-5)
        let one = { (t: LatticeType) in try CrystalLattice(t, latticeConstantBohr: 1).wignerSeitzRadiusBohr }
        #expect(abs(try one(.fcc) - 0.390796) < 1e-6)
        #expect(abs(try one(.bcc) - 0.492373) < 1e-6)
        #expect(abs(try one(.sc) - cbrt(3 / (4 * Double.pi))) < 1e-14)
    }

    /// Cell volumes a³/4 (fcc), a³/2 (bcc), a³ (sc); nearest-neighbour distances a/√2, a√3/2, a.
    @Test(arguments: [(LatticeType.fcc, 0.25, 0.5.squareRoot()), (.bcc, 0.5, 0.75.squareRoot()), (.sc, 1.0, 1.0)])
    func volumeAndNearestNeighbour(type: LatticeType, volumeOverA3: Double, nnOverA: Double) throws {
        let a = 6.5
        let lat = try CrystalLattice(type, latticeConstantBohr: a)
        #expect(abs(lat.cellVolumeBohr3 - volumeOverA3 * a * a * a) < 1e-12)
        #expect(abs(lat.nearestNeighbourDistanceBohr - nnOverA * a) < 1e-12)
        #expect(abs(lat.brillouinZoneVolumePerBohr3 * lat.cellVolumeBohr3 - pow(2 * Double.pi, 3)) < 1e-9)
    }

    /// bᵢ·aⱼ = 2π δᵢⱼ, and reduced ↔ Cartesian conversions are inverse to each other.
    @Test(arguments: LatticeType.allCases)
    func reciprocalVectors(type: LatticeType) throws {
        let lat = try CrystalLattice(type, latticeConstantBohr: 5.9)
        for i in 0..<3 {
            for j in 0..<3 {
                let expected = i == j ? 2 * Double.pi : 0
                #expect(abs(dot(lat.reciprocalVectorsPerBohr[i], lat.primitiveVectorsBohr[j]) - expected) < 1e-13)
            }
        }
        let x = Vector3(0.3, -1.25, 2)
        #expect(length(lat.reduced(cartesian: lat.cartesian(reduced: x)) - x) < 1e-13)
        // fcc reciprocal lattice is bcc with cube edge 4π/a and vice versa: |b| = √3·2π/a (fcc), √2·2π/a (bcc).
        let expectedLength: Double = [LatticeType.fcc: 3.0.squareRoot(), .bcc: 2.0.squareRoot(), .sc: 1.0][type]!
        #expect(abs(length(lat.reciprocalVectorsPerBohr[0]) - expectedLength * 2 * Double.pi / 5.9) < 1e-13)
    }

    @Test func invalidInputThrows() {
        #expect(throws: LatticeError.self) { try CrystalLattice(.fcc, latticeConstantBohr: 0) }
        #expect(throws: LatticeError.self) { try CrystalLattice(.fcc, latticeConstantBohr: -.infinity) }
        #expect(throws: LatticeError.self) { try CrystalLattice(.fcc, latticeConstantBohr: .nan) }
        let lat = try! CrystalLattice(.sc, latticeConstantBohr: 1)
        #expect(throws: LatticeError.self) { try lat.neighbourSites(withinBohr: -1) }
        #expect(throws: LatticeError.self) { try lat.neighbourSites(around: 1, withinBohr: 2) }
        #expect(throws: LatticeError.self) { try Cluster(lattice: lat, shellCount: -1) }
    }
}
