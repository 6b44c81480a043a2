import Foundation
import KKRNumerics
import Radial

/// Electrostatics inside atomic spheres and between them (KKR_NOTES §7; Rydberg units, e² = 2,
/// so the Coulomb kernel is 2/|r − r'| and V is the potential energy of an electron).
public enum Electrostatics {
    /// Hartree potential component V_L(r) of the electronic density component n_L(r)
    /// (n(r) = Σ_L n_L(r) Y_L(r̂)) inside a sphere, from the multipole expansion of 2/|r−r'|:
    ///
    ///     V_L(r) = 8π/(2l+1) [ r^{−l−1} ∫_0^r n_L r'^{l+2} dr' + r^l ∫_r^R n_L r'^{1−l} dr' ],
    ///
    /// i.e. the potential of the sphere's own electrons with no outside charges (J. D. Jackson,
    /// *Classical Electrodynamics*, 3rd ed., eq. 3.70). For l = 0 and the spherical average
    /// n_sph = n_00 Y_00 this is V_sph = (8π/r)∫_0^r n_sph r'² + 8π∫_r^R n_sph r' (KKR_NOTES §7.1).
    public static func hartreeComponent(l: Int, density nL: [Double], mesh: RadialMesh) -> [Double] {
        let n = mesh.count
        precondition(nL.count == n)
        var f1 = [Double](repeating: 0, count: n), f2 = [Double](repeating: 0, count: n)
        for i in 0..<n {
            let r = mesh.r[i]
            f1[i] = nL[i] * pow(r, Double(l + 2))
            f2[i] = r > 0 ? nL[i] * pow(r, Double(1 - l)) : (l <= 1 ? nL[i] * (l == 1 ? 1 : 0) : 0)
        }
        let i1 = mesh.cumulativeIntegral(f1)
        let c2 = mesh.cumulativeIntegral(f2)
        let total2 = c2[n - 1]
        let pref = 8 * Double.pi / Double(2 * l + 1)
        var v = [Double](repeating: 0, count: n)
        for i in 0..<n {
            let r = mesh.r[i]
            let inner = r > 0 ? i1[i] / pow(r, Double(l + 1)) : 0
            let outer = (total2 - c2[i]) * (l == 0 ? 1 : pow(r, Double(l)))
            v[i] = pref * (inner + outer)
        }
        return v
    }

    /// Electron number inside the sphere for a spherical density n_sph: 4π ∫ n r² dr.
    public static func charge(sphericalDensity n: [Double], mesh: RadialMesh) -> Double {
        4 * Double.pi * mesh.integrate(zip(n, mesh.r).map { $0 * $1 * $1 })
    }

    /// Intercell (Madelung) potential inside sphere n from point charges q_{n'} (net ionic
    /// charges, q = Z − N) on the other sites, expanded about R_n (KKR_NOTES §7.2; the l > 0
    /// terms are the non-spherical intercell parts, cf. `JuKKR:source/KKRimp/vinters2010.f90`):
    ///
    ///     V(r) = −2 Σ_{n'≠n} q_{n'} / |r − d_{n'}| = Σ_L c_L r^l Y_L(r̂),
    ///     c_L = −2 Σ_{n'} q_{n'} (4π/(2l+1)) Y_L(d̂_{n'}) / |d_{n'}|^{l+1},   d_{n'} = R_{n'} − R_n.
    ///
    /// Returns the coefficients c_L for l ≤ lmax (V_L(r) = c_L r^l). The monopole V = c_00 Y_00
    /// is the ASA Madelung shift −2 Σ q_{n'}/|d_{n'}|.
    public static func intercellCoefficients(charges: [Double], displacements: [SIMD3<Double>], lmax: Int) -> [Double] {
        precondition(charges.count == displacements.count)
        var c = [Double](repeating: 0, count: lmCount(lmax))
        for (q, d) in zip(charges, displacements) where q != 0 {
            let dist = (d * d).sum().squareRoot()
            precondition(dist > 0, "a charge at the expansion centre is not an intercell term")
            let y = RealSphericalHarmonics.values(lmax: lmax, x: d.x, y: d.y, z: d.z)
            for lm in 0..<y.count {
                let l = lmPair(lm).l
                c[lm] += -2 * q * 4 * Double.pi / Double(2 * l + 1) * y[lm] / pow(dist, Double(l + 1))
            }
        }
        return c
    }
}
