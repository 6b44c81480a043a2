import Numerics

/// Spherical Bessel j_l, Neumann n_l and outgoing Hankel h_l = j_l + i n_l for complex
/// argument z, l = 0…lmax (`../shared/KKR_NOTES.md` §2.4 and pitfall 2):
///
///     j_0(z) = sin z / z,   n_0(z) = −cos z / z,   h_0(z) = −i e^{iz} / z,
///     h_1(z) = −(e^{iz}/z)(1 + i/z),   f_{l+1} = (2l+1)/z f_l − f_{l−1}  (f = j, n, h).
///
/// Numerically stable for small |z| and large l:
/// * j_l: power series j_l(z) = z^l/(2l+1)!! Σ_k (−z²/2)^k / (k! Π_{i=1}^{k}(2l+2i+1)) for
///   |z| ≤ 1 (Abramowitz & Stegun 10.1.2), Miller's downward recurrence normalised with the
///   larger of |j_0|, |j_1| otherwise (A&S 10.1.19; downward is the stable direction for j).
/// * h_l: upward recurrence from the closed forms (h is the dominant solution, A&S 10.1.19).
/// * n_l = −i (h_l − j_l), accurate both where h dominates (small |z|) and where j and n
///   dominate (large Im z).
public struct SphericalBesselSet: Sendable {
    public let j: [ComplexDouble]
    public let n: [ComplexDouble]
    public let h: [ComplexDouble]
}

public enum SphericalBessel {
    /// j_l(z), n_l(z), h_l(z) for l = 0…lmax. z must be non-zero.
    public static func all(lmax: Int, z: ComplexDouble) -> SphericalBesselSet {
        let jl = j(lmax: lmax, z: z)
        let hl = h(lmax: lmax, z: z)
        let minusI = ComplexDouble(0, -1)
        let nl = (0...lmax).map { minusI * (hl[$0] - jl[$0]) }
        return SphericalBesselSet(j: jl, n: nl, h: hl)
    }

    /// Outgoing spherical Hankel functions h_l^(1)(z), l = 0…lmax, by upward recurrence.
    public static func h(lmax: Int, z: ComplexDouble) -> [ComplexDouble] {
        precondition(lmax >= 0)
        precondition(z != .zero, "h_l(z) is singular at z = 0")
        var out = [ComplexDouble](repeating: .zero, count: lmax + 1)
        let eiz = ComplexDouble.exp(ComplexDouble(0, 1) * z)
        let invz = ComplexDouble.one / z
        out[0] = ComplexDouble(0, -1) * eiz * invz
        if lmax >= 1 { out[1] = -(eiz * invz) * (.one + ComplexDouble(0, 1) * invz) }
        if lmax >= 2 {
            for l in 1..<lmax { out[l + 1] = Double(2 * l + 1) * invz * out[l] - out[l - 1] }
        }
        return out
    }

    /// Regular spherical Bessel functions j_l(z), l = 0…lmax.
    public static func j(lmax: Int, z: ComplexDouble) -> [ComplexDouble] {
        precondition(lmax >= 0)
        if z.length <= 1 { return jSeries(lmax: lmax, z: z) }
        return jMiller(lmax: lmax, z: z)
    }

    /// Power series for j_l (used for |z| ≤ 1, also valid beyond, with cancellation for large |z|).
    public static func jSeries(lmax: Int, z: ComplexDouble) -> [ComplexDouble] {
        var out = [ComplexDouble](repeating: .zero, count: lmax + 1)
        let x = -(z * z) * 0.5
        var zl = ComplexDouble.one          // z^l
        var dfact = 1.0                     // (2l+1)!!
        for l in 0...lmax {
            if l > 0 { zl = zl * z; dfact *= Double(2 * l + 1) }
            var term = ComplexDouble.one
            var sum = ComplexDouble.one
            var k = 1
            while k < 400 {
                term = term * x / (Double(k) * Double(2 * l + 2 * k + 1))
                sum += term
                if term.length <= 1e-17 * sum.length { break }
                k += 1
            }
            out[l] = zl * sum / dfact
        }
        return out
    }

    /// Miller's algorithm: downward recurrence from l_start ≫ max(lmax, |z|), normalised to
    /// the closed form j_0 = sin z / z (or j_1 where |j_0| is smaller).
    static func jMiller(lmax: Int, z: ComplexDouble) -> [ComplexDouble] {
        let start = lmax + Int(z.length) + 40
        var out = [ComplexDouble](repeating: .zero, count: lmax + 1)
        let invz = ComplexDouble.one / z
        var fp1 = ComplexDouble.zero              // f_{l+1}
        var f = ComplexDouble(1e-30, 0)           // f_l
        var f0 = ComplexDouble.zero, f1 = ComplexDouble.zero
        var l = start
        while l > 0 {
            // f_{l−1} = (2l+1)/z f_l − f_{l+1}
            let fm1 = Double(2 * l + 1) * invz * f - fp1
            fp1 = f
            f = fm1
            l -= 1
            if l <= lmax { out[l] = f }
            if l == 1 { f1 = f }
            // rescale to avoid overflow
            let mag = f.length
            if mag > 1e250 {
                let s = 1e-250
                f = f * s; fp1 = fp1 * s
                if l <= lmax { for k in l...lmax { out[k] = out[k] * s } }
                if l <= 1 { f1 = f1 * s }
            }
        }
        f0 = f
        out[0] = f0
        // Normalise with the larger of the exact j_0, j_1.
        let sinz = ComplexDouble.sin(z), cosz = ComplexDouble.cos(z)
        let j0 = sinz * invz
        let j1 = sinz * invz * invz - cosz * invz
        let scale: ComplexDouble
        if j0.length >= j1.length { scale = j0 / f0 } else { scale = j1 / f1 }
        return out.map { $0 * scale }
    }

    /// Derivatives d f_l / dz from f_l' = f_{l−1} − (l+1)/z f_l (l ≥ 1), f_0' = −f_1.
    /// `f` must hold l = 0…lmax+1; the result has lmax + 1 entries.
    public static func derivatives(_ f: [ComplexDouble], z: ComplexDouble) -> [ComplexDouble] {
        precondition(f.count >= 2, "need f_0…f_{lmax+1} for the derivatives")
        let lmax = f.count - 2
        var d = [ComplexDouble](repeating: .zero, count: lmax + 1)
        d[0] = -f[1]
        if lmax >= 1 { for l in 1...lmax { d[l] = f[l - 1] - Double(l + 1) / z * f[l] } }
        return d
    }
}
