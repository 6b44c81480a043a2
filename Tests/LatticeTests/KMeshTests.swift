import Foundation
import KKRNumerics
import Testing
@testable import Lattice

@Suite struct KMeshTests {
    /// An O_h-invariant, reciprocal-lattice-periodic test function: a non-linear combination of
    /// shell sums f_s(k) = Σ_{R ∈ shell s} cos(k·R).
    static func invariant(_ k: Vector3, shells: [[Vector3]]) -> Double {
        let f = shells.map { shell in shell.reduce(0.0) { $0 + cos(dot(k, $1)) } }
        return f[0] + 0.3 * f[1] * f[1] + 0.1 * f[0] * f[2] + exp(0.05 * f[1])
    }

    static func shellVectors(_ lat: CrystalLattice, count: Int) throws -> [[Vector3]] {
        let sites = try lat.neighbourSites(withinBohr: try lat.neighbourShells(count: count).last!.distanceBohr)
        return (1...count).map { s in sites.filter { $0.shellIndex == s }.map(\.positionBohr) }
    }

    @Test(arguments: LatticeType.allCases, [(4, KMeshKind.gammaCentred), (5, .monkhorstPack), (6, .monkhorstPack), (7, .gammaCentred)])
    func irreducibleWeightsAndInvariantSums(type: LatticeType, mesh: (Int, KMeshKind)) throws {
        let (n, kind) = mesh
        let lat = try CrystalLattice(type, latticeConstantBohr: 6.82)
        let full = try KMesh(lattice: lat, divisions: n, kind: kind)
        #expect(full.count == n * n * n)
        #expect(full.points.allSatisfy { $0.weight == 1 })
        let ibz = try full.irreducible()
        #expect(ibz.points.reduce(0) { $0 + $1.weight } == n * n * n)
        #expect(ibz.count < full.count)
        #expect(abs(ibz.fractionalWeights.reduce(0, +) - 1) < 1e-14)
        if kind == .gammaCentred || n % 2 == 1 { #expect(ibz.symmetryOperations.count == 48) }

        let shells = try Self.shellVectors(lat, count: 3)
        let fullSum = full.points.reduce(0.0) { $0 + Self.invariant($1.cartesianPerBohr, shells: shells) }
        let ibzSum = ibz.points.reduce(0.0) { $0 + Double($1.weight) * Self.invariant($1.cartesianPerBohr, shells: shells) }
        #expect(abs(fullSum - ibzSum) < 1e-10 * abs(fullSum))

        // A non-invariant function is *not* reproduced (the test can fail): cos(k·R) for one
        // nearest neighbour R plus sin(k·R) for another.
        let r = shells[0][0], r2 = shells[0][1]
        let g = { (k: Vector3) in cos(dot(k, r)) + 2 * sin(dot(k, r2)) + sin(dot(k, r)) }
        let fullG = full.points.reduce(0.0) { $0 + g($1.cartesianPerBohr) }
        let ibzG = ibz.points.reduce(0.0) { $0 + Double($1.weight) * g($1.cartesianPerBohr) }
        #expect(abs(fullG - ibzG) > 1e-3)

        // IBZ → full star reproduces exactly the full mesh.
        let expanded = try ibz.expandedToFullMesh()
        #expect(expanded.count == n * n * n)
        let key = { (p: KPoint) in SIMD3<Int>((p.reduced * Double(2 * n)).rounded(.toNearestOrEven)) }
        #expect(Set(expanded.points.map(key)) == Set(full.points.map(key)))
        #expect(expanded.points.allSatisfy { $0.weight == 1 })
    }

    /// sc, Γ-centred n = 2: Γ, X (×3), M (×3), R (×1).
    @Test func simpleCubicCounts() throws {
        let lat = try CrystalLattice(.sc, latticeConstantBohr: 1)
        let two = try KMesh(lattice: lat, divisions: 2).irreducible()
        #expect(two.points.map(\.weight) == [1, 3, 3, 1])
        #expect(two.points.map { $0.reduced.x + $0.reduced.y + $0.reduced.z } == [0, 0.5, 1, 1.5])
        // General Γ-centred n: |κᵢ| takes m = ⌊n/2⌋ + 1 values, and the irreducible points are the
        // sorted triples: C(m + 2, 3).
        for n in 1...9 {
            let m = n / 2 + 1
            #expect(try KMesh(lattice: lat, divisions: n).irreducible().count == m * (m + 1) * (m + 2) / 6)
        }
    }

    /// Regression (computed here, O_h, Γ-centred): fcc and bcc 8³ → 29, 10³ → 47, 12³ → 72
    /// irreducible points.
    @Test func cubicIrreducibleCounts() throws {
        for type in [LatticeType.fcc, .bcc] {
            let lat = try CrystalLattice(type, latticeConstantBohr: 6.82)
            for (n, count) in [(8, 29), (10, 47), (12, 72)] {
                #expect(try KMesh(lattice: lat, divisions: n).irreducible().count == count)
            }
        }
    }

    /// Monkhorst–Pack coordinates (2r − n − 1)/(2n): n = 2 → ±¼ (no Γ); n = 3 → {0, ±⅓}.
    @Test func monkhorstPackCoordinates() throws {
        let lat = try CrystalLattice(.fcc, latticeConstantBohr: 6.82)
        let even = try KMesh(lattice: lat, divisions: 2, kind: .monkhorstPack)
        #expect(Set(even.points.map(\.reduced.x)) == [-0.25, 0.25])
        let odd = try KMesh(lattice: lat, divisions: 3, kind: .monkhorstPack)
        #expect(Set(odd.points.map { ($0.reduced.z * 3).rounded() }) == [-1, 0, 1])
        #expect(throws: LatticeError.self) { try KMesh(lattice: lat, divisions: 0) }
        // A shifted even MP mesh on fcc is not invariant under all of O_h.
        let reduced = try KMesh(lattice: lat, divisions: 4, kind: .monkhorstPack).irreducible()
        #expect(reduced.symmetryOperations.count < 48)
    }

    /// KKR_NOTES §5.6: Σ_full G(k) = Sym(Σ_IBZ w_k G(k)) for a k-dependent lm-matrix with
    /// G(g k) = D(g) G(k) D(g)ᵀ, here G = F + F·F with F_LL'(k) = Σ_{R ∈ shells 1, 2} e^{ik·R}
    /// Y_L(R̂) Y_L'(R̂) (F alone sums to zero over the full mesh; F·F does not).
    @Test(arguments: [LatticeType.fcc, .bcc])
    func symmetrisedIrreducibleSumEqualsFullSum(type: LatticeType) throws {
        let lmax = 3
        let n = lmCount(lmax)
        let lat = try CrystalLattice(type, latticeConstantBohr: 6.0)
        let shells = try KMeshTests.shellVectors(lat, count: 2)
        let vectors = shells.flatMap { $0 }
        let ylm = vectors.map { RealSphericalHarmonics.values(lmax: lmax, x: $0.x, y: $0.y, z: $0.z) }
        func g(_ k: Vector3) -> ComplexMatrix {
            var m = ComplexMatrix(rows: n, cols: n)
            for (r, y) in zip(vectors, ylm) {
                let phase = ComplexDouble(cos(dot(k, r)), sin(dot(k, r)))
                for j in 0..<n { for i in 0..<n { m[i, j] += phase * (y[i] * y[j]) } }
            }
            return m + m * m
        }
        let full = try KMesh(lattice: lat, divisions: 4)
        let ibz = try full.irreducible()
        var fullSum = ComplexMatrix(rows: n, cols: n)
        for p in full.points { fullSum = fullSum + g(p.cartesianPerBohr) }
        var ibzSum = ComplexMatrix(rows: n, cols: n)
        for p in ibz.points { ibzSum = ibzSum + ComplexDouble(Double(p.weight), 0) * g(p.cartesianPerBohr) }
        let sym = try LMSymmetrizer(group: .cubicOh, lmax: lmax)
        let symmetrised = sym.symmetrize(ibzSum)
        #expect((symmetrised - fullSum).maxAbs < 1e-11 * fullSum.maxAbs)
        #expect((ibzSum - fullSum).maxAbs > 1e-3 * fullSum.maxAbs) // without symmetrisation it is wrong
    }
}
