import Foundation

/// A mixing scheme for a fixed-point problem x = G(x): given the input x_m of iteration m and
/// the output G(x_m), propose the next input x_{m+1}. State (history) lives in the value and
/// belongs to one SCF run (`../shared/STYLE.md` rule 3); `reset()` clears it.
///
/// All vectors are flat `[Double]`; callers pack potentials (all sites, spins, radial points)
/// into one vector. The inner products of history-based mixers use the metric `weights`
/// ⟨a|b⟩ = Σ_i a_i g_i b_i (e.g. g_i = (3/R³) r_i² (dr/di)_i, the volume average of JuKKR's rms,
/// `../shared/KKR_NOTES.md` §8).
public protocol Mixer: Sendable {
    /// Next input from the current input and output.
    mutating func next(input: [Double], output: [Double]) -> [Double]
    /// Forget the history (restart from plain linear mixing).
    mutating func reset()
    /// Short human-readable name for progress lines ("linear 0.02", "Broyden 0.05/20").
    var name: String { get }
}

/// Per-component mixing factors α_i: x_{m+1} = x_m + α_i (G(x_m) − x_m).
/// `alpha` is the base factor; `componentScale` (if given) multiplies it component-wise, e.g.
/// FCM = 20 for the magnetic half of a (charge, magnetisation) packed vector (JuKKR
/// `mixstr.f90`; KKR_NOTES §8).
public struct MixingFactors: Sendable, Equatable {
    public var alpha: Double
    public var componentScale: [Double]?

    public init(alpha: Double, componentScale: [Double]? = nil) {
        precondition(alpha > 0, "mixing factor must be positive")
        self.alpha = alpha
        self.componentScale = componentScale
    }

    @inlinable
    public func factor(_ i: Int) -> Double {
        if let s = componentScale { return alpha * s[i] }
        return alpha
    }

    /// The straight step x_i + (s α_i) F_i that every mixer ends with (`scale` s shrinks it).
    @inlinable
    public func straightStep(from x: [Double], residual f: [Double], scale: Double = 1) -> [Double] {
        var next = x
        for i in 0..<next.count { next[i] += scale * factor(i) * f[i] }
        return next
    }
}

/// Straight (linear) mixing x_{m+1} = x_m + α (G(x_m) − x_m), optionally with backtracking.
///
/// Backtracking guards against charge sloshing: straight mixing is stable only for
/// α · λ_max < 2, where λ_max is the largest eigenvalue of the response of the residual to the
/// input (for an impurity cluster the monopole mode, ≈ total DOS at E_F × Madelung coupling,
/// large in high-DOS hosts such as Rh and Pd). When the residual norm ‖F‖_g exceeds
/// `growthLimit` times the smallest one accepted so far, the factor is multiplied by `shrink`
/// and the step is redone from that best input: x_{m+1} = x_best + α' F(x_best) (a line search
/// on the straight-mixing step; no extra evaluation). A residual that reverses its direction
/// (cosine with the previous one below `reversalCosine`: α λ_max ≈ 2, the stiff mode flips sign
/// without growing) also shrinks α, without redoing the step. At `minimumAlpha` the step is
/// accepted as it is, so the mixer never stalls. Measured on Rh in Rh (atomic start, l_max 2): α = 0.05
/// multiplies the rms by ≈ 3 per iteration (0.39 → 1.4 → 5.4 → 10 → 28 Ry) and the run ends in a
/// state with ΔN_cl = −115 e; α = 0.01 converges to the host (docs/impurity.md).
public struct LinearMixer: Mixer {
    public struct Backtracking: Sendable, Equatable {
        public var growthLimit: Double
        public var shrink: Double
        public var minimumAlpha: Double
        public var reversalCosine: Double
        public init(growthLimit: Double = 1.2, shrink: Double = 0.5, minimumAlpha: Double = 0.002, reversalCosine: Double = -0.5) {
            precondition(growthLimit >= 1 && shrink > 0 && shrink < 1 && minimumAlpha > 0 && reversalCosine < 0)
            self.reversalCosine = reversalCosine
            self.growthLimit = growthLimit
            self.shrink = shrink
            self.minimumAlpha = minimumAlpha
        }
    }

    public var factors: MixingFactors
    public let backtracking: Backtracking?
    /// Metric g of ‖F‖_g (nil: Euclidean).
    public let weights: [Double]?
    /// Steps that were redone from the best input with a smaller factor.
    public private(set) var backtracks = 0
    private var best: (x: [Double], f: [Double], norm: Double)?
    private var lastResidual: [Double]?

    public init(alpha: Double, componentScale: [Double]? = nil, backtracking: Backtracking? = nil, weights: [Double]? = nil) {
        factors = MixingFactors(alpha: alpha, componentScale: componentScale)
        self.backtracking = backtracking
        self.weights = weights
    }

    public mutating func next(input: [Double], output: [Double]) -> [Double] {
        precondition(input.count == output.count)
        var f = output
        for i in 0..<f.count { f[i] -= input[i] }
        if let b = backtracking {
            let norm = weightedDot(f, f, weights).squareRoot()
            let canShrink = factors.alpha * b.shrink >= b.minimumAlpha
            if let best, norm > b.growthLimit * best.norm, canShrink {
                factors.alpha *= b.shrink
                backtracks += 1
                return factors.straightStep(from: best.x, residual: best.f)
            }
            // A residual that reverses its direction (cos ⟨F_m, F_{m−1}⟩_g < reversalCosine)
            // overshoots: α λ_max ≳ 2 makes the stiff mode flip sign without growing.
            if let previous = lastResidual, canShrink, norm > 0 {
                let n2p = weightedDot(previous, previous, weights)
                if n2p > 0 && weightedDot(f, previous, weights) / (norm * n2p.squareRoot()) < b.reversalCosine { factors.alpha *= b.shrink }
            }
            lastResidual = f
            if best == nil || norm <= best!.norm { best = (input, f, norm) }
        }
        return factors.straightStep(from: input, residual: f)
    }

    /// Keeps the best input: it is a safeguard, not a history (the driver resets mixers exactly
    /// when the rms jumps, which is when backtracking must act).
    public mutating func reset() {}
    public var name: String { "linear \(factors.alpha)" }
}

/// Broyden's second method (C. G. Broyden, Math. Comput. 19, 577 (1965),
/// doi:10.1090/S0025-5718-1965-0198670-6; in the form of JuKKR `brydbm.f90` and
/// D. D. Johnson, Phys. Rev. B 38, 12807 (1988), doi:10.1103/PhysRevB.38.12807), with the
/// residual F = G(x) − x and the inverse-Jacobian model H_m = −α I + Σ_i u_i v_iᵀ
/// (`../shared/KKR_NOTES.md` §8):
///
///     u_m = α ΔF_m + Δx_m − Σ_{i<m} u_i ⟨v_i|ΔF_m⟩,    v_m = g∘ΔF_m / ⟨ΔF_m|ΔF_m⟩_g,
///     x_{m+1} = x_m + α F_m − Σ_{i≤m} u_i ⟨v_i|F_m⟩.
///
/// The first call is a linear step. History is limited to `historyLength` pairs (oldest
/// dropped).
public struct BroydenMixer: Mixer {
    public var factors: MixingFactors
    public let historyLength: Int
    public let weights: [Double]?

    private var previousInput: [Double]?
    private var previousResidual: [Double]?
    private var u: [[Double]] = []
    private var v: [[Double]] = []

    public init(alpha: Double, historyLength: Int = 20, weights: [Double]? = nil, componentScale: [Double]? = nil) {
        precondition(historyLength >= 1)
        factors = MixingFactors(alpha: alpha, componentScale: componentScale)
        self.historyLength = historyLength
        self.weights = weights
    }

    public var historyCount: Int { u.count }

    public mutating func next(input x: [Double], output: [Double]) -> [Double] {
        let n = x.count
        precondition(output.count == n)
        if let w = weights { precondition(w.count == n, "metric has \(w.count) weights, vector has \(n)") }
        var f = [Double](repeating: 0, count: n)
        for i in 0..<n { f[i] = output[i] - x[i] }
        if let xp = previousInput, let fp = previousResidual {
            var df = [Double](repeating: 0, count: n), dx = [Double](repeating: 0, count: n)
            for i in 0..<n { df[i] = f[i] - fp[i]; dx[i] = x[i] - xp[i] }
            var norm = 0.0
            for i in 0..<n { norm += df[i] * (weights?[i] ?? 1) * df[i] }
            if norm > 0 {
                var um = [Double](repeating: 0, count: n)
                for i in 0..<n { um[i] = factors.factor(i) * df[i] + dx[i] }
                for k in 0..<u.count {
                    let c = dot(v[k], df)
                    if c != 0 { for i in 0..<n { um[i] -= c * u[k][i] } }
                }
                var vm = [Double](repeating: 0, count: n)
                for i in 0..<n { vm[i] = (weights?[i] ?? 1) * df[i] / norm }
                u.append(um)
                v.append(vm)
                if u.count > historyLength { u.removeFirst(); v.removeFirst() }
            }
        }
        var next = factors.straightStep(from: x, residual: f)
        for k in 0..<u.count {
            let c = dot(v[k], f)
            if c != 0 { for i in 0..<n { next[i] -= c * u[k][i] } }
        }
        previousInput = x
        previousResidual = f
        return next
    }

    public mutating func reset() {
        previousInput = nil
        previousResidual = nil
        u.removeAll()
        v.removeAll()
    }

    public var name: String { "Broyden-II \(factors.alpha)/\(historyLength)" }
}

/// Anderson mixing (D. G. Anderson, J. ACM 12, 547 (1965), doi:10.1145/321296.321305):
/// with residuals F_k = G(x_k) − x_k, find θ minimising ‖F_m − Σ_j θ_j (F_m − F_{m−j})‖_g, then
///
///     x̄ = x_m − Σ_j θ_j (x_m − x_{m−j}),   F̄ = F_m − Σ_j θ_j (F_m − F_{m−j}),   x_{m+1} = x̄ + α F̄.
///
/// With a `historyFilter` κ only the pairs with ‖F_j‖_g ≤ κ ‖F_m‖_g are kept. A pair far from
/// the current input enters the secant model with an error of the order of the map's curvature
/// × |x_j − x_m|², which exceeds a small current residual: on the impurity SCF, Anderson then
/// stalled for 5–15 iterations at rms 1e-5 … 1e-7 until the far pairs left the 20-long history
/// (κ = 100: median of eight held-out pairs 39.5 → 35.5 iterations; docs/impurity.md, 'Mixing').
///
/// With a `restartFactor` the mixer is safeguarded ("restarted Anderson"): when ‖F‖_g exceeds
/// that multiple of the smallest residual norm seen so far, the step that led there is thrown
/// away, the history is replaced by the best pair (x_best, F_best) alone and the next input is a
/// straight step from it, x_best + α' F_best (α' halves on each further restart at the same best
/// point, so a restart never repeats the same secant). No extra evaluation is made. The
/// extrapolation over a nonlinear stretch of the map (a d resonance crossing E_F) can throw the
/// impurity SCF far away: Mo in Pd (atomic start) went from rms 0.25 to 2.5 and 18 Ry after the
/// switch to Anderson and ended with ΔN_cl = −129 e; with restartFactor 30 it converges in 47
/// iterations. Smaller factors also cut off the ordinary, temporary rises of Anderson's residual
/// and cost iterations (docs/impurity.md, 'Mixing').
public struct AndersonMixer: Mixer {
    public var factors: MixingFactors
    public let historyLength: Int
    public let weights: [Double]?
    /// Restart from the best input when ‖F‖_g > restartFactor · min ‖F‖_g (nil: no safeguard).
    public let restartFactor: Double?
    /// Keep only history pairs whose residual norm is at most this multiple of the current one
    /// (nil: keep the last `historyLength`).
    public let historyFilter: Double?
    /// Steps that were thrown away by the safeguard.
    public private(set) var restarts = 0
    private var xs: [[Double]] = []
    private var fs: [[Double]] = []
    private var norms: [Double] = []
    private var best: (x: [Double], f: [Double], norm: Double)?
    private var restartsAtBest = 0

    public init(alpha: Double, historyLength: Int = 10, weights: [Double]? = nil, componentScale: [Double]? = nil,
                restartFactor: Double? = nil, historyFilter: Double? = nil) {
        precondition(historyLength >= 1)
        precondition(restartFactor.map { $0 > 1 } ?? true, "restart factor must exceed 1")
        precondition(historyFilter.map { $0 > 1 } ?? true, "history filter must exceed 1")
        self.historyFilter = historyFilter
        factors = MixingFactors(alpha: alpha, componentScale: componentScale)
        self.historyLength = historyLength
        self.weights = weights
        self.restartFactor = restartFactor
    }

    public mutating func next(input x: [Double], output: [Double]) -> [Double] {
        let n = x.count
        var f = [Double](repeating: 0, count: n)
        for i in 0..<n { f[i] = output[i] - x[i] }
        let norm = wdot(f, f).squareRoot()
        if let factor = restartFactor {
            if let best, norm > factor * best.norm {
                restarts += 1
                restartsAtBest += 1
                xs = [best.x]
                fs = [best.f]
                norms = [best.norm]
                return factors.straightStep(from: best.x, residual: best.f, scale: pow(0.5, Double(restartsAtBest - 1)))
            }
            if best == nil || norm < best!.norm { best = (x, f, norm); restartsAtBest = 0 }
        }
        if let filter = historyFilter {
            let keep = norms.indices.filter { norms[$0] <= filter * norm }
            if keep.count < norms.count {
                xs = keep.map { xs[$0] }; fs = keep.map { fs[$0] }; norms = keep.map { norms[$0] }
            }
        }
        let m = xs.count
        var xbar = x, fbar = f
        if m > 0 {
            // θ minimises ‖F_m − Σ_j θ_j d_j‖_g, d_j = F_m − F_j: normal equations A θ = b with
            // A_jk = ⟨d_j|d_k⟩_g, b_j = ⟨d_j|F_m⟩_g. (Solving the least-squares problem by SVD
            // instead, to avoid squaring the condition number, changed nothing measurable:
            // Ti in Cu 48 vs 53 iterations, Ni in Cu 102 vs 90; docs/impurity.md, 'Mixing'.)
            var d: [[Double]] = []
            for j in 0..<m { d.append((0..<n).map { f[$0] - fs[j][$0] }) }
            if let theta = normalEquationCoefficients(d, f) {
                for j in 0..<m {
                    for i in 0..<n {
                        xbar[i] -= theta[j] * (x[i] - xs[j][i])
                        fbar[i] -= theta[j] * d[j][i]
                    }
                }
            }
        }
        xs.append(x)
        fs.append(f)
        norms.append(norm)
        if xs.count > historyLength { xs.removeFirst(); fs.removeFirst(); norms.removeFirst() }
        return factors.straightStep(from: xbar, residual: fbar)
    }

    /// Clears the history; the best pair of the safeguard is kept (the driver resets exactly when
    /// the rms jumps, which is when the safeguard must still know where to return).
    public mutating func reset() { xs.removeAll(); fs.removeAll(); norms.removeAll() }
    public var name: String { "Anderson \(factors.alpha)/\(historyLength)" }

    private func wdot(_ a: [Double], _ b: [Double]) -> Double { weightedDot(a, b, weights) }

    /// θ from the normal equations A θ = b.
    private func normalEquationCoefficients(_ d: [[Double]], _ f: [Double]) -> [Double]? {
        let m = d.count
        var a = [Double](repeating: 0, count: m * m), b = [Double](repeating: 0, count: m)
        for j in 0..<m {
            b[j] = wdot(d[j], f)
            for k in 0...j { let s = wdot(d[j], d[k]); a[j * m + k] = s; a[k * m + j] = s }
        }
        return AndersonMixer.solveSymmetric(a, b, m)
    }

    /// Gaussian elimination with a tiny Tikhonov shift for near-singular histories; nil if degenerate.
    static func solveSymmetric(_ a0: [Double], _ b0: [Double], _ m: Int) -> [Double]? {
        var a = a0, b = b0
        var trace = 0.0
        for i in 0..<m { trace += a[i * m + i] }
        if trace <= 0 { return nil }
        for i in 0..<m { a[i * m + i] += 1e-12 * trace }
        for k in 0..<m {
            var p = k
            for i in (k + 1)..<m where abs(a[i * m + k]) > abs(a[p * m + k]) { p = i }
            if abs(a[p * m + k]) < 1e-300 { return nil }
            if p != k { for j in 0..<m { a.swapAt(k * m + j, p * m + j) }; b.swapAt(k, p) }
            for i in (k + 1)..<m {
                let fct = a[i * m + k] / a[k * m + k]
                for j in k..<m { a[i * m + j] -= fct * a[k * m + j] }
                b[i] -= fct * b[k]
            }
        }
        var x = [Double](repeating: 0, count: m)
        for i in stride(from: m - 1, through: 0, by: -1) {
            var s = b[i]
            for j in (i + 1)..<m { s -= a[i * m + j] * x[j] }
            x[i] = s / a[i * m + i]
        }
        return x
    }
}

/// Straight mixing for the first `linearSteps` iterations, then the accelerated mixer
/// (`../shared/notes/scf-practice.md`: Anderson/Broyden from iteration 1 was chaotic for
/// impurities; linear ~0.02 for 10–15 iterations first). The accelerated mixer's history is
/// reset when the switch happens.
public struct ScheduledMixer<Accelerated: Mixer>: Mixer {
    public var linear: LinearMixer
    public var accelerated: Accelerated
    public let linearSteps: Int
    public private(set) var step = 0

    /// End the straight phase early once the residual norm ‖F‖_g (the linear mixer's metric)
    /// is below this (nil: always `linearSteps` straight steps).
    public let switchBelowNorm: Double?

    public init(linear: LinearMixer, linearSteps: Int, then accelerated: Accelerated, switchBelowNorm: Double? = nil) {
        self.linear = linear
        self.accelerated = accelerated
        self.linearSteps = linearSteps
        self.switchBelowNorm = switchBelowNorm
    }

    /// Straight steps so far that were not redone by the linear mixer's backtracking: the
    /// straight phase lasts `linearSteps` accepted steps.
    private var inLinearPhase: Bool { !switchedEarly && step - linear.backtracks < linearSteps }
    private var switched = false
    private var switchedEarly = false

    public mutating func next(input: [Double], output: [Double]) -> [Double] {
        defer { step += 1 }
        if inLinearPhase, let limit = switchBelowNorm {
            var f = output
            for i in 0..<f.count { f[i] -= input[i] }
            if weightedDot(f, f, linear.weights).squareRoot() < limit { switchedEarly = true }
        }
        if inLinearPhase { return linear.next(input: input, output: output) }
        if !switched { accelerated.reset(); switched = true }
        return accelerated.next(input: input, output: output)
    }

    public mutating func reset() { accelerated.reset() }
    public var name: String { inLinearPhase ? linear.name : accelerated.name }
}

/// ⟨a|b⟩_g = Σ_i a_i g_i b_i (plain dot product without a metric).
@inlinable
func weightedDot(_ a: [Double], _ b: [Double], _ weights: [Double]?) -> Double {
    var s = 0.0
    if let w = weights { for i in 0..<a.count { s += a[i] * w[i] * b[i] } } else { for i in 0..<a.count { s += a[i] * b[i] } }
    return s
}

@inlinable
func dot(_ a: [Double], _ b: [Double]) -> Double {
    var s = 0.0
    for i in 0..<a.count { s += a[i] * b[i] }
    return s
}
