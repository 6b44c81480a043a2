import Foundation
import KKRNumerics
import Testing
@testable import Emulator

/// Ridge / Bayesian linear regression against independent computations: least squares on the
/// augmented matrix [Φ̃; √λ 1] (dgelsd), explicit posterior covariance (dgesv), the Gaussian
/// marginal likelihood evaluated directly, and explicit fold-by-fold refits.
@Suite struct BayesianRidgeTests {
    /// Random design (n × p) with features of very different scales and means, and q outputs.
    static func problem(_ rng: inout SplitMix64, n: Int, p: Int, q: Int, noise: Double) -> (RealMatrix, RealMatrix) {
        var x = RealMatrix(rows: n, cols: p)
        let scales = (0..<p).map { pow(10, Double($0 % 4) - 1.5) }
        let offsets = (0..<p).map { Double($0 % 3) * 2.5 }
        for i in 0..<n { for j in 0..<p { x[i, j] = offsets[j] + scales[j] * gaussian(&rng) } }
        var w = RealMatrix(rows: p, cols: q)
        for j in 0..<p { for k in 0..<q { w[j, k] = gaussian(&rng) / scales[j] } }
        var y = x * w
        for i in 0..<n { for k in 0..<q { y[i, k] += Double(k) + noise * gaussian(&rng) } }
        return (x, y)
    }

    static func statistics(_ x: RealMatrix, _ y: RealMatrix) throws -> RidgeStatistics {
        var s = RidgeStatistics(featureCount: x.cols, outputCount: y.cols)
        try s.add(rows: x, targets: y)
        return s
    }

    /// Independent ridge solution: standardise explicitly, then least squares on
    /// [1 Φ̃; 0 √λ 1] [b; w̃] ≈ [y; 0] (intercept unpenalised).
    static func augmentedSolution(_ x: RealMatrix, _ y: RealMatrix, lambda: Double, intercept: Bool) throws -> (w: RealMatrix, b: [Double]) {
        let n = x.rows, p = x.cols, q = y.cols
        var means = [Double](repeating: 0, count: p), scales = [Double](repeating: 0, count: p)
        for j in 0..<p {
            let col = x.column(j)
            means[j] = intercept ? col.reduce(0, +) / Double(n) : 0
            scales[j] = (col.map { ($0 - means[j]) * ($0 - means[j]) }.reduce(0, +) / Double(n)).squareRoot()
        }
        let off = intercept ? 1 : 0
        var a = RealMatrix(rows: n + p, cols: p + off)
        var rhs = RealMatrix(rows: n + p, cols: q)
        for i in 0..<n {
            if intercept { a[i, 0] = 1 }
            for j in 0..<p { a[i, j + off] = (x[i, j] - means[j]) / scales[j] }
            for k in 0..<q { rhs[i, k] = y[i, k] }
        }
        for j in 0..<p { a[n + j, j + off] = lambda.squareRoot() }
        let sol = try a.leastSquares(rhs).solution
        var w = RealMatrix(rows: p, cols: q)
        var b = [Double](repeating: 0, count: q)
        for k in 0..<q {
            b[k] = intercept ? sol[0, k] : 0
            for j in 0..<p {
                w[j, k] = sol[j + off, k] / scales[j]
                b[k] -= means[j] * w[j, k]
            }
        }
        return (w, b)
    }

    @Test func fixedLambdaMatchesAugmentedLeastSquares() throws {
        var rng = SplitMix64(seed: 21)
        let (x, y) = Self.problem(&rng, n: 60, p: 9, q: 3, noise: 0.1)
        for intercept in [true, false] {
            let lambda = 2.5
            let (fit, _) = try BayesianRidge.fit(groups: [try Self.statistics(x, y)], intercept: intercept,
                                                 selection: .fixed(lambda: lambda))
            let ref = try Self.augmentedSolution(x, y, lambda: lambda, intercept: intercept)
            let scale = ref.w.elements.map(abs).max()!
            #expect(maxAbsDifference(fit.weights.elements, ref.w.elements) < 1e-10 * scale)
            // b = ȳ − Σ_j μ_j w_j: its round-off scales with the largest term of that sum, not with |b|
            // (with OpenBLAS threads under load the difference reached 3e-9 for |b| ≈ 2.3).
            let mu = (0..<9).map { j in (0..<60).reduce(0.0) { $0 + x[$1, j] } / 60 }
            let terms = (0..<3).map { k in (0..<9).reduce(0.0) { $0 + abs(mu[$1] * ref.w[$1, k]) } }.max()!
            #expect(maxAbsDifference(fit.intercepts, ref.b) < 1e-9 * max(1, ref.b.map(abs).max()!, terms))
            // Predictions are b + X W.
            let yhat = fit.predict(x)
            #expect(abs(yhat[7, 2] - (ref.b[2] + (0..<9).reduce(0.0) { $0 + x[7, $1] * ref.w[$1, 2] })) < 1e-9)
        }
    }

    /// Predictive variance σ²[1 + 1/N + φ̃ᵀ(Φ̃ᵀΦ̃ + λ)⁻¹φ̃] against an explicit solve, in the
    /// under-determined case p > N, where the null space of Φ̃ contributes φ̃ᵀφ̃/λ.
    @Test func predictiveVarianceMatchesExplicitCovariance() throws {
        var rng = SplitMix64(seed: 22)
        let (x, y) = Self.problem(&rng, n: 8, p: 14, q: 2, noise: 0.3)
        let lambda = 0.7
        let (fit, _) = try BayesianRidge.fit(groups: [try Self.statistics(x, y)], intercept: true, selection: .fixed(lambda: lambda))
        #expect(fit.eigenvalues.count <= 7)   // rank ≤ N − 1 after centring: null space dropped from storage
        // Explicit standardised Gram + λ.
        let p = 14, n = 8
        var phi = RealMatrix(rows: n, cols: p)
        for j in 0..<p {
            let col = x.column(j)
            let mean = col.reduce(0, +) / Double(n)
            let sd = (col.map { ($0 - mean) * ($0 - mean) }.reduce(0, +) / Double(n)).squareRoot()
            #expect(abs(fit.featureMeans[j] - mean) < 1e-12 * max(1, abs(mean)))
            #expect(abs(fit.featureScales[j] - sd) < 1e-10 * sd)
            for i in 0..<n { phi[i, j] = (x[i, j] - mean) / sd }
        }
        var a = phi.transpose * phi
        for j in 0..<p { a[j, j] += lambda }
        var newRows = RealMatrix(rows: 3, cols: p)
        for i in 0..<3 { for j in 0..<p { newRows[i, j] = x[i, j] + gaussian(&rng) } }
        let v = fit.predictiveVariance(newRows)
        for i in 0..<3 {
            var t = RealMatrix(rows: p, cols: 1)
            for j in 0..<p { t[j, 0] = (newRows[i, j] - fit.featureMeans[j]) / fit.featureScales[j] }
            let solved = try a.solve(t)
            let quad = (0..<p).reduce(0.0) { $0 + t[$1, 0] * solved[$1, 0] }
            for k in 0..<2 {
                let expected = fit.noiseVariances[k] * (1 + 1.0 / Double(n) + quad)
                #expect(abs(v[i, k] - expected) < 1e-6 * expected, "row \(i) output \(k)")
            }
        }
    }

    /// Evidence maximisation (no intercept): the returned (α, β) is a stationary point of the
    /// log marginal likelihood ln N(y | 0, β⁻¹ 1 + α⁻¹ Φ̃Φ̃ᵀ) computed directly from the N × N
    /// covariance (eigen-decomposition), and the reported log evidence equals it.
    @Test func evidenceMaximisationFindsTheMaximum() throws {
        var rng = SplitMix64(seed: 23)
        let (x, y) = Self.problem(&rng, n: 40, p: 6, q: 2, noise: 0.5)
        let (fit, report) = try BayesianRidge.fit(groups: [try Self.statistics(x, y)], intercept: false, selection: .evidence())
        #expect(report.iterations > 1)
        var phi = RealMatrix(rows: 40, cols: 6)
        for i in 0..<40 { for j in 0..<6 { phi[i, j] = x[i, j] / fit.featureScales[j] } }
        let kernel = phi * phi.transpose
        let (ev, u) = try kernel.symmetricEigen()
        func logMarginal(_ alpha: Double, _ beta: Double, _ k: Int) -> Double {
            // C = β⁻¹ + α⁻¹ K = U diag(β⁻¹ + α⁻¹ ev) Uᵀ.
            var s = 0.0, logDet = 0.0
            for i in 0..<40 {
                let c = 1 / beta + ev[i] / alpha
                let proj = (0..<40).reduce(0.0) { $0 + u[$1, i] * y[$1, k] }
                s += proj * proj / c
                logDet += log(c)
            }
            return -0.5 * (s + logDet + 40 * log(2 * Double.pi))
        }
        for k in 0..<2 {
            let beta = 1 / fit.noiseVariances[k], alpha = fit.lambdas[k] * beta
            let best = logMarginal(alpha, beta, k)
            #expect(abs(report.logEvidence[k] - best) < 1e-8 * abs(best))
            for (fa, fb) in [(1.05, 1.0), (0.95, 1.0), (1.0, 1.05), (1.0, 0.95)] {
                #expect(logMarginal(alpha * fa, beta * fb, k) < best, "output \(k): perturbation (\(fa), \(fb))")
            }
        }
    }

    /// Grouped cross-validation against explicit refits per fold (augmented least squares) on
    /// the same λ grid: same chosen λ and same validation RMSE.
    @Test func crossValidationMatchesExplicitRefits() throws {
        var rng = SplitMix64(seed: 24)
        let (x, y) = Self.problem(&rng, n: 45, p: 7, q: 2, noise: 1.5)
        let folds = (0..<45).map { $0 % 3 }
        var groups: [RidgeStatistics] = []
        for f in 0..<3 {
            let rows = (0..<45).filter { folds[$0] == f }
            var xf = RealMatrix(rows: rows.count, cols: 7), yf = RealMatrix(rows: rows.count, cols: 2)
            for (i, r) in rows.enumerated() {
                for j in 0..<7 { xf[i, j] = x[r, j] }
                for k in 0..<2 { yf[i, k] = y[r, k] }
            }
            groups.append(try Self.statistics(xf, yf))
        }
        let grid = [0.01, 0.1, 1, 3, 10, 30, 100, 1000]
        let (fit, report) = try BayesianRidge.fit(groups: groups, intercept: true, selection: .crossValidation(lambdas: grid))
        var sse = [[Double]](repeating: [Double](repeating: 0, count: grid.count), count: 2)
        for f in 0..<3 {
            let train = (0..<45).filter { folds[$0] != f }, test = (0..<45).filter { folds[$0] == f }
            var xt = RealMatrix(rows: train.count, cols: 7), yt = RealMatrix(rows: train.count, cols: 2)
            for (i, r) in train.enumerated() {
                for j in 0..<7 { xt[i, j] = x[r, j] }
                for k in 0..<2 { yt[i, k] = y[r, k] }
            }
            for (c, lambda) in grid.enumerated() {
                let (w, b) = try Self.augmentedSolution(xt, yt, lambda: lambda, intercept: true)
                for r in test {
                    for k in 0..<2 {
                        let pred = b[k] + (0..<7).reduce(0.0) { $0 + x[r, $1] * w[$1, k] }
                        sse[k][c] += (y[r, k] - pred) * (y[r, k] - pred)
                    }
                }
            }
        }
        for k in 0..<2 {
            let best = sse[k].indices.min { sse[k][$0] < sse[k][$1] }!
            #expect(fit.lambdas[k] == grid[best])
            #expect(abs(report.crossValidationRMSE[k] - (sse[k][best] / 45).squareRoot()) < 1e-8)
        }
        #expect(throws: EmulatorError.self) {
            try BayesianRidge.fit(groups: [groups[0]], intercept: true, selection: .crossValidation(lambdas: grid))
        }
    }

    /// Constant and all-zero features are inactive (weight 0); statistics add and subtract.
    @Test func inactiveFeaturesAndStatisticsAlgebra() throws {
        var rng = SplitMix64(seed: 25)
        let (x0, y) = Self.problem(&rng, n: 30, p: 5, q: 1, noise: 0.1)
        var x = x0
        for i in 0..<30 { x[i, 1] = 4.2; x[i, 3] = 0 }
        let (fit, _) = try BayesianRidge.fit(groups: [try Self.statistics(x, y)], intercept: true, selection: .fixed(lambda: 1e-3))
        #expect(fit.activeFeatures == [0, 2, 4])
        #expect(fit.weights[1, 0] == 0 && fit.weights[3, 0] == 0)
        var a = RealMatrix(rows: 10, cols: 5), b = RealMatrix(rows: 10, cols: 1)
        for i in 0..<10 { for j in 0..<5 { a[i, j] = x[i, j] }; b[i, 0] = y[i, 0] }
        let whole = try Self.statistics(x, y), part = try Self.statistics(a, b)
        let rest = whole - part
        #expect(rest.rowCount == 20)
        #expect(maxAbsDifference((rest + part).gram.elements, whole.gram.elements) < 1e-12)
    }
}
