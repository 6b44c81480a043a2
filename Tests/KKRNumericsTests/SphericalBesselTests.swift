import CGSL
import Foundation
import Numerics
import Testing
@testable import KKRNumerics

/// Exact finite sum for the outgoing Hankel function (A&S 10.1.16/10.1.17):
/// h_l(z) = (−i)^{l+1} (e^{iz}/z) Σ_{k=0}^{l} (i/(2z))^k (l+k)! / (k! (l−k)!).
func hankelClosedForm(_ l: Int, _ z: ComplexDouble) -> ComplexDouble {
    var sum = ComplexDouble.zero
    var coef = 1.0          // (l+k)!/(k!(l−k)!)
    var pw = ComplexDouble.one
    let w = ComplexDouble(0, 1) / (2 * z)
    for k in 0...l {
        if k > 0 { coef *= Double((l + k) * (l - k + 1)) / Double(k); pw = pw * w }
        sum += coef * pw
    }
    var phase = ComplexDouble.one
    for _ in 0...l { phase = phase * ComplexDouble(0, -1) }
    return phase * ComplexDouble.exp(ComplexDouble(0, 1) * z) / z * sum
}

func relErr(_ a: ComplexDouble, _ b: ComplexDouble) -> Double { (a - b).length / max(b.length, 1e-300) }

@Suite struct SphericalBesselTests {
    static let magnitudes: [Double] = [1e-3, 0.01, 0.1, 0.5, 1, 2, 5, 10, 20, 50]
    static let phases: [Double] = [0, 0.3, 0.8, 1.4, 1.9, 2.6, 3.1]   // arg z in [0, π)

    /// h_l(z), l ≤ 8, for |z| = 1e-3…50 over the upper half plane against the exact finite sum:
    /// relative error ≤ 1e-10 (the acceptance bound). Where |z| ≪ l the sum itself
    /// carries rounding of order its largest term, still far below 1e-10.
    @Test func hankelAgainstClosedForm() {
        var worst = 0.0
        for r in Self.magnitudes { for ph in Self.phases {
            let z = ComplexDouble(r * cos(ph), r * sin(ph))
            let h = SphericalBessel.h(lmax: 8, z: z)
            for l in 0...8 { worst = max(worst, relErr(h[l], hankelClosedForm(l, z))) }
        } }
        #expect(worst < 1e-10, "worst relative error \(worst)")
    }

    /// j_l from Miller's recurrence against the power series (evaluated where the series is
    /// accurate, |z| ≤ 4) and j_l, n_l against GSL for real arguments.
    @Test func besselAgainstSeriesAndGSL() {
        var worstSeries = 0.0
        for r in [1.01, 1.5, 2.5, 4.0] { for ph in Self.phases {
            let z = ComplexDouble(r * cos(ph), r * sin(ph))
            let miller = SphericalBessel.jMiller(lmax: 8, z: z)
            let series = SphericalBessel.jSeries(lmax: 8, z: z)
            for l in 0...8 { worstSeries = max(worstSeries, relErr(miller[l], series[l])) }
        } }
        #expect(worstSeries < 1e-11, "Miller vs series \(worstSeries)")

        var jg = [Double](repeating: 0, count: 9), yg = [Double](repeating: 0, count: 9)
        var worstGSL = 0.0
        for x in [1e-3, 0.05, 0.7, 1.0, 3.3, 9.9, 27.0, 50.0] {
            gsl_sf_bessel_jl_array(8, x, &jg)
            gsl_sf_bessel_yl_array(8, x, &yg)
            let s = SphericalBessel.all(lmax: 8, z: ComplexDouble(x, 0))
            for l in 0...8 {
                // GSL's absolute accuracy for tiny j_l is ~1e-16 relative to j_0; compare relative
                // to max(|j_l|, 1e-300) but skip entries below GSL's underflow-safe range.
                if abs(jg[l]) > 1e-290 { worstGSL = max(worstGSL, abs(s.j[l].real - jg[l]) / abs(jg[l])) }
                worstGSL = max(worstGSL, abs(s.n[l].real - yg[l]) / abs(yg[l]))
                #expect(abs(s.j[l].imaginary) < 1e-14 * max(1, abs(jg[l])))
            }
        }
        #expect(worstGSL < 1e-10, "vs GSL \(worstGSL)")
    }

    /// Cross-product (Wronskian) identity j_l n_{l−1} − j_{l−1} n_l = 1/z² for complex z.
    @Test func wronskian() {
        var worst = 0.0
        for r in Self.magnitudes { for ph in Self.phases {
            let z = ComplexDouble(r * cos(ph), r * sin(ph))
            let s = SphericalBessel.all(lmax: 8, z: z)
            let target = ComplexDouble.one / (z * z)
            for l in 1...8 {
                let w = s.j[l] * s.n[l - 1] - s.j[l - 1] * s.n[l]
                // normalise by the size of the products to measure rounding honestly
                let scale = max((s.j[l] * s.n[l - 1]).length, target.length)
                worst = max(worst, (w - target).length / scale)
            }
        } }
        #expect(worst < 1e-10, "Wronskian \(worst)")
    }

    /// Derivative identity against a central finite difference.
    @Test func derivatives() {
        let z = ComplexDouble(2.3, 0.4)
        let hstep = 1e-5
        let f = SphericalBessel.h(lmax: 6, z: z)
        let d = SphericalBessel.derivatives(f, z: z)
        let fp = SphericalBessel.h(lmax: 6, z: z + hstep), fm = SphericalBessel.h(lmax: 6, z: z - hstep)
        for l in 0...5 {
            let fd = (fp[l] - fm[l]) / (2 * hstep)
            #expect(relErr(d[l], fd) < 1e-8)
        }
    }

    @Test func upperBranchSqrt() {
        let s = ComplexDouble.sqrtUpper(ComplexDouble(-1, -0.0))
        #expect(s.imaginary > 0)
        let t = ComplexDouble.sqrtUpper(ComplexDouble(0.5, 1e-3))
        #expect(t.real > 0 && t.imaginary > 0)
    }
}
