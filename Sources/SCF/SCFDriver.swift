import Foundation

/// One evaluation of the self-consistency map: output state, the rms error of
/// (output − input) as the problem defines it (JuKKR's rms for potentials, KKR_NOTES §8), and
/// free-form scalar diagnostics (E_F, moments, charges) for progress lines and records.
public struct SCFEvaluation<State: Sendable>: Sendable {
    public var output: State
    public var rms: Double
    public var diagnostics: [String: Double]

    public init(output: State, rms: Double, diagnostics: [String: Double] = [:]) {
        self.output = output
        self.rms = rms
        self.diagnostics = diagnostics
    }
}

/// A fixed-point problem x = G(x) that the shared SCF driver can iterate. The driver does not
/// know whether it runs a free atom, a host crystal or an impurity cluster
/// (`../shared/STYLE.md` rule 2).
public protocol SelfConsistentProblem {
    associatedtype State: Sendable
    /// G(x): compute the output state from the input state.
    mutating func evaluate(_ input: State) throws -> SCFEvaluation<State>
    /// Flatten a state for mixing.
    func pack(_ state: State) -> [Double]
    /// Rebuild a state from a mixed vector (`template` carries the non-mixed parts).
    func unpack(_ vector: [Double], template: State) -> State
}

/// A test for convergence on the rms sequence.
public protocol ConvergenceCriterion: Sendable {
    func isConverged(rms: Double, iteration: Int) -> Bool
    var description: String { get }
}

/// Converged when rms < tolerance.
public struct RMSBelow: ConvergenceCriterion {
    public let tolerance: Double
    public init(_ tolerance: Double) {
        precondition(tolerance > 0)
        self.tolerance = tolerance
    }
    public func isConverged(rms: Double, iteration: Int) -> Bool { rms < tolerance }
    public var description: String { "rms < \(tolerance)" }
}

/// One iteration's record.
public struct SCFIterationRecord: Sendable, Codable {
    public var iteration: Int
    public var rms: Double
    public var diagnostics: [String: Double]
    public var wallSeconds: Double
    public var mixer: String
}

/// Why an SCF run stopped without converging. Carries the full history.
public enum SCFError: Error, CustomStringConvertible {
    case notConverged(history: [SCFIterationRecord], maxIterations: Int)
    case diverged(history: [SCFIterationRecord], reason: String)

    public var history: [SCFIterationRecord] {
        switch self { case .notConverged(let h, _), .diverged(let h, _): return h }
    }

    public var description: String {
        let tail = history.suffix(5).map { String(format: "%d: rms %.3e", $0.iteration, $0.rms) }.joined(separator: "; ")
        switch self {
        case .notConverged(let h, let n):
            return "SCF did not converge in \(n) iterations (last rms \(h.last.map { String(format: "%.3e", $0.rms) } ?? "–")); last iterations: \(tail). Increase the iteration limit or reduce the mixing factor."
        case .diverged(_, let reason):
            return "SCF diverged: \(reason); last iterations: \(tail). Reduce the mixing factor or use more linear steps before Broyden."
        }
    }
}

/// Result of a converged run.
public struct SCFResult<State: Sendable>: Sendable {
    /// The last input state (the converged potential: its output differs by < tolerance).
    public var state: State
    /// The output of the last evaluation.
    public var lastOutput: State
    public var history: [SCFIterationRecord]
    public var iterations: Int { history.count }
}

/// Settings of the SCF loop.
public struct SCFSettings: Sendable {
    public var maxIterations: Int
    /// Stop with `.diverged` when rms exceeds this multiple of the smallest rms seen so far.
    public var divergenceFactor: Double
    /// Reset the mixer history when the rms grows by this factor in one step (KKR_NOTES §8).
    public var historyResetFactor: Double

    public init(maxIterations: Int = 200, divergenceFactor: Double = 1e6, historyResetFactor: Double = 10) {
        self.maxIterations = maxIterations
        self.divergenceFactor = divergenceFactor
        self.historyResetFactor = historyResetFactor
    }
}

/// The shared SCF driver: evaluate, record, check convergence, mix, repeat.
public enum SCFDriver {
    /// Iterates `problem` from `start`. `observer` sees every record and the input state of that
    /// iteration (to write restart files or keep intermediate iterates as training data).
    public static func run<P: SelfConsistentProblem, M: Mixer>(
        _ problem: inout P, start: P.State, mixer: inout M, criterion: some ConvergenceCriterion,
        settings: SCFSettings = SCFSettings(),
        observer: (SCFIterationRecord, P.State, SCFEvaluation<P.State>) throws -> Void = { _, _, _ in }
    ) throws -> SCFResult<P.State> {
        var state = start
        var history: [SCFIterationRecord] = []
        var best = Double.infinity
        var previous = Double.infinity
        for it in 1...max(1, settings.maxIterations) {
            let t0 = Date()
            let mixerName = mixer.name
            let ev = try problem.evaluate(state)
            guard ev.rms.isFinite else {
                throw SCFError.diverged(history: history, reason: "rms is \(ev.rms) at iteration \(it)")
            }
            let rec = SCFIterationRecord(iteration: it, rms: ev.rms, diagnostics: ev.diagnostics,
                                         wallSeconds: Date().timeIntervalSince(t0), mixer: mixerName)
            history.append(rec)
            try observer(rec, state, ev)
            if criterion.isConverged(rms: ev.rms, iteration: it) {
                return SCFResult(state: state, lastOutput: ev.output, history: history)
            }
            best = min(best, ev.rms)
            if ev.rms > settings.divergenceFactor * best {
                throw SCFError.diverged(history: history, reason: "rms grew from \(best) to \(ev.rms)")
            }
            if previous.isFinite && ev.rms > settings.historyResetFactor * previous { mixer.reset() }
            previous = ev.rms
            let next = mixer.next(input: problem.pack(state), output: problem.pack(ev.output))
            state = problem.unpack(next, template: ev.output)
        }
        throw SCFError.notConverged(history: history, maxIterations: settings.maxIterations)
    }
}
