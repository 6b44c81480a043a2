import Foundation
import Testing
@testable import KKR
@testable import KKRNumerics

@Suite struct ContourTests {
    /// The Fermi-weighted Gauss rule integrates ∫_{−30}^{∞} y^k/(e^y+1) dy exactly for k ≤ 2n−1:
    /// compared with brute-force Gauss–Legendre on [−30, 60] (tail e^{−60} negligible).
    @Test func fermiGaussRule() {
        for n in [2, 3, 5] {
            let (x, w) = FermiGaussRule.rule(points: n)
            for k in 0...(2 * n - 1) {
                let q = zip(x, w).reduce(0.0) { $0 + $1.1 * pow($1.0, Double(k)) }
                var ref = 0.0
                for (a, b) in [(-30.0, 0.0), (0.0, 20.0), (20.0, 60.0)] {
                    ref += GaussLegendre(points: 200).integrate(from: a, to: b) { pow($0, Double(k)) / (exp($0) + 1) }
                }
                #expect(abs(q - ref) < 1e-9 * max(1, abs(ref)), "n=\(n) k=\(k)")
            }
        }
    }

    /// For F analytic in the upper half plane, Σ w_j F(z_j) = ∫_{E_B}^{∞} f_T(E) F(E) dE.
    /// F(E) = 1/(E − p) with a pole below the axis (a Lorentzian level) and F = E² (polynomial),
    /// real-axis reference by adaptive brute force. Default JuKKR-like parameters (NPOL 7, T 800 K).
    @Test func contourReproducesRealAxisIntegral() throws {
        let ef = 0.6
        let c = try EnergyContour(bottomRy: -0.4, fermiEnergyRy: ef, temperatureK: 800, poles: 7,
                                  verticalPoints: 5, horizontalPoints: 30, tailPoints: 5)
        #expect(c.points.count == 5 + 30 + 5 + 7)
        let kT = c.kT
        let fermi: (Double) -> Double = { 1 / (exp(($0 - ef) / kT) + 1) }
        let cases: [(ComplexDouble) -> ComplexDouble] = [
            { z in ComplexDouble.one / (z - ComplexDouble(0.3, -0.05)) },
            { z in ComplexDouble.one / (z - ComplexDouble(0.61, -0.02)) },   // near E_F
            { z in z * z },
        ]
        for (idx, f) in cases.enumerated() {
            var contour = ComplexDouble.zero
            for p in c.points { contour += p.weight * f(p.energy) }
            // brute force on the real axis: fine Gauss–Legendre panels to E_F + 40 kT
            var ref = ComplexDouble.zero
            let edges = stride(from: -0.4, to: ef + 40 * kT, by: 0.01).map { $0 } + [ef + 40 * kT]
            let gl = GaussLegendre(points: 40)
            for i in 0..<(edges.count - 1) {
                let (x, w) = gl.mapped(to: edges[i], edges[i + 1])
                for j in 0..<x.count { ref += (w[j] * fermi(x[j])) * f(ComplexDouble(x[j], 0)) }
            }
            #expect((contour - ref).length < 1e-8 * max(1, ref.length), "case \(idx): \(contour) vs \(ref)")
        }
    }

    @Test func invalidContour() {
        #expect(throws: ContourError.self) { _ = try EnergyContour(bottomRy: 0.7, fermiEnergyRy: 0.6) }
        #expect(throws: ContourError.self) { _ = try EnergyContour(bottomRy: -0.4, fermiEnergyRy: 0.6, temperatureK: 0) }
    }
}
