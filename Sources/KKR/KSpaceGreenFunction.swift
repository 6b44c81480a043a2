import Foundation
import KKRNumerics

/// A k-point of a Brillouin-zone sum: Cartesian wave vector (1/bohr) and weight (weights sum to 1).
public struct WeightedKPoint: Sendable, Equatable {
    public var k: SIMD3<Double>
    public var weight: Double
    public init(k: SIMD3<Double>, weight: Double) { self.k = k; self.weight = weight }
}

/// Host structural Green function in k-space (KKR_NOTES §5.4–5.6):
///
///     G^r(k) = Σ_{n'} G^r_{0n'} e^{i k·R_{n'}},
///     G(k)   = G^r(k) [1 − Δt G^r(k)]⁻¹ = [1 − G^r(k) Δt]⁻¹ G^r(k),   Δt = t − t^ref,
///     G^{nn'} = Σ_k w_k G(k) e^{−i k·(R_{n'} − R_n)}.
///
/// One atom per cell. The Fourier transform of all k-points is a single zgemm
/// (phases N_k × N_cl times blocks N_cl × (l_max+1)⁴).
public struct KSpaceGreenFunction: Sendable {
    public let screened: ScreenedStructureConstants
    public let kpoints: [WeightedKPoint]
    /// G^r(k) for every k-point, column-major (l_max+1)² blocks.
    public let referenceK: [ComplexMatrix]

    public init(screened: ScreenedStructureConstants, kpoints: [WeightedKPoint]) {
        self.screened = screened
        self.kpoints = kpoints
        let nl = lmCount(screened.lmax)
        let ns = screened.positions.count
        let nk = kpoints.count
        // phases P (nk × ns), column-major
        var p = ComplexMatrix(rows: nk, cols: ns)
        for (ik, kp) in kpoints.enumerated() {
            for (s, r) in screened.positions.enumerated() {
                let arg = (kp.k * r).sum()
                p[ik, s] = ComplexDouble(cos(arg), sin(arg))
            }
        }
        // B (ns × nl²): row s = vec(G^r_{0s})
        var b = ComplexMatrix(rows: ns, cols: nl * nl)
        for s in 0..<ns { for e in 0..<(nl * nl) { b[s, e] = screened.blocks[s].elements[e] } }
        let f = p * b
        var out: [ComplexMatrix] = []
        out.reserveCapacity(nk)
        for ik in 0..<nk {
            var m = ComplexMatrix(rows: nl, cols: nl)
            for e in 0..<(nl * nl) { m.elements[e] = f[ik, e] }
            out.append(m)
        }
        referenceK = out
    }

    /// G(k) for Δt_L (diagonal in L for spherical potentials).
    public func greenFunction(at ik: Int, deltaT: [ComplexDouble]) throws -> ComplexMatrix {
        let gr = referenceK[ik]
        let nl = gr.rows
        var a = ComplexMatrix.identity(nl)
        for j in 0..<nl { for i in 0..<nl { a[i, j] -= gr[i, j] * deltaT[j] } }
        return try a.solve(gr)
    }

    /// On-site G^{00}(E) = Σ_k w_k G(k).
    public func onSite(deltaT: [ComplexDouble]) throws -> ComplexMatrix {
        let nl = lmCount(screened.lmax)
        var sum = ComplexMatrix(rows: nl, cols: nl)
        for ik in 0..<kpoints.count {
            let g = try greenFunction(at: ik, deltaT: deltaT)
            let w = kpoints[ik].weight
            for e in 0..<(nl * nl) { sum.elements[e] += w * g.elements[e] }
        }
        return sum
    }

    /// G^{nn'} between sites at `positions` (bohr, relative to any common origin):
    /// block (n, n') = Σ_k w_k G(k) e^{−i k·(R_{n'} − R_n)}. Returns the full
    /// (N·(l_max+1)²)² matrix.
    public func sitePairs(positions: [SIMD3<Double>], deltaT: [ComplexDouble]) throws -> ComplexMatrix {
        let nl = lmCount(screened.lmax)
        let ns = positions.count
        var out = ComplexMatrix(rows: ns * nl, cols: ns * nl)
        for ik in 0..<kpoints.count {
            let g = try greenFunction(at: ik, deltaT: deltaT)
            let w = kpoints[ik].weight
            let k = kpoints[ik].k
            for n in 0..<ns {
                for np in 0..<ns {
                    let arg = -(k * (positions[np] - positions[n])).sum()
                    let ph = w * ComplexDouble(cos(arg), sin(arg))
                    for c in 0..<nl { for r in 0..<nl { out[n * nl + r, np * nl + c] += ph * g[r, c] } }
                }
            }
        }
        return out
    }
}
