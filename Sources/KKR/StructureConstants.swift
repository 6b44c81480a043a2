import Foundation
import KKRNumerics

/// Free-space structure constants (KKR_NOTES §4.3; `JuKKR:source/KKRhost/gfree.f90`):
///
///     G0^{nn'}_{LL'}(E) = −4π i κ Σ_{L''} i^{l − l' − l''} C_{LL'L''} h_{l''}(κ|R|) Y_{L''}(R̂),  R = R_{n'} − R_n,
///
/// with κ = √E (Im κ ≥ 0), h_l the outgoing Hankel function and C the real Gaunt coefficients.
/// They expand the free Green function −e^{iκ|x−x'|}/(4π|x−x'|) between two spheres:
/// G0(r + R_n, r' + R_{n'}) = Σ_{LL'} j_l(κr) Y_L(r̂) G0^{nn'}_{LL'} j_{l'}(κr') Y_{L'}(r̂'). G0^{nn} = 0.
/// Reciprocity: G0^{n'n}_{L'L} = G0^{nn'}_{LL'}.
public struct FreeStructureConstants: Sendable {
    public let lmax: Int
    public let gaunt: GauntTable
    /// i^{l − l' − l''} as a table indexed [l][l'][l''] (the exponent is even).
    private let phase: [ComplexDouble]

    public init(lmax: Int) {
        self.lmax = lmax
        gaunt = GauntTable(lmax: lmax)
        var ph: [ComplexDouble] = []
        let powers = [ComplexDouble(1, 0), ComplexDouble(0, 1), ComplexDouble(-1, 0), ComplexDouble(0, -1)]
        for l in 0...lmax { for lp in 0...lmax { for lpp in 0...(2 * lmax) {
            let e = ((l - lp - lpp) % 4 + 4) % 4
            ph.append(powers[e])
        } } }
        phase = ph
    }

    @inline(__always)
    private func phaseFactor(_ l: Int, _ lp: Int, _ lpp: Int) -> ComplexDouble {
        phase[(l * (lmax + 1) + lp) * (2 * lmax + 1) + lpp]
    }

    /// The (lmax+1)² × (lmax+1)² block G0^{nn'}(E) for R = R_{n'} − R_n (bohr), κ = √E.
    public func block(displacement r: SIMD3<Double>, kappa: ComplexDouble) -> ComplexMatrix {
        let n = lmCount(lmax)
        var g = ComplexMatrix(rows: n, cols: n)
        fill(&g, row: 0, col: 0, displacement: r, kappa: kappa)
        return g
    }

    /// Writes the block G0^{nn'} into `g` at (row, col).
    public func fill(_ g: inout ComplexMatrix, row: Int, col: Int, displacement r: SIMD3<Double>, kappa: ComplexDouble) {
        let dist = (r * r).sum().squareRoot()
        precondition(dist > 0, "G0 is not defined for coinciding sites (G0^{nn} = 0)")
        let h = SphericalBessel.h(lmax: 2 * lmax, z: kappa * dist)
        let y = RealSphericalHarmonics.values(lmax: 2 * lmax, x: r.x, y: r.y, z: r.z)
        let pref = ComplexDouble(0, -4 * Double.pi) * kappa
        // hy[L''] = h_{l''} Y_{L''}
        var hy = [ComplexDouble](repeating: .zero, count: y.count)
        for lm in 0..<y.count { hy[lm] = h[lmPair(lm).l] * y[lm] }
        let n = lmCount(lmax)
        for lm1 in 0..<n {
            let l1 = lmPair(lm1).l
            for lm2 in 0..<n {
                let l2 = lmPair(lm2).l
                var s = ComplexDouble.zero
                for e in gaunt.nonZero(lm1, lm2) {
                    let l3 = lmPair(e.lm3).l
                    s += e.value * phaseFactor(l1, l2, l3) * hy[e.lm3]
                }
                g[row + lm1, col + lm2] = pref * s
            }
        }
    }
}
