import Foundation
import Testing
@testable import SCF

/// A linear contraction x = A x + c with known fixed point; the Jacobian of F = G(x) − x has
/// eigenvalues spread over two decades, the regime where linear mixing is slow.
struct LinearFixedPoint: SelfConsistentProblem {
    let diag: [Double]       // G(x)_i = diag_i x_i + c_i  (no coupling)
    let c: [Double]
    var evaluations = 0
    var fixedPoint: [Double] { (0..<diag.count).map { c[$0] / (1 - diag[$0]) } }

    mutating func evaluate(_ x: [Double]) throws -> SCFEvaluation<[Double]> {
        evaluations += 1
        let out = (0..<x.count).map { diag[$0] * x[$0] + c[$0] }
        var s = 0.0
        for i in 0..<x.count { s += (out[i] - x[i]) * (out[i] - x[i]) }
        return SCFEvaluation(output: out, rms: (s / Double(x.count)).squareRoot())
    }
    func pack(_ s: [Double]) -> [Double] { s }
    func unpack(_ v: [Double], template: [Double]) -> [Double] { v }
}

/// A nonlinear problem: G(x) = x − J(x)·(x − x*) style with a cubic term.
struct NonlinearFixedPoint: SelfConsistentProblem {
    mutating func evaluate(_ x: [Double]) throws -> SCFEvaluation<[Double]> {
        // G_i(x) = x_i − 0.3 (x_i − 1) − 0.1 (x_i − 1)^3 − 0.05 (x_{i+1} − 1) (coupled chain)
        let n = x.count
        var out = x
        for i in 0..<n {
            let d = x[i] - 1
            let dn = x[(i + 1) % n] - 1
            out[i] = x[i] - 0.3 * d - 0.1 * d * d * d - 0.05 * dn
        }
        var s = 0.0
        for i in 0..<n { s += (out[i] - x[i]) * (out[i] - x[i]) }
        return SCFEvaluation(output: out, rms: (s / Double(n)).squareRoot())
    }
    func pack(_ s: [Double]) -> [Double] { s }
    func unpack(_ v: [Double], template: [Double]) -> [Double] { v }
}

@Suite struct MixerTests {
    static let diag = (0..<40).map { 0.99 - 0.9 * Double($0) / 39 }   // contraction factors 0.09…0.99
    static let c = (0..<40).map { cos(Double($0)) }

    func iterations<M: Mixer>(_ mixer: M) throws -> (Int, [Double]) {
        var p = LinearFixedPoint(diag: Self.diag, c: Self.c)
        var m = mixer
        let r = try SCFDriver.run(&p, start: [Double](repeating: 0, count: 40), mixer: &m, criterion: RMSBelow(1e-10),
                                  settings: SCFSettings(maxIterations: 5000))
        let err = zip(r.state, p.fixedPoint).map { abs($0 - $1) }.max()!
        #expect(err < 1e-7)
        return (r.iterations, r.state)
    }

    /// Linear mixing with α = 1 converges at the rate of the slowest mode (0.99): ~2000 steps.
    /// Broyden-II and Anderson solve the linear problem in ≲ 2× the number of distinct modes.
    @Test func acceleratedMixersBeatLinearMixing() throws {
        let (nLin, _) = try iterations(LinearMixer(alpha: 1))
        let (nBroyden, _) = try iterations(BroydenMixer(alpha: 0.5, historyLength: 60))
        let (nAnderson, _) = try iterations(AndersonMixer(alpha: 0.5, historyLength: 60))
        #expect(nLin > 1500)
        #expect(nBroyden < 90, "Broyden took \(nBroyden)")
        #expect(nAnderson < 90, "Anderson took \(nAnderson)")
    }

    @Test func nonlinearProblem() throws {
        for useBroyden in [true, false] {
            var p = NonlinearFixedPoint()
            let start = (0..<30).map { 1 + 0.8 * cos(Double($0)) }
            var lin = LinearMixer(alpha: 1)
            let rLin = try SCFDriver.run(&p, start: start, mixer: &lin, criterion: RMSBelow(1e-12), settings: SCFSettings(maxIterations: 2000))
            let accelerated: [Double]
            let n: Int
            if useBroyden {
                var m = ScheduledMixer(linear: LinearMixer(alpha: 0.5), linearSteps: 3, then: BroydenMixer(alpha: 0.5, historyLength: 20))
                let r = try SCFDriver.run(&p, start: start, mixer: &m, criterion: RMSBelow(1e-12))
                accelerated = r.state; n = r.iterations
            } else {
                var m = AndersonMixer(alpha: 0.5, historyLength: 20)
                let r = try SCFDriver.run(&p, start: start, mixer: &m, criterion: RMSBelow(1e-12))
                accelerated = r.state; n = r.iterations
            }
            #expect(n < rLin.iterations / 2, "accelerated \(n) vs linear \(rLin.iterations)")
            for x in accelerated { #expect(abs(x - 1) < 1e-10) }
        }
    }

    /// With a metric, Broyden's fixed point is unchanged (weights only change the path).
    @Test func broydenWithMetric() throws {
        let w = (0..<40).map { 1 + Double($0) }
        let (n, _) = try iterations(BroydenMixer(alpha: 0.5, historyLength: 60, weights: w))
        #expect(n < 120)
    }

    @Test func notConvergedThrowsWithHistory() {
        var p = LinearFixedPoint(diag: Self.diag, c: Self.c)
        var m = LinearMixer(alpha: 0.1)
        do {
            _ = try SCFDriver.run(&p, start: [Double](repeating: 0, count: 40), mixer: &m, criterion: RMSBelow(1e-10),
                                  settings: SCFSettings(maxIterations: 7))
            Issue.record("expected non-convergence")
        } catch let e as SCFError {
            #expect(e.history.count == 7)
            #expect(e.description.contains("did not converge in 7"))
        } catch { Issue.record("unexpected \(error)") }
    }

    /// Linear mixing with α = 2.5 on a contraction with factor 0.09 overshoots (|1 − 2.5·0.91| > 1):
    /// the driver must stop with `.diverged`, not loop.
    @Test func divergenceDetected() {
        var p = LinearFixedPoint(diag: [0.09, 0.09], c: [1, 1])
        var m = LinearMixer(alpha: 2.5)
        #expect(throws: SCFError.self) {
            _ = try SCFDriver.run(&p, start: [0, 0], mixer: &m, criterion: RMSBelow(1e-10),
                                  settings: SCFSettings(maxIterations: 500, divergenceFactor: 1e3))
        }
    }

    @Test func scheduledMixerSwitches() {
        var m = ScheduledMixer(linear: LinearMixer(alpha: 0.1), linearSteps: 2, then: BroydenMixer(alpha: 0.3))
        #expect(m.name.hasPrefix("linear"))
        _ = m.next(input: [0], output: [1]); _ = m.next(input: [0.1], output: [1])
        #expect(m.name.hasPrefix("Broyden"))
        // component scale (FCM): magnetic half mixed 20× faster
        var lin = LinearMixer(alpha: 0.01, componentScale: [1, 20])
        let x = lin.next(input: [0, 0], output: [1, 1])
        #expect(abs(x[0] - 0.01) < 1e-15 && abs(x[1] - 0.2) < 1e-15)
    }

    /// With `switchBelowNorm` the straight phase ends as soon as ‖F‖_g is below the limit: a
    /// start that is already close goes to the accelerated mixer at once, a far one keeps its
    /// straight steps.
    @Test func scheduledMixerSwitchesEarlyNearConvergence() {
        var near = ScheduledMixer(linear: LinearMixer(alpha: 0.1), linearSteps: 5, then: AndersonMixer(alpha: 0.3), switchBelowNorm: 0.05)
        let x = near.next(input: [0], output: [0.01])                       // ‖F‖ = 0.01 < 0.05
        #expect(abs(x[0] - 0.003) < 1e-15)                                  // Anderson's first step: 0.3 F
        #expect(near.name.hasPrefix("Anderson"))
        var far = ScheduledMixer(linear: LinearMixer(alpha: 0.1), linearSteps: 5, then: AndersonMixer(alpha: 0.3), switchBelowNorm: 0.05)
        let y = far.next(input: [0], output: [1])                           // ‖F‖ = 1: straight step 0.1 F
        #expect(abs(y[0] - 0.1) < 1e-15)
        #expect(far.name.hasPrefix("linear"))
    }

    /// Charge sloshing in miniature: G(x) = x − J (x − x*) with a stiff mode J = 80 (the
    /// monopole response of an impurity cluster in a high-DOS host) and soft modes. Straight
    /// mixing with α = 0.05 amplifies the stiff mode by |1 − αJ| = 3 per step and diverges;
    /// with backtracking the factor is halved until the step contracts (α ≤ 0.025) and the run
    /// converges, and on a problem where α is stable nothing is backtracked.
    @Test func backtrackingTamesAStiffMode() throws {
        let stiff = [0.0, -1.0, 1 - 80.0]            // G_i = diag_i x_i + c_i  ⇒  J_i = 1 − diag_i = 1, 2, 80
        let c = [1.0, -0.5, 2.0]
        var p = LinearFixedPoint(diag: stiff, c: c)
        var plain = LinearMixer(alpha: 0.05)
        #expect(throws: SCFError.self) {
            _ = try SCFDriver.run(&p, start: [0, 0, 0], mixer: &plain, criterion: RMSBelow(1e-10),
                                  settings: SCFSettings(maxIterations: 200))
        }
        p = LinearFixedPoint(diag: stiff, c: c)
        var guarded = LinearMixer(alpha: 0.05, backtracking: .init())
        let r = try SCFDriver.run(&p, start: [0, 0, 0], mixer: &guarded, criterion: RMSBelow(1e-10),
                                  settings: SCFSettings(maxIterations: 5000))
        #expect(zip(r.state, p.fixedPoint).map { abs($0 - $1) }.max()! < 1e-8)
        #expect(guarded.backtracks >= 1 && guarded.factors.alpha <= 0.025)

        var stable = LinearMixer(alpha: 0.05, backtracking: .init())
        var q = LinearFixedPoint(diag: [0.5, 0.9, 1 - 20.0], c: [1, 2, 3])
        _ = try SCFDriver.run(&q, start: [0, 0, 0], mixer: &stable, criterion: RMSBelow(1e-10),
                              settings: SCFSettings(maxIterations: 5000))
        #expect(stable.backtracks == 0 && stable.factors.alpha == 0.05)

        // In a schedule, redone steps do not count as straight steps.
        var sched = ScheduledMixer(linear: LinearMixer(alpha: 0.05, backtracking: .init()), linearSteps: 2, then: AndersonMixer(alpha: 0.05))
        _ = sched.next(input: [0], output: [1])        // ‖F‖ = 1, accepted
        _ = sched.next(input: [0.05], output: [5])     // ‖F‖ = 4.95 > 1.2: redone with α = 0.025
        #expect(sched.name.hasPrefix("linear"))
        _ = sched.next(input: [0.025], output: [0.5])  // accepted: second straight step
        #expect(sched.name.hasPrefix("Anderson"))
    }

    /// The Anderson safeguard: a residual above `restartFactor` × the best one throws the step away
    /// and restarts from the best input with a straight step (halved on each further restart at the
    /// same best input); the driver's history reset keeps the best pair.
    @Test func andersonRestartReturnsToTheBestInput() {
        var a = AndersonMixer(alpha: 0.1, historyLength: 5, restartFactor: 3)
        #expect(a.next(input: [0, 0], output: [1, 2]) == [0.1, 0.2])          // best: x = 0, F = (1, 2)
        let blownUp = a.next(input: [0.1, 0.2], output: [30, 30])               // ‖F‖ ≈ 42 > 3 √5
        #expect(a.restarts == 1)
        #expect(zip(blownUp, [0.1, 0.2]).allSatisfy { abs($0 - $1) < 1e-15 })  // x_best + α F_best
        a.reset()                                                              // what the driver does on a jump
        let again = a.next(input: blownUp, output: [40, 40])
        #expect(a.restarts == 2)
        #expect(zip(again, [0.05, 0.1]).allSatisfy { abs($0 - $1) < 1e-15 })   // α halved at the same best
        // A residual below the best one is accepted and becomes the new best.
        _ = a.next(input: again, output: [0.05 + 0.1, 0.1 + 0.1])
        #expect(a.restarts == 2)
        var plain = AndersonMixer(alpha: 0.1, historyLength: 5)
        _ = plain.next(input: [0, 0], output: [1, 2])
        _ = plain.next(input: [0.1, 0.2], output: [30, 30])
        #expect(plain.restarts == 0)
    }

    /// The history filter drops secant pairs whose residual is more than `historyFilter` times
    /// the current one: the next input is then the one an Anderson mixer that never saw the far
    /// point would propose; without the filter (or with a wide one) the far point is used.
    @Test func andersonHistoryFilterForgetsFarPoints() {
        let far = (x: [0.0, 0.0, 0.0], f: [5.0, -3.0, 4.0])          // ‖F‖ ≈ 7.1
        let near1 = (x: [0.9, 1.1, 1.0], f: [0.02, 0.01, -0.01])      // ‖F‖ ≈ 0.024
        let near2 = (x: [0.95, 1.05, 1.01], f: [0.01, -0.004, 0.002]) // ‖F‖ ≈ 0.011
        func propose(_ mixer: AndersonMixer, _ points: [(x: [Double], f: [Double])]) -> [Double] {
            var m = mixer
            var last: [Double] = []
            for p in points { last = m.next(input: p.x, output: zip(p.x, p.f).map { $0 + $1 }) }
            return last
        }
        let filtered = propose(AndersonMixer(alpha: 0.2, historyLength: 20, historyFilter: 100), [far, near1, near2])
        let neverSawFar = propose(AndersonMixer(alpha: 0.2, historyLength: 20), [near1, near2])
        let unfiltered = propose(AndersonMixer(alpha: 0.2, historyLength: 20), [far, near1, near2])
        let wide = propose(AndersonMixer(alpha: 0.2, historyLength: 20, historyFilter: 1000), [far, near1, near2])
        #expect(zip(filtered, neverSawFar).allSatisfy { abs($0 - $1) < 1e-14 })
        #expect(zip(unfiltered, neverSawFar).contains { abs($0 - $1) > 1e-6 })
        #expect(zip(wide, unfiltered).allSatisfy { abs($0 - $1) < 1e-14 })
    }
}
