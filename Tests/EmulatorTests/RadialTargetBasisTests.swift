import Foundation
import KKRNumerics
import Radial
import Testing
@testable import Emulator

@Suite struct RadialTargetBasisTests {
    /// ∫_0^1 φ_j φ_k s² ds = δ_jk by 40-point Gauss–Legendre (exact for these polynomials), and
    /// the closed forms φ_0 = √3, φ_1 = √5 (4s − 3) (from P_1^(0,2)(x) = 2x − 1).
    @Test func orthonormalWithR2Weight() throws {
        let basis = try RadialTargetBasis.jacobi(count: 14)
        let (s, w) = GaussLegendre(points: 40).mapped(to: 0, 1)
        var worst = 0.0
        for j in 0..<14 {
            for k in 0..<14 {
                var sum = 0.0
                for i in s.indices {
                    let v = basis.values(at: s[i])
                    sum += w[i] * v[j] * v[k] * s[i] * s[i]
                }
                worst = max(worst, abs(sum - (j == k ? 1 : 0)))
            }
        }
        #expect(worst < 1e-12)
        for x in [0.0, 0.3, 0.77, 1.0] {
            let v = basis.values(at: x)
            #expect(abs(v[0] - 3.0.squareRoot()) < 1e-14)
            #expect(abs(v[1] - 5.0.squareRoot() * (4 * x - 3)) < 1e-13)
        }
    }

    /// Projecting a basis function tabulated on a JuKKR-like mesh (a = 0.025, N = 481) returns
    /// the unit vector (Simpson in the mesh index), and reconstruction reproduces it exactly.
    @Test func basisFunctionsProjectToUnitVectors() throws {
        let basis = try RadialTargetBasis.jacobi(count: 10)
        let mesh = testMesh()
        let table = basis.table(on: mesh, sphereRadiusBohr: mesh.rmax)
        var worst = 0.0
        for j in 0..<10 {
            let f = (0..<mesh.count).map { table[$0 * 10 + j] }
            let c = try basis.project(f, on: mesh)
            for k in 0..<10 { worst = max(worst, abs(c[k] - (j == k ? 1 : 0))) }
            let back = try basis.reconstruct(c.enumerated().map { $0.offset == j ? 1 : 0 }, on: mesh)
            #expect(maxAbsDifference(back, f) < 1e-13)
        }
        print("radial basis: max |⟨φ_j, φ_k⟩_mesh − δ_jk| = \(worst) (K = 10, a = 0.025, N = 481)")
        #expect(worst < 1e-7)
    }

    /// The r²-weighted projection error of a smooth function f(s) = e^{−2s} cos(3s) falls
    /// quickly (geometrically) with the number K of basis functions; the reference norm is
    /// computed by Gauss–Legendre, independent of the mesh.
    @Test func projectionErrorDecreasesWithBasisSize() throws {
        let mesh = testMesh()
        let f = { (s: Double) -> Double in exp(-2 * s) * cos(3 * s) }
        let values = mesh.r.map { f($0 / mesh.rmax) }
        let (s, w) = GaussLegendre(points: 60).mapped(to: 0, 1)
        var errors: [Double] = []
        for k in [2, 4, 6, 8, 10, 12] {
            let basis = try RadialTargetBasis.jacobi(count: k)
            let c = try basis.project(values, on: mesh)
            var err2 = 0.0
            for i in s.indices {
                let v = basis.values(at: s[i])
                let approx = zip(c, v).map { $0 * $1 }.reduce(0, +)
                err2 += w[i] * pow(f(s[i]) - approx, 2) * s[i] * s[i]
            }
            errors.append(err2.squareRoot())
        }
        print("radial projection error of e^{-2s}cos(3s) for K = 2…12: \(errors)")
        for i in 1..<errors.count { #expect(errors[i] < 0.2 * errors[i - 1]) }
        #expect(errors.last! < 1e-7)
    }

    /// Mesh → coefficients → another mesh (different a, N, same sphere): a function in the span
    /// of the basis is carried over exactly; a smooth function to its projection error.
    @Test func roundTripBetweenMeshes() throws {
        let basis = try RadialTargetBasis.jacobi(count: 8)
        let source = testMesh(a: 0.025, count: 481)
        let target = try RadialMesh.covering(rmax: 2.665, firstPoint: 1e-6, a: 0.018)
        // In the span: a cubic in s times nothing.
        let poly = { (s: Double) -> Double in 0.3 - 1.7 * s + 2.2 * s * s - 0.9 * s * s * s }
        let c = try basis.project(source.r.map { poly($0 / source.rmax) }, on: source)
        let onTarget = try basis.reconstruct(c, on: target)
        #expect(maxAbsDifference(onTarget, target.r.map { poly($0 / target.rmax) }) < 1e-8)
        // Smooth, not in the span: the mesh projection approximates the continuous projection
        // c_k = ∫ g φ_k s² ds (60-point Gauss–Legendre), and the round trip reproduces g up to the
        // truncation error of K = 8 functions (largest near s = 0, where the s² weight is small).
        let g = { (s: Double) -> Double in exp(-2 * s) * cos(3 * s) }
        let cg = try basis.project(source.r.map { g($0 / source.rmax) }, on: source)
        let (s, w) = GaussLegendre(points: 60).mapped(to: 0, 1)
        let continuous = (0..<8).map { k in s.indices.reduce(0.0) { $0 + w[$1] * g(s[$1]) * basis.values(at: s[$1])[k] * s[$1] * s[$1] } }
        #expect(maxAbsDifference(cg, continuous) < 1e-7)
        let back = try basis.reconstruct(cg, on: target)
        let err = maxAbsDifference(back, target.r.map { g($0 / target.rmax) })
        #expect(err < 1e-3)
        #expect(err > 1e-10)   // really a different function: the test compares something
    }

    /// PCA of samples spanning a 3-dimensional subspace of the first 10 primitives reproduces every
    /// sample with 3 components; columns are orthonormal.
    @Test func principalComponentBasis() throws {
        var rng = SplitMix64(seed: 3)
        let directions = (0..<3).map { _ in (0..<10).map { _ in gaussian(&rng) } }
        let samples = (0..<20).map { _ -> [Double] in
            let a = (0..<3).map { _ in gaussian(&rng) }
            return (0..<10).map { m in (0..<3).reduce(0.0) { $0 + a[$1] * directions[$1][m] } }
        }
        let pca = try RadialTargetBasis.principalComponents(ofPrimitiveCoefficients: samples, primitiveCount: 10, count: 3)
        let mesh = testMesh()
        let full = try RadialTargetBasis.jacobi(count: 10)
        for sample in samples.prefix(5) {
            let f = try full.reconstruct(sample, on: mesh)
            let back = try pca.reconstruct(try pca.project(f, on: mesh), on: mesh)
            #expect(maxAbsDifference(back, f) < 1e-6 * f.map(abs).max()!)
        }
        #expect(throws: EmulatorError.self) {
            try RadialTargetBasis(kind: .principalComponents, primitiveCount: 2, combination: [1, 0, 1, 0], count: 2)
        }
    }

    /// −2ΔZ√(4π)/r is removed exactly for r > 0 and put back exactly; the r = 0 value is a
    /// linear extrapolation of the smooth part.
    @Test func nuclearTermSeparation() throws {
        let mesh = testMesh()
        let smooth = mesh.r.map { 1.5 - 0.4 * $0 * $0 }
        let total = try NuclearTerm.totalL00(fromSmooth: smooth, deltaZ: -3, mesh: mesh)
        #expect(total[0] == .infinity)   // −2·(−3)·√4π/0 → +∞ (repulsive: fewer protons)
        #expect(abs(total[100] - (smooth[100] + 6 * (4 * Double.pi).squareRoot() / mesh.r[100])) < 1e-12 * abs(total[100]))
        let back = try NuclearTerm.smoothPart(ofTotalL00: total, deltaZ: -3, mesh: mesh)
        #expect(maxAbsDifference(back.dropFirst(), smooth.dropFirst()) < 1e-9)
        #expect(abs(back[0] - 1.5) < 1e-9)
        #expect(throws: EmulatorError.self) { try RadialTargetBasis.jacobi(count: 4).project(total, on: mesh) }
    }

    /// Spin components: charge = (↑+↓)/2, magnetic = (↑−↓)/2, and the projection carries them.
    @Test func spinComponents() throws {
        var rng = SplitMix64(seed: 4)
        let mesh = testMesh()
        let v = syntheticSitePotential(&rng, mesh: mesh, lMax: 2)
        let c = v.component(.charge, lm: 3), m = v.component(.magnetic, lm: 3)
        #expect(maxAbsDifference(zip(c, m).map { $0 + $1 }, v.up[3]) < 1e-15)
        #expect(maxAbsDifference(zip(c, m).map { $0 - $1 }, v.down[3]) < 1e-15)
        let basis = try RadialTargetBasis.jacobi(count: 6)
        let p = try v.projected(on: basis, lMax: 2)
        #expect(maxAbsDifference(p.coefficients(.magnetic, lm: 3), try basis.project(m, on: mesh)) < 1e-15)
        #expect(maxAbsDifference(p.withFlippedMagnetisation().coefficients(.magnetic, lm: 3), try basis.project(m, on: mesh).map { -$0 }) < 1e-15)
        #expect(p.withFlippedMagnetisation().coefficients(.charge, lm: 3) == p.coefficients(.charge, lm: 3))
    }
}
