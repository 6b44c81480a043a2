import Foundation
import Testing
@testable import Lattice

@Suite struct EwaldSumTests {
    /// KKR_NOTES §7.2 reference values (potential of unit charges + background at a site is −α/R_WS).
    @Test(arguments: [(LatticeType.fcc, 1.79174723), (.bcc, 1.79185851), (.sc, 1.76011888)])
    func madelungConstants(type: LatticeType, alpha: Double) throws {
        let lat = try CrystalLattice(type, latticeConstantBohr: 6.82)
        #expect(abs(try lat.madelungConstant() - alpha) < 1e-7)
    }

    /// The result does not depend on the splitting parameter η (0.6× and 1.7× the default).
    @Test(arguments: LatticeType.allCases)
    func splittingIndependence(type: LatticeType) throws {
        let lat = try CrystalLattice(type, latticeConstantBohr: 5.42)
        let eta0 = try EwaldSum(lattice: lat).splittingPerBohr
        let m1 = try EwaldSum(lattice: lat, splittingPerBohr: 0.6 * eta0).madelungMatrix()
        let m2 = try EwaldSum(lattice: lat, splittingPerBohr: 1.7 * eta0).madelungMatrix()
        #expect(abs(m1[0, 0] - m2[0, 0]) < 1e-10)
    }

    /// Multi-site cells: CsCl (sc cell, sites 0 and (½,½,½)a, charges ±1) and NaCl (fcc cell,
    /// sites 0 and (½,0,0)a) give the classical nearest-neighbour Madelung constants
    /// E_pair = −α/d_nn with α_CsCl = 1.762675, α_NaCl = 1.747565 (Kittel, *Introduction to
    /// Solid State Physics*, ch. 3); η independent to 1e-10; M symmetric.
    @Test func ionicCrystals() throws {
        let a = 7.3
        let sc = try CrystalLattice(.sc, latticeConstantBohr: a)
        let cscl = [Vector3.zero, Vector3(0.5, 0.5, 0.5) * a]
        let fcc = try CrystalLattice(.fcc, latticeConstantBohr: a)
        let nacl = [Vector3.zero, Vector3(0.5, 0, 0) * a]
        for (vectors, sites, dnn, alpha) in [(sc.primitiveVectorsBohr, cscl, a * 0.75.squareRoot(), 1.762675),
                                             (fcc.primitiveVectorsBohr, nacl, a / 2, 1.747565)] {
            let e1 = try EwaldSum(primitiveVectorsBohr: vectors, positionsBohr: sites)
            let e2 = try EwaldSum(primitiveVectorsBohr: vectors, positionsBohr: sites, splittingPerBohr: 2.3 * e1.splittingPerBohr)
            let q = [1.0, -1.0]
            let energy = e1.energy(charges: q)
            #expect(abs(-energy * dnn - alpha) < 1e-6)
            let m1 = e1.madelungMatrix(), m2 = e2.madelungMatrix()
            #expect(abs(m1[0, 1] - m1[1, 0]) < 1e-15)
            for k in 0..<4 { #expect(abs(m1.elements[k] - m2.elements[k]) < 1e-10) }
        }
    }

    /// Consistency: bcc written as an sc cell with two equal sites gives the bcc Madelung potential
    /// at each site; a sc supercell doubled along x gives the sc potential.
    @Test func supercellsReproduceOneSiteLattices() throws {
        let a = 5.0
        let bcc = try CrystalLattice(.bcc, latticeConstantBohr: a)
        let bccPhi = try EwaldSum(lattice: bcc).madelungMatrix()[0, 0]
        let sc = try CrystalLattice(.sc, latticeConstantBohr: a)
        let two = try EwaldSum(primitiveVectorsBohr: sc.primitiveVectorsBohr, positionsBohr: [.zero, Vector3(a / 2, a / 2, a / 2)])
        let phi = two.potentials(charges: [1, 1])
        #expect(abs(phi[0] - bccPhi) < 1e-12 && abs(phi[1] - bccPhi) < 1e-12)
        let scPhi = try EwaldSum(lattice: sc).madelungMatrix()[0, 0]
        let doubled = try EwaldSum(primitiveVectorsBohr: [Vector3(2 * a, 0, 0), Vector3(0, a, 0), Vector3(0, 0, a)],
                                   positionsBohr: [.zero, Vector3(a, 0, 0)])
        #expect(abs(doubled.potentials(charges: [1, 1])[0] - scPhi) < 1e-12)
    }

    @Test func invalidInput() {
        #expect(throws: LatticeError.self) {
            try EwaldSum(primitiveVectorsBohr: [Vector3(1, 0, 0), Vector3(2, 0, 0), Vector3(0, 0, 1)], positionsBohr: [.zero])
        }
        #expect(throws: LatticeError.self) {
            try EwaldSum(primitiveVectorsBohr: [Vector3(1, 0, 0), Vector3(0, 1, 0), Vector3(0, 0, 1)], positionsBohr: [])
        }
    }
}
