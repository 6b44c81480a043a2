import Foundation
import KKRNumerics

/// The matrix D(R) that rotates real spherical harmonics (JuKKR convention,
/// `RealSphericalHarmonics`, lm = l(l+1)+m) under an orthogonal 3×3 matrix R, proper or improper:
///
///     Y_L(R r̂) = Σ_{L'} D_{LL'}(R) Y_{L'}(r̂),     L = (l, m), L' = (l, m'),
///
/// so that D(R₁R₂) = D(R₁) D(R₂), D(Rᵀ) = D(R)ᵀ = D(R)⁻¹ and D(−1) = (−1)^l. D is block diagonal
/// in l; block l is (2l+1)×(2l+1) and real. A function f(r̂) = Σ_L c_L Y_L(r̂) rotated as
/// (R f)(r̂) = f(R⁻¹ r̂) has the coefficients c' = D(R) c (`rotatedCoefficients`).
///
/// Computed by projection, D_{LL'} = ∫ Y_L(R r̂) Y_{L'}(r̂) dΩ (orthonormality of the Y_L), on a
/// product grid of lmax+1 Gauss–Legendre nodes in cos θ and 2lmax+2 equidistant φ. The integrand
/// is a polynomial of degree ≤ 2l in (x, y, z) on the unit sphere, which this grid integrates
/// exactly, so D is exact up to rounding (≈1e-15) for any lmax and any orthogonal R. Recursions
/// for the same matrices: Ivanic & Ruedenberg, J. Phys. Chem. 100, 6342 (1996),
/// doi:10.1021/jp953350u; Blanco, Flórez & Bermejo, J. Mol. Struct. THEOCHEM 419, 19 (1997),
/// doi:10.1016/S0166-1280(97)00185-1 (DOIs from memory).
public struct RealHarmonicRotation: Sendable {
    public let lmax: Int
    /// The Cartesian operation R.
    public let rotation: Matrix3
    /// blocks[l] is the (2l+1)×(2l+1) block, rows and columns indexed by m + l.
    public let blocks: [RealMatrix]

    public init(_ rotation: Matrix3, lmax: Int) throws {
        guard lmax >= 0, lmax <= 40 else { throw LatticeError.invalidCount(name: "lmax", value: lmax, allowed: "0…40") }
        guard rotation.isOrthogonal() else {
            throw LatticeError.notOrthogonal(maxDeviation: (rotation.transpose * rotation).maxDifference(.identity))
        }
        self.lmax = lmax
        self.rotation = rotation
        var b = (0...lmax).map { RealMatrix(rows: 2 * $0 + 1, cols: 2 * $0 + 1) }
        let gl = GaussLegendre(points: lmax + 1)
        let nPhi = 2 * lmax + 2
        var y = [Double](repeating: 0, count: lmCount(lmax))
        var yr = y
        for (ct, wt) in zip(gl.nodes, gl.weights) {
            let st = (1 - ct * ct).squareRoot()
            for ip in 0..<nPhi {
                let phi = 2 * Double.pi * Double(ip) / Double(nPhi)
                let r = Vector3(st * cos(phi), st * sin(phi), ct)
                let rr = rotation * r
                RealSphericalHarmonics.values(lmax: lmax, x: r.x, y: r.y, z: r.z, into: &y)
                RealSphericalHarmonics.values(lmax: lmax, x: rr.x, y: rr.y, z: rr.z, into: &yr)
                let w = wt * 2 * Double.pi / Double(nPhi)
                for l in 0...lmax {
                    let base = l * l
                    let n = 2 * l + 1
                    for j in 0..<n {
                        let wy = w * y[base + j]
                        for i in 0..<n { b[l].elements[i + j * n] += yr[base + i] * wy }
                    }
                }
            }
        }
        blocks = b
    }

    /// D_{LL'} for combined indices (zero unless l = l').
    public subscript(lm1: Int, lm2: Int) -> Double {
        let (l1, m1) = lmPair(lm1), (l2, m2) = lmPair(lm2)
        guard l1 == l2 else { return 0 }
        return blocks[l1][m1 + l1, m2 + l1]
    }

    /// The full block-diagonal (lmax+1)² × (lmax+1)² matrix.
    public var matrix: RealMatrix {
        let n = lmCount(lmax)
        var d = RealMatrix(rows: n, cols: n)
        for l in 0...lmax {
            let o = l * l
            for j in 0..<(2 * l + 1) { for i in 0..<(2 * l + 1) { d[o + i, o + j] = blocks[l][i, j] } }
        }
        return d
    }

    /// D·v for a vector of (lmax+1)² components: if v = Y(r̂) the result is Y(R r̂).
    public func apply(_ v: [Double]) -> [Double] {
        precondition(v.count == lmCount(lmax), "vector has \(v.count) components, expected \(lmCount(lmax))")
        var out = [Double](repeating: 0, count: v.count)
        for l in 0...lmax {
            let o = l * l, n = 2 * l + 1
            for i in 0..<n {
                var s = 0.0
                for j in 0..<n { s += blocks[l].elements[i + j * n] * v[o + j] }
                out[o + i] = s
            }
        }
        return out
    }

    /// Coefficients of the rotated function (R f)(r̂) = f(R⁻¹ r̂) when f = Σ_L c_L Y_L:
    /// since Y(R⁻¹ r̂) = D(R)ᵀ Y(r̂), (R f) = Σ_L c'_L Y_L with c' = D(R) c.
    public func rotatedCoefficients(_ c: [Double]) -> [Double] { apply(c) }
}
