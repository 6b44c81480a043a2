import CGSL
import Foundation
import Numerics
import Testing
@testable import KKRNumerics

/// Complex Gaunt coefficient ∫ Y_{l1}^{m1} Y_{l2}^{m2} Y_{l3}^{m3} dΩ for the standard complex
/// harmonics (Condon–Shortley phase) from Wigner 3j symbols (GSL):
/// sqrt((2l1+1)(2l2+1)(2l3+1)/4π) (l1 l2 l3; 0 0 0)(l1 l2 l3; m1 m2 m3).
func complexGaunt(_ l1: Int, _ m1: Int, _ l2: Int, _ m2: Int, _ l3: Int, _ m3: Int) -> Double {
    if m1 + m2 + m3 != 0 { return 0 }
    let pre = (Double((2 * l1 + 1) * (2 * l2 + 1) * (2 * l3 + 1)) / (4 * Double.pi)).squareRoot()
    let a = gsl_sf_coupling_3j(Int32(2 * l1), Int32(2 * l2), Int32(2 * l3), 0, 0, 0)
    let b = gsl_sf_coupling_3j(Int32(2 * l1), Int32(2 * l2), Int32(2 * l3), Int32(2 * m1), Int32(2 * m2), Int32(2 * m3))
    return pre * a * b
}

/// Real harmonic (no CS phase) in terms of complex ones:
/// m > 0: (1/√2)[(−1)^m Y^m + Y^{−m}];  m < 0 (μ = |m|): (1/(i√2))[(−1)^μ Y^μ − Y^{−μ}];  m = 0: Y^0.
func realToComplex(_ m: Int) -> [(m: Int, c: ComplexDouble)] {
    let s = 1 / 2.0.squareRoot()
    if m == 0 { return [(0, .one)] }
    let mu = abs(m)
    let sign = mu % 2 == 0 ? 1.0 : -1.0
    if m > 0 { return [(mu, ComplexDouble(sign * s, 0)), (-mu, ComplexDouble(s, 0))] }
    // 1/(i√2) = −i/√2
    return [(mu, ComplexDouble(0, -sign * s)), (-mu, ComplexDouble(0, s))]
}

@Suite struct GauntTests {
    /// Real Gaunt coefficients against Wigner 3j (GSL) for all l, l', l'' ≤ 6: agreement 1e-12.
    @Test func againstWigner3j() {
        let lmax = 6
        let table = GauntTable(lmax1: lmax, lmax2: lmax, lmax3: lmax)
        var worst = 0.0
        for lm1 in 0..<lmCount(lmax) { for lm2 in 0..<lmCount(lmax) { for lm3 in 0..<lmCount(lmax) {
            let (l1, m1) = lmPair(lm1), (l2, m2) = lmPair(lm2), (l3, m3) = lmPair(lm3)
            var ref = ComplexDouble.zero
            for a in realToComplex(m1) { for b in realToComplex(m2) { for c in realToComplex(m3) {
                ref += a.c * b.c * c.c * complexGaunt(l1, a.m, l2, b.m, l3, c.m)
            } } }
            #expect(abs(ref.imaginary) < 1e-13)
            worst = max(worst, abs(table(lm1, lm2, lm3) - ref.real))
        } } }
        #expect(worst < 1e-12, "worst |C − C_3j| = \(worst)")
    }

    /// C_{00,L,L'} = δ_LL'/√4π and symmetry under permutation.
    @Test func selectionAndSymmetry() {
        let t = GauntTable(lmax: 4)
        for lm in 0..<lmCount(4) {
            for lm2 in 0..<lmCount(4) {
                let expected = lm == lm2 ? 1 / (4 * Double.pi).squareRoot() : 0
                #expect(abs(t(0, lm, lm2) - expected) < 1e-14)
                for e in t.nonZero(lm, lm2) where e.lm3 < lmCount(4) {
                    #expect(abs(e.value - t(lm2, lm, e.lm3)) < 1e-14)
                    #expect(abs(e.value - t(e.lm3, lm2, lm)) < 1e-14)
                }
            }
        }
        // fraction of non-zero entries is small
        let total = lmCount(4) * lmCount(4) * lmCount(8)
        #expect(Double(t.nonZeroCount) / Double(total) < 0.15)
    }

    /// The l = 8 table (L, L' ≤ 8, L'' ≤ 16) builds; spot check C(8,8;16) against 3j.
    @Test func lmaxEight() {
        let t = GauntTable(lmax: 8)
        let lm = lmIndex(8, 0), lm3 = lmIndex(16, 0)
        let ref = complexGaunt(8, 0, 8, 0, 16, 0)
        #expect(abs(t(lm, lm, lm3) - ref) < 1e-12)
    }
}
