import Foundation

/// Combined index of (l, m) for real spherical harmonics, 0-based: `lm = l(l+1) + m`
/// (JuKKR's 1-based index is lm + 1; `../shared/FORMATS.md` §1a, `JuKKR:source/common/ymy.f90`).
@inlinable public func lmIndex(_ l: Int, _ m: Int) -> Int { l * (l + 1) + m }

/// Number of (l, m) pairs with l ≤ lmax: (lmax + 1)².
@inlinable public func lmCount(_ lmax: Int) -> Int { (lmax + 1) * (lmax + 1) }

/// (l, m) of a 0-based combined index.
@inlinable public func lmPair(_ lm: Int) -> (l: Int, m: Int) {
    let l = Int(Double(lm).squareRoot().rounded(.down))
    // guard against rounding for perfect squares
    var ll = l
    while (ll + 1) * (ll + 1) <= lm { ll += 1 }
    while ll * ll > lm { ll -= 1 }
    return (ll, lm - ll * (ll + 1))
}

/// Real spherical harmonics, orthonormal on the unit sphere, in the JuKKR convention
/// (`JuKKR:source/common/ymy.f90`; `../shared/KKR_NOTES.md` §4.1):
///
///     Y_{l0}     = N_{l0} P_l(cos θ)
///     Y_{l,m>0}  = √2 N_{lm} P_l^m(cos θ) cos(mφ)
///     Y_{l,m<0}  = √2 N_{l|m|} P_l^{|m|}(cos θ) sin(|m|φ)
///     N_{lm}     = sqrt( (2l+1)/(4π) · (l−m)!/(l+m)! )
///
/// with P_l^m the associated Legendre functions **without** the Condon–Shortley phase
/// (ymy.f90 includes (−1)^m in P and again in its `sgm` factor, so the two cancel).
/// Hence Y_{1,1} ∝ +x, Y_{1,−1} ∝ +y, Y_{1,0} ∝ +z.
public enum RealSphericalHarmonics {
    /// All Y_lm(r̂) for l ≤ lmax at the direction of (x, y, z) (need not be normalised),
    /// indexed by `lmIndex(l, m)`. The direction of the zero vector is taken as +z.
    public static func values(lmax: Int, x: Double, y: Double, z: Double) -> [Double] {
        var out = [Double](repeating: 0, count: lmCount(lmax))
        values(lmax: lmax, x: x, y: y, z: z, into: &out)
        return out
    }

    /// In-place variant (no allocation when `out` already has (lmax+1)² elements).
    public static func values(lmax: Int, x: Double, y: Double, z: Double, into out: inout [Double]) {
        precondition(lmax >= 0)
        if out.count != lmCount(lmax) { out = [Double](repeating: 0, count: lmCount(lmax)) }
        let rxy = (x * x + y * y).squareRoot()
        let r = (rxy * rxy + z * z).squareRoot()
        var cth = 1.0, sth = 0.0, cph = 1.0, sph = 0.0
        if r > 0 {
            cth = z / r
            sth = rxy / r
            if rxy > 1e-300 * r { cph = x / rxy; sph = y / rxy }
        }
        // Normalised associated Legendre functions  P̄_l^m = sqrt((2l+1)/(4π) (l−m)!/(l+m)!) P_l^m
        // (no Condon–Shortley phase) by the standard stable recurrences in l at fixed m.
        let fourPi = 4 * Double.pi
        var pmm = (1 / fourPi).squareRoot()       // P̄_0^0
        var cosm = 1.0, sinm = 0.0                // cos(mφ), sin(mφ)
        for m in 0...lmax {
            if m > 0 {
                // P̄_m^m = sqrt((2m+1)/(2m)) sin θ P̄_{m−1}^{m−1}
                pmm *= (Double(2 * m + 1) / Double(2 * m)).squareRoot() * sth
                let c = cosm * cph - sinm * sph
                let s = sinm * cph + cosm * sph
                cosm = c; sinm = s
            }
            let fc = m == 0 ? 1.0 : 2.0.squareRoot() * cosm
            let fs = 2.0.squareRoot() * sinm
            var pPrev = 0.0
            var pCur = pmm
            for l in m...lmax {
                if l == m + 1 {
                    pPrev = pCur
                    pCur = Double(2 * m + 3).squareRoot() * cth * pmm
                } else if l > m + 1 {
                    let ld = Double(l), md = Double(m)
                    let a = ((4 * ld * ld - 1) / (ld * ld - md * md)).squareRoot()
                    let b = (((ld - 1) * (ld - 1) - md * md) / (4 * (ld - 1) * (ld - 1) - 1)).squareRoot()
                    let next = a * (cth * pCur - b * pPrev)
                    pPrev = pCur
                    pCur = next
                }
                out[lmIndex(l, m)] = fc * pCur
                if m > 0 { out[lmIndex(l, -m)] = fs * pCur }
            }
        }
    }

    /// Y_lm for a vector given as an array of three components.
    public static func values(lmax: Int, direction v: [Double]) -> [Double] {
        precondition(v.count == 3)
        return values(lmax: lmax, x: v[0], y: v[1], z: v[2])
    }
}
