import Foundation
import KKRNumerics
import Radial

/// Accumulates the lm-resolved valence density of one site and spin channel over contour points
/// (KKR_NOTES §6.1, `JuKKR:rhoout.f90`):
///
///     n_{L''}(r) = −(1/π) Im Σ_j w_j Σ_{LL'} C_{LL'L''} [ δ_{LL'} G_s,l(r, r; z_j) + R_l(r) G_{LL'}(z_j) R_{l'}(r) ],
///
/// with n(r) = Σ_{L''} n_{L''}(r) Y_{L''}(r̂), G_s,l = R_l H_l / W the single-site term and G_{LL'}
/// the structural (back-scattering) Green function of the site. Products of solutions include the
/// scalar-relativistic small component: R_l R_l' → (P_l P_l' + Q_l Q_l'/c²)/r² (KKR_NOTES §2.1).
/// The angular average (spherical density) is n_sph = n_00 Y_00 = n_00 / √(4π).
public struct ValenceDensityAccumulator: Sendable {
    public let mesh: RadialMesh
    public let lmax: Int
    /// Highest l of the density expansion (2 lmax).
    public let lpot: Int
    let gaunt: GauntTable
    /// 1/c² for scalar-relativistic products, 0 for non-relativistic ones.
    let inverseCSquared: Double
    /// Σ_j w_j ρ_{L''}(r; z_j) (complex), [L''][i].
    public private(set) var weightedSum: [[ComplexDouble]]

    public init(mesh: RadialMesh, lmax: Int, gaunt: GauntTable, relativity: Relativity, speedOfLight: Double) {
        precondition(gaunt.lmax1 >= lmax && gaunt.lmax2 >= lmax && gaunt.lmax3 >= 2 * lmax)
        self.mesh = mesh
        self.lmax = lmax
        self.lpot = 2 * lmax
        self.gaunt = gaunt
        inverseCSquared = relativity == .scalarRelativistic ? 1 / (speedOfLight * speedOfLight) : 0
        weightedSum = [[ComplexDouble]](repeating: [ComplexDouble](repeating: .zero, count: mesh.count), count: lmCount(2 * lmax))
    }

    /// The density contribution ρ_{L''}(r; z) of one energy point (unweighted), and its charge
    /// q(z) = ∫ ρ_sph 4π r² dr = √(4π) ∫ ρ_00 r² dr (so N = −(1/π) Im Σ_j w_j q(z_j) and
    /// −(1/π) Im q(z) is the density of states broadened by Im z).
    public func contribution(solution: SingleSiteSolution, structural g: ComplexMatrix) -> (density: [[ComplexDouble]], charge: ComplexDouble) {
        let n = mesh.count
        let nl = lmCount(lmax)
        precondition(g.rows == nl && g.cols == nl)
        let ch = solution.channels
        var rho = [[ComplexDouble]](repeating: [ComplexDouble](repeating: .zero, count: n), count: lmCount(lpot))
        // A_{L''}(l, l') = Σ_{m m'} C_{L L' L''} G_{L L'}
        var a = [[ComplexDouble]](repeating: [ComplexDouble](repeating: .zero, count: (lmax + 1) * (lmax + 1)), count: lmCount(lpot))
        for lm1 in 0..<nl {
            let l1 = lmPair(lm1).l
            for lm2 in 0..<nl {
                let gv = g[lm1, lm2]
                if gv == .zero { continue }
                let l2 = lmPair(lm2).l
                for e in gaunt.nonZero(lm1, lm2) where e.lm3 < lmCount(lpot) {
                    a[e.lm3][l1 * (lmax + 1) + l2] += e.value * gv
                }
            }
        }
        let y00 = 1 / (4 * Double.pi).squareRoot()
        let c2 = inverseCSquared
        // single-site part, L'' = 0 only: (1/√4π) Σ_l (2l+1) G_s,l / r²
        for c in ch {
            let f = Double(2 * c.l + 1) / c.wronskian * y00
            c.regularP.withUnsafeBufferPointer { rp in c.irregularP.withUnsafeBufferPointer { ip in
            c.regularQ.withUnsafeBufferPointer { rq in c.irregularQ.withUnsafeBufferPointer { iq in
                for i in 1..<n {
                    let prod: ComplexDouble = rp[i] * ip[i] + c2 * (rq[i] * iq[i])
                    rho[0][i] += f * (prod / (mesh.r[i] * mesh.r[i]))
                }
            } } } }
        }
        // back-scattering part: for each (l, l'), the radial product once, then every L'' with a
        // non-zero angular coefficient A_{L''}(l, l')
        var prod = [ComplexDouble](repeating: .zero, count: n)
        for l1 in 0...lmax {
            for l2 in l1...lmax {
                let idx = l1 * (lmax + 1) + l2, idxT = l2 * (lmax + 1) + l1
                var targets: [(Int, ComplexDouble)] = []
                for lm3 in 0..<a.count {
                    let coeff = l1 == l2 ? a[lm3][idx] : a[lm3][idx] + a[lm3][idxT]
                    if coeff != .zero { targets.append((lm3, coeff)) }
                }
                if targets.isEmpty { continue }
                let p1 = ch[l1].regularP, p2 = ch[l2].regularP, q1 = ch[l1].regularQ, q2 = ch[l2].regularQ
                for i in 1..<n {
                    let v: ComplexDouble = p1[i] * p2[i] + c2 * (q1[i] * q2[i])
                    prod[i] = v / (mesh.r[i] * mesh.r[i])
                }
                for (lm3, coeff) in targets {
                    rho[lm3].withUnsafeMutableBufferPointer { out in
                        for i in 1..<n { out[i] += coeff * prod[i] }
                    }
                }
            }
        }
        // ∫ ρ_00 r² dr (complex, by Simpson on real and imaginary parts)
        let re = mesh.integrate((0..<n).map { rho[0][$0].real * mesh.r[$0] * mesh.r[$0] })
        let im = mesh.integrate((0..<n).map { rho[0][$0].imaginary * mesh.r[$0] * mesh.r[$0] })
        let q = ComplexDouble(re, im) * (4 * Double.pi).squareRoot()
        return (rho, q)
    }

    /// l-resolved charge function q_l(z) = ∫ r² dr Σ_m [G_s,l + R_l G_{lm,lm} R_l] (single-site plus
    /// back-scattering, angular integral done), so that −(1/π) Im q_l(E + iη) is the l-projected
    /// density of states of one spin channel in states/Ry.
    public func lResolvedCharge(solution: SingleSiteSolution, structural g: ComplexMatrix) -> [ComplexDouble] {
        let n = mesh.count
        let c2 = inverseCSquared
        return solution.channels.map { ch in
            var trace = ComplexDouble.zero
            for m in -ch.l...ch.l { let lm = lmIndex(ch.l, m); trace += g[lm, lm] }
            var re = [Double](repeating: 0, count: n), im = [Double](repeating: 0, count: n)
            for i in 1..<n {
                let single: ComplexDouble = Double(2 * ch.l + 1) * (ch.regularP[i] * ch.irregularP[i] + c2 * (ch.regularQ[i] * ch.irregularQ[i])) / ch.wronskian
                let back: ComplexDouble = trace * (ch.regularP[i] * ch.regularP[i] + c2 * (ch.regularQ[i] * ch.regularQ[i]))
                let v = single + back       // r² ρ r⁻² cancels
                re[i] = v.real; im[i] = v.imaginary
            }
            return ComplexDouble(mesh.integrate(re), mesh.integrate(im))
        }
    }

    /// Adds w · ρ(z) to the running sum.
    public mutating func add(_ density: [[ComplexDouble]], weight w: ComplexDouble) {
        for lm in 0..<weightedSum.count { for i in 0..<mesh.count { weightedSum[lm][i] += w * density[lm][i] } }
    }

    /// Adds another accumulator's sum (parallel reduction).
    public mutating func add(_ other: ValenceDensityAccumulator) {
        for lm in 0..<weightedSum.count { for i in 0..<mesh.count { weightedSum[lm][i] += other.weightedSum[lm][i] } }
    }

    /// n_{L''}(r) = −(1/π) Im Σ_j w_j ρ_{L''}(r; z_j); the value at r = 0 is taken from the first
    /// point r_1 (the formulas divide by r²; r_1 ≈ 1e-6 bohr).
    public func density() -> [[Double]] {
        var out = weightedSum.map { row in row.map { -$0.imaginary / Double.pi } }
        for lm in 0..<out.count { out[lm][0] = out[lm][1] }
        return out
    }
}
