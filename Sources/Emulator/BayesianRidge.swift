import Foundation
import KKRNumerics

/// Sufficient statistics of a block of regression rows (n rows, p features, q outputs):
/// n, Σx, Σy, G = Σ x xᵀ, B = Σ x yᵀ and Σ y² per output. Ridge fits, evidence maximisation and
/// cross-validation need nothing else, so the design matrix never has to be held in memory; one
/// `RidgeStatistics` per group (fold) allows grouped cross-validation by subtraction.
public struct RidgeStatistics: Sendable, Equatable {
    public let featureCount: Int
    public let outputCount: Int
    public private(set) var rowCount: Int = 0
    public private(set) var sumX: [Double]
    public private(set) var sumY: [Double]
    /// G = XᵀX (p × p).
    public private(set) var gram: RealMatrix
    /// B = XᵀY (p × q).
    public private(set) var cross: RealMatrix
    /// Σ_rows y_k² (q).
    public private(set) var sumYY: [Double]

    public init(featureCount p: Int, outputCount q: Int) {
        featureCount = p
        outputCount = q
        sumX = [Double](repeating: 0, count: p)
        sumY = [Double](repeating: 0, count: q)
        gram = RealMatrix(rows: p, cols: p)
        cross = RealMatrix(rows: p, cols: q)
        sumYY = [Double](repeating: 0, count: q)
    }

    /// Adds rows X (n × p) with targets Y (n × q).
    public mutating func add(rows x: RealMatrix, targets y: RealMatrix) throws {
        guard x.cols == featureCount, y.cols == outputCount, x.rows == y.rows else {
            throw EmulatorError.shapeMismatch("regression rows \(x.rows)×\(x.cols) and targets \(y.rows)×\(y.cols); "
                + "expected n×\(featureCount) and n×\(outputCount)")
        }
        guard x.elements.allSatisfy(\.isFinite), y.elements.allSatisfy(\.isFinite) else {
            throw EmulatorError.invalidInput("regression rows or targets contain non-finite values")
        }
        rowCount += x.rows
        for j in 0..<featureCount { for i in 0..<x.rows { sumX[j] += x[i, j] } }
        for k in 0..<outputCount {
            for i in 0..<y.rows {
                sumY[k] += y[i, k]
                sumYY[k] += y[i, k] * y[i, k]
            }
        }
        RealMatrix.gemm(x, transA: true, x, alpha: 1, beta: 1, into: &gram)
        RealMatrix.gemm(x, transA: true, y, alpha: 1, beta: 1, into: &cross)
    }

    /// Element-wise sum (union of row blocks).
    public static func + (a: RidgeStatistics, b: RidgeStatistics) -> RidgeStatistics {
        a.combined(with: b, sign: 1)
    }

    /// Element-wise difference (rows of `a` without those of `b`, b ⊂ a).
    public static func - (a: RidgeStatistics, b: RidgeStatistics) -> RidgeStatistics {
        a.combined(with: b, sign: -1)
    }

    private func combined(with b: RidgeStatistics, sign: Double) -> RidgeStatistics {
        precondition(featureCount == b.featureCount && outputCount == b.outputCount, "statistics of different regressions")
        var s = self
        s.rowCount += Int(sign) * b.rowCount
        for j in 0..<featureCount { s.sumX[j] += sign * b.sumX[j] }
        for k in 0..<outputCount {
            s.sumY[k] += sign * b.sumY[k]
            s.sumYY[k] += sign * b.sumYY[k]
        }
        for i in 0..<s.gram.elements.count { s.gram.elements[i] += sign * b.gram.elements[i] }
        for i in 0..<s.cross.elements.count { s.cross.elements[i] += sign * b.cross.elements[i] }
        return s
    }
}

/// How the ridge parameter λ is chosen, per output column.
public enum HyperparameterSelection: Sendable, Equatable {
    /// The same fixed λ for every output.
    case fixed(lambda: Double)
    /// Evidence maximisation (MacKay 1992; Bishop, PRML §3.5.2): iterate
    /// γ = Σ e_i/(e_i + λ), α = γ/‖w‖², β = (N − γ)/RSS, λ = α/β to convergence in log λ.
    case evidence(maxIterations: Int = 500, tolerance: Double = 1e-9)
    /// k-fold cross-validation over the given groups (each group one fold; grouped folds keep
    /// whole pairs or elements together): λ from the grid minimising the summed validation
    /// squared error; nil grid = N · 10^e, e = −10, −9, …, 2 (N = training rows).
    case crossValidation(lambdas: [Double]? = nil)

    public var name: String {
        switch self {
        case .fixed: return "fixed"
        case .evidence: return "evidence"
        case .crossValidation: return "cross-validation"
        }
    }
}

/// A fitted ridge / Bayesian linear regression with several outputs sharing one design matrix.
///
/// **Penalty convention** (docs/emulator.md §5; stated once here): with standardised features
/// φ̃_j = (x_j − μ_j)/d_j (μ = 0 without intercept) and centred targets, output k minimises
///
///     ‖y_k − Φ̃ w̃_k‖² + λ_k ‖w̃_k‖²        (λ, not λ², multiplies the squared norm)
///
/// which is the posterior mode of the Bayesian model y = Φ̃ w̃ + ε, ε ~ N(0, σ_k²),
/// w̃ ~ N(0, σ_k²/λ_k · 1) (prior precision α = λ/σ²). Posterior covariance
/// Σ_k = σ_k² (Φ̃ᵀΦ̃ + λ_k 1)⁻¹; predictive variance of a new row x
///
///     var_k(x) = σ_k² [1 + 1/N (intercept only) + φ̃ᵀ (Φ̃ᵀΦ̃ + λ_k)⁻¹ φ̃],
///
/// the last term evaluated with the eigen-decomposition Φ̃ᵀΦ̃ = Q diag(e) Qᵀ. To keep model files
/// small, eigenpairs with e_i ≤ 1e-6·min λ are dropped and treated as e_i = 0 (their sum is
/// ‖φ̃‖² − ‖Q_keptᵀφ̃‖², relative error ≤ 1e-6), but only when min λ > 1e-6 p_active, so that
/// the rounding error of that difference (~1e-16 ‖φ̃‖²/λ) stays negligible.
/// Weights are reported in original feature units: ŷ_k = b_k + Σ_j x_j W_jk.
/// Features whose standard deviation (rms without intercept) is below 1e-10 of the largest, or
/// which are constant when an intercept is fitted, are inactive (weight 0).
public struct RidgeFit: Sendable, Equatable {
    public let featureCount: Int
    public let outputCount: Int
    public let hasIntercept: Bool
    /// Training rows N.
    public let rowCount: Int
    /// μ_j (zero without intercept).
    public let featureMeans: [Double]
    /// d_j (0 for inactive features).
    public let featureScales: [Double]
    /// W (p × q), original units.
    public let weights: RealMatrix
    /// b_k.
    public let intercepts: [Double]
    public let lambdas: [Double]
    public let noiseVariances: [Double]
    /// γ_k = Σ e_i/(e_i + λ_k), the effective number of parameters.
    public let effectiveParameters: [Double]
    /// Indices of the active features (the rows of `eigenvectors`).
    public let activeFeatures: [Int]
    /// Q restricted to the kept eigenpairs (p_active × r).
    public let eigenvectors: RealMatrix
    public let eigenvalues: [Double]

    public init(featureCount: Int, outputCount: Int, hasIntercept: Bool, rowCount: Int, featureMeans: [Double],
                featureScales: [Double], weights: RealMatrix, intercepts: [Double], lambdas: [Double],
                noiseVariances: [Double], effectiveParameters: [Double], activeFeatures: [Int],
                eigenvectors: RealMatrix, eigenvalues: [Double]) throws {
        let p = featureCount, q = outputCount
        guard featureMeans.count == p, featureScales.count == p, weights.rows == p, weights.cols == q,
              intercepts.count == q, lambdas.count == q, noiseVariances.count == q, effectiveParameters.count == q,
              eigenvectors.rows == activeFeatures.count, eigenvectors.cols == eigenvalues.count,
              activeFeatures.allSatisfy({ $0 >= 0 && $0 < p }) else {
            throw EmulatorError.shapeMismatch("ridge fit arrays are inconsistent with p = \(p) features, q = \(q) outputs")
        }
        guard lambdas.allSatisfy({ $0 > 0 && $0.isFinite }), noiseVariances.allSatisfy({ $0 >= 0 && $0.isFinite }) else {
            throw EmulatorError.invalidInput("ridge fit: λ must be positive and σ² non-negative")
        }
        self.featureCount = p; self.outputCount = q; self.hasIntercept = hasIntercept; self.rowCount = rowCount
        self.featureMeans = featureMeans; self.featureScales = featureScales; self.weights = weights
        self.intercepts = intercepts; self.lambdas = lambdas; self.noiseVariances = noiseVariances
        self.effectiveParameters = effectiveParameters; self.activeFeatures = activeFeatures
        self.eigenvectors = eigenvectors; self.eigenvalues = eigenvalues
    }

    /// Ŷ = 1 bᵀ + X W for rows X (n × p).
    public func predict(_ x: RealMatrix) -> RealMatrix {
        precondition(x.cols == featureCount, "rows have \(x.cols) features, the fit has \(featureCount)")
        var y = RealMatrix(rows: x.rows, cols: outputCount)
        for k in 0..<outputCount { for i in 0..<x.rows { y[i, k] = intercepts[k] } }
        RealMatrix.gemm(x, weights, alpha: 1, beta: 1, into: &y)
        return y
    }

    /// Predictive variances var_k(x) (n × q) for rows X (n × p); see the type documentation.
    public func predictiveVariance(_ x: RealMatrix) -> RealMatrix {
        precondition(x.cols == featureCount, "rows have \(x.cols) features, the fit has \(featureCount)")
        let pa = activeFeatures.count, r = eigenvalues.count
        var phi = RealMatrix(rows: x.rows, cols: pa)
        var norm2 = [Double](repeating: 0, count: x.rows)
        for (a, j) in activeFeatures.enumerated() {
            for i in 0..<x.rows {
                let v = (x[i, j] - featureMeans[j]) / featureScales[j]
                phi[i, a] = v
                norm2[i] += v * v
            }
        }
        var proj = RealMatrix(rows: x.rows, cols: r)
        if pa > 0 && r > 0 { RealMatrix.gemm(phi, eigenvectors, into: &proj) }
        // Σ_c (q_cᵀφ̃)²/(e_c + λ_k) for all rows and outputs as one product (rows × r)(r × q).
        var kept = [Double](repeating: 0, count: x.rows)
        for c in 0..<r {
            for i in 0..<x.rows {
                let v = proj.elements[i + c * x.rows]
                proj.elements[i + c * x.rows] = v * v
                kept[i] += v * v
            }
        }
        var inverse = RealMatrix(rows: r, cols: outputCount)
        for k in 0..<outputCount { for c in 0..<r { inverse[c, k] = 1 / (eigenvalues[c] + lambdas[k]) } }
        var out = RealMatrix(rows: x.rows, cols: outputCount)
        if r > 0 { RealMatrix.gemm(proj, inverse, into: &out) }
        let interceptTerm = hasIntercept ? 1 / Double(max(rowCount, 1)) : 0
        for k in 0..<outputCount {
            for i in 0..<x.rows {
                // Dropped eigenpairs (e ≈ 0) contribute (‖φ̃‖² − ‖Q_keptᵀφ̃‖²)/λ.
                let dropped = r < pa ? max(0, norm2[i] - kept[i]) / lambdas[k] : 0
                out[i, k] = noiseVariances[k] * (1 + interceptTerm + out[i, k] + dropped)
            }
        }
        return out
    }
}

/// What the hyper-parameter search found, per output.
public struct RidgeReport: Sendable, Equatable {
    public let method: String
    public let lambdas: [Double]
    public let noiseVariances: [Double]
    public let effectiveParameters: [Double]
    /// ln p(y | α, β) at the optimum (evidence maximisation; NaN otherwise), PRML eq. 3.86.
    public let logEvidence: [Double]
    /// Root-mean-square validation error per row (cross-validation; NaN otherwise).
    public let crossValidationRMSE: [Double]
    /// Evidence iterations used (max over outputs), 0 otherwise.
    public let iterations: Int
}

/// Ridge / Bayesian linear regression from sufficient statistics (see `RidgeFit` for the
/// penalty convention and the predictive variance).
public enum BayesianRidge {
    /// Standardised problem of a set of rows: Φ̃ᵀΦ̃ = Q diag(e) Qᵀ, z = Qᵀ Φ̃ᵀ ỹ, ‖ỹ‖².
    struct Standardised {
        let n: Int
        let effectiveRows: Int
        let means: [Double]
        let scales: [Double]
        let targetMeans: [Double]
        let active: [Int]
        let q: RealMatrix
        let e: [Double]
        /// z (p_active × outputs).
        let z: RealMatrix
        /// Centred Σ y² per output.
        let yy: [Double]

        /// Weights in original units W (p × q) and intercepts b for per-output λ_k:
        /// W̃ = Q [z_k/(e + λ_k)]_k (one gemm), W_jk = W̃_jk/d_j, b_k = ȳ_k − Σ_j μ_j W_jk.
        func weights(lambdas: [Double], featureCount p: Int) -> (w: RealMatrix, b: [Double]) {
            let pa = active.count, nOut = lambdas.count
            var coef = RealMatrix(rows: pa, cols: nOut)
            for k in 0..<nOut { for i in 0..<pa { coef[i, k] = z[i, k] / (e[i] + lambdas[k]) } }
            var ws = RealMatrix(rows: pa, cols: nOut)
            if pa > 0 { RealMatrix.gemm(q, coef, into: &ws) }
            var w = RealMatrix(rows: p, cols: nOut)
            var b = targetMeans
            for k in 0..<nOut {
                for (a, j) in active.enumerated() {
                    w[j, k] = ws[a, k] / scales[j]
                    b[k] -= means[j] * w[j, k]
                }
            }
            return (w, b)
        }

        /// RSS(λ) = ‖ỹ‖² − Σ z_i² (e_i + 2λ)/(e_i + λ)², γ(λ), ‖w̃‖².
        func residual(output k: Int, lambda: Double) -> (rss: Double, gamma: Double, weightNorm2: Double) {
            var rss = yy[k], gamma = 0.0, w2 = 0.0
            for i in 0..<active.count {
                let d = e[i] + lambda
                let z2 = z[i, k] * z[i, k]
                rss -= z2 * (e[i] + 2 * lambda) / (d * d)
                gamma += e[i] / d
                w2 += z2 / (d * d)
            }
            return (max(rss, 0), gamma, w2)
        }
    }

    /// Standardises and diagonalises the statistics.
    static func standardise(_ s: RidgeStatistics, intercept: Bool) throws -> Standardised {
        let p = s.featureCount, n = s.rowCount
        guard n > (intercept ? 1 : 0) else {
            throw EmulatorError.training("only \(n) regression rows; add training records")
        }
        let nd = Double(n)
        let means = intercept ? s.sumX.map { $0 / nd } : [Double](repeating: 0, count: p)
        let ymeans = intercept ? s.sumY.map { $0 / nd } : [Double](repeating: 0, count: s.outputCount)
        var variances = [Double](repeating: 0, count: p)
        for j in 0..<p { variances[j] = (s.gram[j, j] - nd * means[j] * means[j]) / nd }
        let largest = (0..<p).map { (s.gram[$0, $0] / nd).squareRoot() }.max() ?? 0
        var active: [Int] = []
        var scales = [Double](repeating: 0, count: p)
        for j in 0..<p {
            let sd = max(variances[j], 0).squareRoot()
            let nonConstant = !intercept || variances[j] > 1e-12 * s.gram[j, j] / nd
            if sd > 1e-10 * largest && nonConstant {
                active.append(j)
                scales[j] = sd
            }
        }
        let pa = active.count
        var g = RealMatrix(rows: pa, cols: pa)
        for (b, jb) in active.enumerated() {
            for (a, ja) in active.enumerated() {
                let centred = s.gram[ja, jb] - nd * means[ja] * means[jb]
                g[a, b] = centred / (scales[ja] * scales[jb])
            }
        }
        var bs = RealMatrix(rows: pa, cols: s.outputCount)
        for k in 0..<s.outputCount {
            for (a, ja) in active.enumerated() { bs[a, k] = (s.cross[ja, k] - nd * means[ja] * ymeans[k]) / scales[ja] }
        }
        let (e, q) = try g.symmetricEigen()
        var z = RealMatrix(rows: pa, cols: s.outputCount)
        if pa > 0 { RealMatrix.gemm(q, transA: true, bs, into: &z) }
        let yy = (0..<s.outputCount).map { max(s.sumYY[$0] - nd * ymeans[$0] * ymeans[$0], 0) }
        return Standardised(n: n, effectiveRows: intercept ? n - 1 : n, means: means, scales: scales, targetMeans: ymeans,
                            active: active, q: q, e: e.map { max($0, 0) }, z: z, yy: yy)
    }

    /// Fits all outputs. `groups` are blocks of rows (for cross-validation: the folds; at least
    /// two then); the fit itself always uses all of them.
    public static func fit(groups: [RidgeStatistics], intercept: Bool,
                           selection: HyperparameterSelection) throws -> (fit: RidgeFit, report: RidgeReport) {
        guard let first = groups.first else { throw EmulatorError.training("no regression rows") }
        let total = groups.dropFirst().reduce(first, +)
        let std = try standardise(total, intercept: intercept)
        let q = total.outputCount, p = total.featureCount
        let nEff = Double(std.effectiveRows)
        var lambdas = [Double](repeating: 0, count: q)
        var noise = [Double](repeating: 0, count: q)
        var gammas = [Double](repeating: 0, count: q)
        var logEvidence = [Double](repeating: .nan, count: q)
        var cvRMSE = [Double](repeating: .nan, count: q)
        var iterations = 0
        // Eigenvalue scale for clamping λ: the mean eigenvalue (= N for standardised features).
        let eMean = max(std.e.reduce(0, +) / Double(max(std.e.count, 1)), 1e-300)
        let lambdaRange = (1e-14 * eMean)...(1e14 * eMean)

        switch selection {
        case .fixed(let lambda):
            guard lambda > 0, lambda.isFinite else { throw EmulatorError.training("λ must be positive; got \(lambda)") }
            lambdas = [Double](repeating: lambda, count: q)
        case .evidence(let maxIterations, let tolerance):
            for k in 0..<q {
                var lambda = 1e-3 * eMean
                var used = 0
                for it in 1...max(1, maxIterations) {
                    used = it
                    let (rss, gamma, w2) = std.residual(output: k, lambda: lambda)
                    if w2 <= 0 || std.yy[k] <= 0 { lambda = lambdaRange.upperBound; break }
                    let alpha = gamma / w2
                    let beta = max(nEff - gamma, 1e-12) / max(rss, 1e-300 + 1e-30 * std.yy[k])
                    let next = min(max(alpha / beta, lambdaRange.lowerBound), lambdaRange.upperBound)
                    let change = abs(log(next / lambda))
                    lambda = next
                    if change < tolerance { break }
                }
                iterations = max(iterations, used)
                lambdas[k] = lambda
                let (rss, gamma, w2) = std.residual(output: k, lambda: lambda)
                let sigma2 = max(rss, 1e-30 * std.yy[k]) / max(nEff - gamma, 1e-12)
                noise[k] = sigma2
                // ln p(y|α,β) = (p/2) ln α + (N/2) ln β − (β/2) RSS − (α/2)‖w‖² − ½ Σ ln(α + β e_i) − (N/2) ln 2π.
                let beta = 1 / max(sigma2, 1e-300), alpha = lambda * beta
                var logDet = 0.0
                for ei in std.e { logDet += log(alpha + beta * ei) }
                let pa = Double(std.active.count)
                let t1: Double = 0.5 * pa * log(alpha) + 0.5 * nEff * log(beta)
                let t2: Double = 0.5 * beta * rss + 0.5 * alpha * w2 + 0.5 * logDet + 0.5 * nEff * log(2 * Double.pi)
                logEvidence[k] = t1 - t2
            }
        case .crossValidation(let grid):
            guard groups.count >= 2 else {
                throw EmulatorError.training("cross-validation needs at least 2 folds (groups); got \(groups.count)")
            }
            let candidates = grid ?? stride(from: -10.0, through: 2.0, by: 1.0).map { Double(total.rowCount) * pow(10, $0) }
            guard !candidates.isEmpty, candidates.allSatisfy({ $0 > 0 && $0.isFinite }) else {
                throw EmulatorError.training("cross-validation λ grid must be non-empty and positive")
            }
            var sse = [[Double]](repeating: [Double](repeating: 0, count: candidates.count), count: q)
            var validationRows = 0
            for fold in groups where fold.rowCount > 0 {
                let train = total - fold
                let ts = try standardise(train, intercept: intercept)
                validationRows += fold.rowCount
                for (c, lambda) in candidates.enumerated() {
                    let (w, b) = ts.weights(lambdas: [Double](repeating: lambda, count: q), featureCount: p)
                    let errors = validationErrors(fold, weights: w, intercepts: b)
                    for k in 0..<q { sse[k][c] += errors[k] }
                }
            }
            for k in 0..<q {
                let best = sse[k].indices.min { sse[k][$0] < sse[k][$1] }!
                lambdas[k] = candidates[best]
                cvRMSE[k] = (sse[k][best] / Double(max(validationRows, 1))).squareRoot()
            }
        }
        if case .evidence = selection {} else {
            for k in 0..<q {
                let (rss, gamma, _) = std.residual(output: k, lambda: lambdas[k])
                noise[k] = rss / max(nEff - gamma, 1)
            }
        }
        for k in 0..<q { gammas[k] = std.residual(output: k, lambda: lambdas[k]).gamma }

        let (weights, intercepts) = std.weights(lambdas: lambdas, featureCount: p)
        // Eigenpairs kept for the variance. Dropped pairs (e_i ≤ 1e-6 λ_min) enter as
        // (‖φ̃‖² − ‖Q_keptᵀφ̃‖²)/λ, whose rounding error is ~1e-16 ‖φ̃‖²/λ with ‖φ̃‖² ≈ p_active
        // (standardised features); so truncate only when λ_min > 1e-6 p_active (error ≲ 1e-10).
        let lambdaMin = lambdas.min() ?? 0
        let truncate = lambdaMin > 1e-6 * Double(std.active.count)
        let kept = std.e.indices.filter { !truncate || std.e[$0] > 1e-6 * lambdaMin }
        var vectors = RealMatrix(rows: std.active.count, cols: kept.count)
        for (c, i) in kept.enumerated() { for a in 0..<std.active.count { vectors[a, c] = std.q[a, i] } }
        let fit = try RidgeFit(featureCount: p, outputCount: q, hasIntercept: intercept, rowCount: total.rowCount,
                               featureMeans: std.means, featureScales: std.scales, weights: weights, intercepts: intercepts,
                               lambdas: lambdas, noiseVariances: noise, effectiveParameters: gammas,
                               activeFeatures: std.active, eigenvectors: vectors, eigenvalues: kept.map { std.e[$0] })
        let report = RidgeReport(method: selection.name, lambdas: lambdas, noiseVariances: noise, effectiveParameters: gammas,
                                 logEvidence: logEvidence, crossValidationRMSE: cvRMSE, iterations: iterations)
        return (fit, report)
    }

    /// Σ_rows (y_k − b_k − xᵀw_k)² of a block, for all outputs, from its sufficient statistics:
    /// Σ(y−b)² − 2 (w_kᵀB_k − b_k w_kᵀΣx) + w_kᵀ G w_k.
    static func validationErrors(_ s: RidgeStatistics, weights w: RealMatrix, intercepts b: [Double]) -> [Double] {
        let p = s.featureCount, nOut = s.outputCount
        let nd = Double(s.rowCount)
        var gw = RealMatrix(rows: p, cols: nOut)
        RealMatrix.gemm(s.gram, w, into: &gw)
        return (0..<nOut).map { k in
            var wb = 0.0, wsx = 0.0, wgw = 0.0
            for j in 0..<p {
                wb += w[j, k] * s.cross[j, k]
                wsx += w[j, k] * s.sumX[j]
                wgw += w[j, k] * gw[j, k]
            }
            let yPart: Double = s.sumYY[k] - 2 * b[k] * s.sumY[k] + nd * b[k] * b[k]
            return max(yPart - 2 * (wb - b[k] * wsx) + wgw, 0)
        }
    }
}
