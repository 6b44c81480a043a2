import ExchangeCorrelation
import Foundation

/// Exchange–correlation on the radial mesh for the atom: libxc LDA (VWN or PW92) plus, for
/// relativistic runs, the MacDonald–Vosko correction of the exchange part.
struct AtomXC {
    let evaluator: LDAEvaluator
    let relativisticExchange: RelativisticExchange
    /// c in Hartree units (the correction is written with k_F/c, k_F in bohr⁻¹).
    let speedOfLightHa: Double

    init(functional: XCFunctional, spinPolarized: Bool, relativisticExchange: RelativisticExchange, speedOfLightRy: Double) throws {
        evaluator = try LDAEvaluator(functional, spinPolarized: spinPolarized)
        self.relativisticExchange = relativisticExchange
        speedOfLightHa = speedOfLightRy / 2
    }

    /// ε_xc (per electron) and v_xc per channel in Ry for densities n_σ (bohr⁻³).
    func evaluate(densities: [[Double]]) throws -> (energyPerElectron: [Double], potentials: [[Double]]) {
        var result: XCResult
        if densities.count == 1 {
            result = try evaluator.evaluate(density: densities[0])
        } else {
            result = try evaluator.evaluate(up: densities[0], down: densities[1])
        }
        var eps = result.energyPerElectronRy
        var pots = densities.count == 1 ? [result.potentialUpRy] : [result.potentialUpRy, result.potentialDownRy]
        if relativisticExchange == .macDonaldVosko {
            let np = eps.count
            var total = [Double](repeating: 0, count: np)
            for d in densities { for i in 0..<np { total[i] += max(d[i], 0) } }
            for (ch, d) in densities.enumerated() {
                // spin scaling: E_x[n↑, n↓] = ½ E_x[2n↑] + ½ E_x[2n↓]
                let scale = densities.count == 1 ? 1.0 : 2.0
                for i in 0..<np where total[i] >= evaluator.densityThreshold && d[i] > 0 {
                    let c = AtomXC.macDonaldVoskoCorrection(density: scale * d[i], speedOfLightHa: speedOfLightHa)
                    pots[ch][i] += c.dv
                    eps[i] += c.de * d[i] / total[i]
                }
            }
        }
        return (eps, pots)
    }

    /// MacDonald–Vosko relativistic exchange for density n (unpolarised), in Ry
    /// (A. H. MacDonald, S. H. Vosko, J. Phys. C 12, 2977 (1979); as used in the NIST tables):
    ///
    ///     ε_x^rel = ε_x R(β),  v_x^rel = v_x S(β),   β = k_F/c = (3π²n)^{1/3}/c,  μ = √(1+β²),
    ///     R = 1 − (3/2) [(βμ − asinh β)/β²]²,   S = (3/2) asinh(β)/(βμ) − 1/2,
    ///
    /// with ε_x = −(3/2π) k_F Ry and v_x = (4/3) ε_x. Returns the corrections
    /// de = ε_x (R − 1), dv = v_x (S − 1).
    static func macDonaldVoskoCorrection(density n: Double, speedOfLightHa c: Double) -> (de: Double, dv: Double) {
        let kf = Foundation.cbrt(3 * Double.pi * Double.pi * n)
        let beta = kf / c
        let ex = -3 / (2 * Double.pi) * kf
        let vx = 4.0 / 3.0 * ex
        if beta < 1e-4 {
            // series: R − 1 = −(2/3)β² + O(β⁴), S − 1 = −(4/3)β²·(1/… ) from the expansions below
            // asinh β = β − β³/6 + 3β⁵/40, βμ = β + β³/2 − β⁵/8
            let b2 = beta * beta
            let rm1 = -2.0 / 3.0 * b2
            let sm1 = -b2          // S = 3/2 (1 − 2β²/3 …) − 1/2 = 1 − β² + O(β⁴)
            return (ex * rm1, vx * sm1)
        }
        let mu = (1 + beta * beta).squareRoot()
        let ash = Foundation.asinh(beta)
        let t = (beta * mu - ash) / (beta * beta)
        let r = 1 - 1.5 * t * t
        let s = 1.5 * ash / (beta * mu) - 0.5
        return (ex * (r - 1), vx * (s - 1))
    }
}
