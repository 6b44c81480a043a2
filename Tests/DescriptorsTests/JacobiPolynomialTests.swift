import Foundation
import KKRNumerics
import Testing
@testable import Descriptors

@Suite struct JacobiPolynomialTests {
    static let parameterSets: [(Double, Double)] = [(0, 0), (0.3, -0.6), (1.5, 0.5), (-0.5, -0.5), (2.7, 4.2), (-0.9, 3.1)]

    /// Recurrence against the explicit hypergeometric sum (DLMF 18.5.7) for n ≤ 8 and
    /// non-integer α, β (an integer truncation of α, β — a bug of the JLCDM public code — would
    /// fail here), and against hand-written closed forms for n ≤ 3.
    @Test func recurrenceMatchesExplicitSums() throws {
        for (alpha, beta) in Self.parameterSets {
            let p = try JacobiPolynomials(alpha: alpha, beta: beta, maxDegree: 8)
            for x in stride(from: -1.0, through: 1.0, by: 0.125) {
                let v = p.values(at: x)
                for n in 0...8 {
                    // Tolerance relative to the size of the terms of the alternating sum (its rounding scale).
                    let (ref, scale) = jacobiBySumWithScale(n, alpha, beta, x)
                    #expect(abs(v[n] - ref) <= 1e-14 * max(1, scale), "n=\(n) α=\(alpha) β=\(beta) x=\(x)")
                }
                // Closed forms (DLMF 18.5.7 expanded by hand for n = 1, 2).
                let t = (x - 1) / 2, s = alpha + beta
                let p1 = (alpha + 1) + (s + 2) * t
                let p2 = (alpha + 1) * (alpha + 2) / 2 + (alpha + 2) * (s + 3) * t + (s + 3) * (s + 4) / 2 * t * t
                #expect(abs(v[1] - p1) < 1e-13)
                #expect(abs(v[2] - p2) < 1e-12)
            }
        }
        // Legendre P_3 = (5x³ − 3x)/2 and Chebyshev P_3^(−½,−½) = (5/16) T_3 (DLMF 18.7.3).
        let leg = try JacobiPolynomials(alpha: 0, beta: 0, maxDegree: 3)
        let cheb = try JacobiPolynomials(alpha: -0.5, beta: -0.5, maxDegree: 3)
        for x in [-0.9, -0.3, 0.2, 0.77] {
            #expect(abs(leg.values(at: x)[3] - (5 * x * x * x - 3 * x) / 2) < 1e-14)
            #expect(abs(cheb.values(at: x)[3] - 5.0 / 16.0 * (4 * x * x * x - 3 * x)) < 1e-14)
        }
    }

    /// Orthogonality ∫ P_m P_n (1−x)^α (1+x)^β dx = h_n δ_mn by Gauss–Legendre quadrature in
    /// θ (x = cos θ), where the weight becomes 2^{α+β} sin^{2α+1}(θ/2) cos^{2β+1}(θ/2): smooth
    /// for half-integer α, β, so 60 nodes are exact to rounding. h_n from its Γ-function closed form.
    @Test func orthogonalityUnderJacobiWeight() throws {
        for (alpha, beta) in [(1.5, 0.5), (0.5, 2.5), (-0.5, 1.5), (0.0, 0.0)] {
            let p = try JacobiPolynomials(alpha: alpha, beta: beta, maxDegree: 6)
            let (nodes, weights) = GaussLegendre(points: 60).mapped(to: 0, Double.pi)
            var gram = [[Double]](repeating: [Double](repeating: 0, count: 7), count: 7)
            for (theta, w) in zip(nodes, weights) {
                let x = cos(theta)
                let weight = pow(2 * pow(sin(theta / 2), 2), alpha) * pow(2 * pow(cos(theta / 2), 2), beta) * sin(theta)
                let v = p.values(at: x)
                for m in 0...6 { for n in 0...6 { gram[m][n] += w * weight * v[m] * v[n] } }
            }
            for m in 0...6 {
                for n in 0...6 {
                    let expected = m == n ? p.squaredNorm(degree: n) : 0
                    // h_n = 2^{α+β+1}/(2n+α+β+1) Γ(n+α+1)Γ(n+β+1)/(Γ(n+α+β+1) n!) (DLMF 18.3, Table 18.3.1).
                    let nd = Double(n)
                    let logPrefactor: Double = (alpha + beta + 1) * log(2.0) - log(2 * nd + alpha + beta + 1)
                    let logGammas: Double = lgamma(nd + alpha + 1) + lgamma(nd + beta + 1) - lgamma(nd + alpha + beta + 1) - lgamma(nd + 1)
                    let hn = exp(logPrefactor + logGammas)
                    #expect(abs(gram[m][n] - expected) < 1e-12 * hn, "α=\(alpha) β=\(beta) m=\(m) n=\(n)")
                }
            }
        }
    }

    /// P_n(−1) = (−1)^n binom(n+β, n) equals the recurrence at x = −1.
    @Test func valueAtMinusOne() throws {
        for (alpha, beta) in Self.parameterSets {
            let p = try JacobiPolynomials(alpha: alpha, beta: beta, maxDegree: 7)
            let v = p.values(at: -1)
            for n in 0...7 {
                let binom = exp(lgamma(Double(n) + beta + 1) - lgamma(beta + 1) - lgamma(Double(n) + 1))
                let closed = (n % 2 == 0 ? 1.0 : -1.0) * binom
                #expect(abs(p.valueAtMinusOne(degree: n) - closed) < 1e-12 * max(1, abs(closed)))
                #expect(abs(v[n] - closed) < 1e-11 * max(1, abs(closed)))
            }
        }
    }

    @Test func rejectsInvalidParameters() {
        #expect(throws: DescriptorError.self) { try JacobiPolynomials(alpha: -1, beta: 0, maxDegree: 3) }
        #expect(throws: DescriptorError.self) { try JacobiPolynomials(alpha: 0, beta: .nan, maxDegree: 3) }
        #expect(throws: DescriptorError.self) { try JacobiRadialBasis(alpha: 0, beta: 0, nMax: 0, rMin: 0, rCut: 1) }
        #expect(throws: DescriptorError.self) { try JacobiRadialBasis(alpha: 0, beta: 0, nMax: 2, rMin: 2, rCut: 1) }
    }

    /// x(r_min) = 1, x(r_cut) = −1; every P̃_n vanishes at and beyond r_cut with zero slope
    /// (one-sided difference quotient O(h)), and P̃_n(x(r)) = P_n(x) − P_n(−1) with P_n from the
    /// explicit sum.
    @Test func cutoffBasisVanishesSmoothly() throws {
        let basis = try JacobiRadialBasis(alpha: 1.3, beta: 0.4, nMax: 6, rMin: 1.5, rCut: 6)
        #expect(basis.mappedDistance(1.5) == 1)
        #expect(basis.mappedDistance(0.3) == 1)
        #expect(abs(basis.mappedDistance(6) + 1) < 1e-15)
        #expect(basis.values(atDistance: 6).allSatisfy { $0 == 0 })
        #expect(basis.values(atDistance: 7.5).allSatisfy { $0 == 0 })
        for h in [1e-2, 1e-3] {
            let v = basis.values(atDistance: 6 - h)
            for n in 1...6 {
                // |P̃_n(r_cut − h)| = O(h²); slope estimate v/h = O(h).
                #expect(abs(v[n - 1]) < 60 * h * h, "n=\(n) h=\(h) value \(v[n - 1])")
            }
        }
        for r in [1.7, 3.2, 5.1] {
            let x = cos(Double.pi * (r - 1.5) / 4.5)
            let v = basis.values(atDistance: r)
            for n in 1...6 {
                let ref = jacobiBySum(n, 1.3, 0.4, x) - jacobiBySum(n, 1.3, 0.4, -1)
                #expect(abs(v[n - 1] - ref) < 1e-12 * max(1, abs(ref)))
            }
        }
    }
}
