import Testing
@testable import Lattice

@Suite struct PointGroupTests {
    @Test func cubicGroupHas48DistinctOperations() {
        let ops = PointGroup.cubicIntegerOperations
        #expect(ops.count == 48)
        #expect(Set(ops).count == 48)
        #expect(ops[0] == .identity)
        #expect(ops.prefix(24).allSatisfy { $0.determinant == 1 })
        #expect(ops.suffix(24).allSatisfy { $0.determinant == -1 })
        #expect(ops[24] == IntMatrix3(rows: SIMD3(-1, 0, 0), SIMD3(0, -1, 0), SIMD3(0, 0, -1)))
        for m in ops { #expect(m * m.transpose == .identity) }
    }

    /// Closure: every product of two operations is again one of the 48 (exact integer test), and
    /// every operation has its inverse (transpose) in the group.
    @Test func closure() {
        let ops = Set(PointGroup.cubicIntegerOperations)
        for a in ops {
            #expect(ops.contains(a.transpose))
            for b in ops { #expect(ops.contains(a * b)) }
        }
        #expect(PointGroup.cubicOh.isClosed())
        #expect(PointGroup.cubicOh.properSubgroup.isClosed())
        #expect(PointGroup.cubicOh.properSubgroup.order == 24)
        // Dropping one operation breaks closure (the test can fail).
        let broken = try! PointGroup(name: "broken", operations: Array(PointGroup.cubicOh.operations.dropLast()))
        #expect(!broken.isClosed())
    }

    /// O_h maps the fcc, bcc and sc lattices and their reciprocal lattices onto themselves:
    /// all 48 operations are integer matrices in reduced coordinates.
    @Test(arguments: LatticeType.allCases)
    func latticeSymmetry(type: LatticeType) throws {
        let lat = try CrystalLattice(type, latticeConstantBohr: 3.7)
        #expect(try PointGroup.cubicOh.reducedOperations(basis: lat.directBasis).count == 48)
        #expect(try PointGroup.cubicOh.reducedOperations(basis: lat.reciprocalBasis).count == 48)
        // A 45° rotation about z is not a lattice symmetry.
        let s = 0.5.squareRoot()
        let r45 = try PointGroup(name: "C8", operations: [Matrix3([[s, -s, 0], [s, s, 0], [0, 0, 1]])])
        #expect(throws: LatticeError.self) { try r45.reducedOperations(basis: lat.directBasis) }
    }

    @Test func nonOrthogonalOperationRejected() {
        #expect(throws: LatticeError.self) {
            try PointGroup(name: "bad", operations: [Matrix3([[1, 0.1, 0], [0, 1, 0], [0, 0, 1]])])
        }
    }
}
