import CGSL
import Foundation
import Testing
@testable import KKRNumerics

@Suite struct QuadratureTests {
    /// n-point Gauss–Legendre is exact for degree ≤ 2n−1: ∫_{−1}^{1} x^k dx = 2/(k+1) for even k.
    @Test(arguments: [1, 2, 3, 5, 8, 17, 40])
    func gaussLegendreExactness(n: Int) {
        let gl = GaussLegendre(points: n)
        #expect(abs(gl.weights.reduce(0, +) - 2) < 1e-14)
        for k in 0...(2 * n - 1) {
            let s = zip(gl.nodes, gl.weights).reduce(0.0) { $0 + $1.1 * pow($1.0, Double(k)) }
            let exact = k % 2 == 0 ? 2.0 / Double(k + 1) : 0
            #expect(abs(s - exact) < 1e-13, "n=\(n) k=\(k)")
        }
    }

    @Test func gaussLegendreSine() {
        let v = GaussLegendre(points: 20).integrate(from: 0, to: Double.pi) { sin($0) }
        #expect(abs(v - 2) < 1e-14)
    }
}

@Suite struct SphericalHarmonicsTests {
    /// Orthonormality ∫ Y_L Y_L' dΩ = δ_LL' for l ≤ 8 by exact quadrature, to 1e-12.
    @Test func orthonormality() {
        let lmax = 8
        let n = lmCount(lmax)
        let gl = GaussLegendre(points: lmax + 2)
        let nphi = 2 * lmax + 2
        var overlap = [Double](repeating: 0, count: n * n)
        for (it, ct) in gl.nodes.enumerated() {
            let st = (1 - ct * ct).squareRoot()
            for ip in 0..<nphi {
                let phi = 2 * Double.pi * Double(ip) / Double(nphi)
                let y = RealSphericalHarmonics.values(lmax: lmax, x: st * cos(phi), y: st * sin(phi), z: ct)
                let w = gl.weights[it] * 2 * Double.pi / Double(nphi)
                for a in 0..<n { for b in 0..<n { overlap[a * n + b] += w * y[a] * y[b] } }
            }
        }
        var worst = 0.0
        for a in 0..<n { for b in 0..<n { worst = max(worst, abs(overlap[a * n + b] - (a == b ? 1 : 0))) } }
        #expect(worst < 1e-12)
    }

    /// Closed forms of the convention: Y_00 = 1/√4π, Y_1,1 = √(3/4π) x/r, Y_1,−1 = √(3/4π) y/r,
    /// Y_10 = √(3/4π) z/r, Y_2,−2 = √(15/4π) xy/r², Y_22 = √(15/16π)(x²−y²)/r².
    @Test func closedForms() {
        let (x, y, z) = (0.3, -0.7, 0.5)
        let r = (x * x + y * y + z * z).squareRoot()
        let v = RealSphericalHarmonics.values(lmax: 2, x: x, y: y, z: z)
        let c1 = (3 / (4 * Double.pi)).squareRoot()
        #expect(abs(v[0] - 1 / (4 * Double.pi).squareRoot()) < 1e-15)
        #expect(abs(v[lmIndex(1, 1)] - c1 * x / r) < 1e-15)
        #expect(abs(v[lmIndex(1, -1)] - c1 * y / r) < 1e-15)
        #expect(abs(v[lmIndex(1, 0)] - c1 * z / r) < 1e-15)
        #expect(abs(v[lmIndex(2, -2)] - (15 / (4 * Double.pi)).squareRoot() * x * y / (r * r)) < 1e-15)
        #expect(abs(v[lmIndex(2, 2)] - (15 / (16 * Double.pi)).squareRoot() * (x * x - y * y) / (r * r)) < 1e-15)
    }

    /// Against GSL's normalised associated Legendre functions (Condon–Shortley phase removed):
    /// Y_{l,±m} = √2 (−1)^m sphPlm(l, m, cos θ) {cos, sin}(mφ).
    @Test func matchesGSLLegendre() {
        let lmax = 8
        let theta = 1.1, phi = -2.3
        let v = RealSphericalHarmonics.values(lmax: lmax, x: sin(theta) * cos(phi), y: sin(theta) * sin(phi), z: cos(theta))
        for l in 0...lmax { for m in 0...l {
            let p = gsl_sf_legendre_sphPlm(Int32(l), Int32(m), cos(theta)) * (m % 2 == 0 ? 1 : -1)
            if m == 0 { #expect(abs(v[lmIndex(l, 0)] - p) < 1e-13) } else {
                #expect(abs(v[lmIndex(l, m)] - 2.0.squareRoot() * p * cos(Double(m) * phi)) < 1e-13)
                #expect(abs(v[lmIndex(l, -m)] - 2.0.squareRoot() * p * sin(Double(m) * phi)) < 1e-13)
            }
        } }
    }

    @Test func indexRoundTrip() {
        for lm in 0..<lmCount(12) { let (l, m) = lmPair(lm); #expect(lmIndex(l, m) == lm && abs(m) <= l) }
    }
}
