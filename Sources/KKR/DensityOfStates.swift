import Foundation
import KKRNumerics

/// l-resolved density of states of one site on a line just above the real axis.
public struct DensityOfStates: Sendable {
    /// Energies (Ry), real parts of the evaluation points.
    public var energiesRy: [Double]
    public var broadeningRy: Double
    /// [spin][l][energy] in states/Ry per spin channel (for a non-spin-polarised run the single
    /// channel holds one spin; multiply by 2 for both spins).
    public var partial: [[[Double]]]
    public var spinPolarized: Bool

    /// Total DOS (all l, both spins) in states/Ry.
    public var total: [Double] {
        (0..<energiesRy.count).map { k in
            var s = 0.0
            for sp in partial { for l in sp { s += l[k] } }
            return spinPolarized ? s : 2 * s
        }
    }
}

extension HostProblem {
    /// DOS n_l(E) = −(1/π) Im q_l(E + iη) per spin channel (`ValenceDensityAccumulator.lResolvedCharge`)
    /// on a uniform energy grid (KKR_NOTES §10 sanity check: the Cu d band). Parallel over energies.
    public func densityOfStates(_ v: SphericalPotential, from e0: Double, to e1: Double, points n: Int,
                                broadeningRy eta: Double) throws -> DensityOfStates {
        let pts = EnergyContour.realAxis(from: e0, to: e1, points: n, broadeningRy: eta)
        let ns = spinCount
        let mesh = v.mesh
        let s = structure, sol = solver, g = gaunt, lmax = settings.lmax
        let rel = settings.relativity, cl = settings.speedOfLight
        let equations = try (0..<ns).map { try sol.equations(v, spin: $0) }
        let perPoint = try parallelMap(pts.count) { j -> [[Double]] in
            let acc = ValenceDensityAccumulator(mesh: mesh, lmax: lmax, gaunt: g, relativity: rel, speedOfLight: cl)
            var out: [[Double]] = []
            for spin in 0..<ns {
                let single = try sol.solve(equations[spin], energy: pts[j].energy)
                let g00 = try s.onSiteGreenFunction(energy: pts[j].energy, tMatrix: single.tMatrixDiagonal)
                out.append(acc.lResolvedCharge(solution: single, structural: g00).map { -$0.imaginary / Double.pi })
            }
            return out
        }
        var partial = [[[Double]]](repeating: [[Double]](repeating: [Double](repeating: 0, count: n), count: lmax + 1), count: ns)
        for k in 0..<n { for sp in 0..<ns { for l in 0...lmax { partial[sp][l][k] = perPoint[k][sp][l] } } }
        return DensityOfStates(energiesRy: pts.map(\.energy.real), broadeningRy: eta, partial: partial, spinPolarized: ns == 2)
    }
}
