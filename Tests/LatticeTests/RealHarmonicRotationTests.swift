import Foundation
import KKRNumerics
import Testing
@testable import Lattice

@Suite struct RealHarmonicRotationTests {
    static let lmax = 8

    /// 10 random proper + 10 random improper rotations (seeded) and the 48 cubic operations.
    static let rotations: [Matrix3] = {
        var rng = SplitMix64(seed: 20240611)
        var out: [Matrix3] = []
        for i in 0..<20 { out.append(randomRotation(&rng, improper: i % 2 == 1)) }
        return out + PointGroup.cubicOh.operations
    }()

    static func maxDeviationFromIdentity(_ m: RealMatrix) -> Double {
        var worst = 0.0
        for j in 0..<m.cols { for i in 0..<m.rows { worst = max(worst, abs(m[i, j] - (i == j ? 1 : 0))) } }
        return worst
    }

    /// Defining property Y_L(R r̂) = Σ_L' D_LL'(R) Y_L'(r̂) at random points, l ≤ 8, to 1e-12,
    /// and orthogonality D Dᵀ = 1.
    @Test func rotatesHarmonicsAndIsOrthogonal() throws {
        var rng = SplitMix64(seed: 7)
        for r in Self.rotations {
            let d = try RealHarmonicRotation(r, lmax: Self.lmax)
            let m = d.matrix
            #expect(Self.maxDeviationFromIdentity(m * m.transpose) < 1e-12)
            for _ in 0..<5 {
                let v = randomUnitVector(&rng)
                let rv = r * v
                let lhs = RealSphericalHarmonics.values(lmax: Self.lmax, x: rv.x, y: rv.y, z: rv.z)
                let rhs = d.apply(RealSphericalHarmonics.values(lmax: Self.lmax, x: v.x, y: v.y, z: v.z))
                let err = zip(lhs, rhs).map { abs($0 - $1) }.max()!
                #expect(err < 1e-12)
            }
        }
    }

    /// Homomorphism D(R₁R₂) = D(R₁) D(R₂) for random pairs and cubic pairs.
    @Test func homomorphism() throws {
        let rs = Self.rotations
        for i in stride(from: 0, to: rs.count, by: 3) {
            let r1 = rs[i], r2 = rs[(i * 7 + 5) % rs.count]
            let d12 = try RealHarmonicRotation(r1 * r2, lmax: Self.lmax).matrix
            let d1 = try RealHarmonicRotation(r1, lmax: Self.lmax).matrix
            let d2 = try RealHarmonicRotation(r2, lmax: Self.lmax).matrix
            let diff = zip((d1 * d2).elements, d12.elements).map { abs($0 - $1) }.max()!
            #expect(diff < 1e-12)
        }
    }

    /// Closed forms: for l = 1 the real harmonics are ∝ (y, z, x) for m = (−1, 0, 1), so
    /// D¹_{mm'} = R_{σ(m)σ(m')} with σ = (−1 → y, 0 → z, 1 → x); the inversion gives (−1)^l; a
    /// 90° rotation about z maps Y_{2,−2} ∝ xy to −xy.
    @Test func closedForms() throws {
        var rng = SplitMix64(seed: 99)
        let r = randomRotation(&rng, improper: true)
        let d = try RealHarmonicRotation(r, lmax: 2)
        let sigma = [1, 2, 0]
        for m in -1...1 {
            for mp in -1...1 {
                #expect(abs(d[lmIndex(1, m), lmIndex(1, mp)] - r[sigma[m + 1], sigma[mp + 1]]) < 1e-14)
            }
        }
        #expect(d[lmIndex(1, 0), lmIndex(2, 0)] == 0)
        let inversion = try RealHarmonicRotation(-1 * .identity, lmax: 5)
        for lm in 0..<lmCount(5) {
            let l = lmPair(lm).l
            for lm2 in 0..<lmCount(5) {
                let expected = lm == lm2 ? (l % 2 == 0 ? 1.0 : -1.0) : 0
                #expect(abs(inversion[lm, lm2] - expected) < 1e-14)
            }
        }
        let c4z = try RealHarmonicRotation(Matrix3([[0, -1, 0], [1, 0, 0], [0, 0, 1]]), lmax: 2)
        #expect(abs(c4z[lmIndex(2, -2), lmIndex(2, -2)] + 1) < 1e-14)
        #expect(abs(c4z[lmIndex(2, 0), lmIndex(2, 0)] - 1) < 1e-14)
    }

    @Test func rejectsNonOrthogonalMatrix() {
        #expect(throws: LatticeError.self) {
            try RealHarmonicRotation(Matrix3([[1, 0, 0], [0, 1.001, 0], [0, 0, 1]]), lmax: 2)
        }
        #expect(throws: LatticeError.self) { try RealHarmonicRotation(.identity, lmax: -1) }
    }
}

@Suite struct LMSymmetrizerTests {
    static func randomComplex(_ n: Int, seed: UInt64) -> ComplexMatrix {
        var rng = SplitMix64(seed: seed)
        var g = ComplexMatrix(rows: n, cols: n)
        for k in 0..<(n * n) {
            g.elements[k] = ComplexDouble(Double.random(in: -1...1, using: &rng), Double.random(in: -1...1, using: &rng))
        }
        return g
    }

    /// KKR_NOTES §5.6: in cubic symmetry a symmetrised on-site matrix is diagonal in s, p, d with
    /// s single, p triple, d = t2g (m = −2, −1, 1) + eg (m = 0, 2). With l = 3 included, s and d do
    /// not couple to f, but p does: l = 3 contains the T1u irreducible representation of p
    /// (x(5x² − 3r²), …), so p–f elements survive the O_h average.
    @Test func cubicOnSiteStructure() throws {
        let lmax = 3
        let sym = try LMSymmetrizer(group: .cubicOh, lmax: lmax)
        let g = Self.randomComplex(lmCount(lmax), seed: 1)
        let s = sym.symmetrize(g)
        let spd = lmCount(2)
        var pf = 0.0
        for j in 0..<spd {
            for i in 0..<spd where i != j { #expect(s[i, j].length < 1e-13, "off-diagonal (\(i), \(j))") }
            for i in spd..<lmCount(lmax) {
                if lmPair(j).l == 1 {
                    pf = max(pf, s[i, j].length)
                } else {
                    #expect(s[i, j].length < 1e-13 && s[j, i].length < 1e-13, "s/d–f element (\(i), \(j))")
                }
            }
        }
        #expect(pf > 1e-3)
        let p = (-1...1).map { s[lmIndex(1, $0), lmIndex(1, $0)] }
        let t2g = [-2, -1, 1].map { s[lmIndex(2, $0), lmIndex(2, $0)] }
        let eg = [0, 2].map { s[lmIndex(2, $0), lmIndex(2, $0)] }
        #expect((p[1] - p[0]).length < 1e-13 && (p[2] - p[0]).length < 1e-13)
        #expect((t2g[1] - t2g[0]).length < 1e-13 && (t2g[2] - t2g[0]).length < 1e-13)
        #expect((eg[1] - eg[0]).length < 1e-13)
        #expect((t2g[0] - eg[0]).length > 1e-3)   // t2g and eg are different for a random G
        // Traces per l are preserved: the group average keeps Tr_l G.
        for l in 0...lmax {
            var tg = ComplexDouble.zero, ts = ComplexDouble.zero
            for m in -l...l { tg += g[lmIndex(l, m), lmIndex(l, m)]; ts += s[lmIndex(l, m), lmIndex(l, m)] }
            #expect((tg - ts).length < 1e-13)
        }
    }

    /// The result is invariant, D(g) G_sym D(g)ᵀ = G_sym for all g, and symmetrising is idempotent.
    @Test func invariantAndIdempotent() throws {
        let lmax = 4
        let sym = try LMSymmetrizer(group: .cubicOh, lmax: lmax)
        let s = sym.symmetrize(Self.randomComplex(lmCount(lmax), seed: 2))
        #expect((sym.symmetrize(s) - s).maxAbs < 1e-13)
        for d in sym.rotations {
            let dc = ComplexMatrix(rows: s.rows, cols: s.cols, columnMajor: d.matrix.elements.map { ComplexDouble($0, 0) })
            #expect((dc * s * dc.transpose - s).maxAbs < 1e-13)
        }
        // Not the identity map: a random matrix changes.
        let g = Self.randomComplex(lmCount(lmax), seed: 3)
        #expect((sym.symmetrize(g) - g).maxAbs > 0.1)
    }
}
