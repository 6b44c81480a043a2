import Foundation

extension RadialMesh {
    /// Hartree potential of a spherical electron density in Ry (e² = 2), from the radial Poisson
    /// equation (`../shared/KKR_NOTES.md` §7.1):
    ///
    ///     V_H(r) = (8π/r) ∫_0^r n r'² dr' + 8π ∫_r^R n r' dr'
    ///            = (2/r) ∫_0^r σ dr' + 2 ∫_r^R σ/r' dr',      σ(r) = 4π r² n(r),
    ///
    /// with σ the radial density (electrons per bohr). Both integrals are cumulative 4th-order
    /// quadratures in the mesh index (`cumulativeIntegral`); the outer one is evaluated as
    /// G(R) − G(r) with G(r) = ∫_0^r σ/r', so quadrature errors near the origin stay local.
    /// V_H(0) = 2 ∫_0^R σ/r dr. Beyond R the density is taken as zero (V_H(R) = 2N/R).
    public func hartreePotential(radialDensity sigma: [Double]) -> [Double] {
        precondition(sigma.count == count, "radial density has \(sigma.count) values, mesh has \(count)")
        let n = count
        let charge = cumulativeIntegral(sigma)
        var overR = [Double](repeating: 0, count: n)
        for i in 1..<n { overR[i] = sigma[i] / r[i] }
        // σ/r → 0 at the origin for any density that is finite or diverges slower than 1/r
        let g = cumulativeIntegral(overR)
        let total = g[n - 1]
        var v = [Double](repeating: 0, count: n)
        v[0] = 2 * total
        for i in 1..<n { v[i] = 2 * charge[i] / r[i] + 2 * (total - g[i]) }
        return v
    }
}
