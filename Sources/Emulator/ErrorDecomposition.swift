import Foundation
import KKRNumerics
import Radial

/// Orthogonal decomposition of a site function f = ΔV or an error of ΔV in the validation
/// metric (r²-weighted rms over the sphere, Ry): per spin component c (charge, magnetic)
///
///     rms_c² = shift_c² + shape_c² + nonSpherical_c²,
///     shift_c = 3/R³ ∫_0^R f_c,00(r)/√(4π) r² dr           (volume mean: a constant potential shift)
///     shape_c² = 3/(4πR³) ∫ f_c,00² r² dr − shift_c²        (radial shape of the spherical part)
///     nonSpherical_c² = 3/(4πR³) Σ_{L ≠ 00} ∫ f_c,L² r² dr
///
/// A constant shift is what a Madelung/charge-transfer error looks like inside the sphere.
public struct EmulatorErrorDecomposition: Sendable, Equatable {
    public let shift: [Double]
    public let shape: [Double]
    public let nonSpherical: [Double]

    public init(_ f: SitePotentialChange) {
        let mesh = f.mesh
        let r3 = mesh.rmax * mesh.rmax * mesh.rmax
        var shift = [0.0, 0.0], shape = [0.0, 0.0], nonSpherical = [0.0, 0.0]
        var g = [Double](repeating: 0, count: mesh.count)
        for c in SpinComponent.allCases {
            let v = f.component(c, lm: 0)
            for i in 0..<mesh.count { g[i] = v[i] * mesh.r[i] * mesh.r[i] }
            let mean = 3 / r3 * mesh.integrate(g) / NuclearTerm.sphericalAverageToL00
            for i in 0..<mesh.count { g[i] = v[i] * v[i] * mesh.r[i] * mesh.r[i] }
            let l00 = 3 / (4 * Double.pi * r3) * mesh.integrate(g)
            var rest = 0.0
            for lm in 1..<lmCount(f.lMax) {
                let w = f.component(c, lm: lm)
                for i in 0..<mesh.count { g[i] = w[i] * w[i] * mesh.r[i] * mesh.r[i] }
                rest += mesh.integrate(g)
            }
            shift[c.rawValue] = mean
            shape[c.rawValue] = max(l00 - mean * mean, 0).squareRoot()
            nonSpherical[c.rawValue] = max(3 / (4 * Double.pi * r3) * rest, 0).squareRoot()
        }
        self.shift = shift; self.shape = shape; self.nonSpherical = nonSpherical
    }

    /// Total rms of component c.
    public func total(_ c: SpinComponent) -> Double {
        let i = c.rawValue
        return (shift[i] * shift[i] + shape[i] * shape[i] + nonSpherical[i] * nonSpherical[i]).squareRoot()
    }
}
