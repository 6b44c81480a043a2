import Elements
import Emulator
import Foundation
import Impurity
import KKR
import KKRNumerics
import Plotting
import PotentialIO
import SCF

/// The potential of a converged record as a start (the lower bound of the benchmark): host
/// potential plus the record's converged spherical ΔV on every site.
public struct ConvergedRecordStart: StartingPotentialProvider {
    public let record: ImpurityRecord
    public init(record: ImpurityRecord) { self.record = record }
    public var name: String { "converged" }
    /// The lower bound starts from the converged state as it is (a non-magnetic result is not pushed).
    public var acceptsMagneticPush: Bool { false }
    public func potentials(_ c: ImpurityStartContext) throws -> [SphericalPotential] {
        guard record.sites.count == c.geometry.count else {
            throw ImpurityError.startingPotential("record \(record.key) has \(record.sites.count) sites, the cluster \(c.geometry.count)")
        }
        let host = c.hostPotential
        let sqrt4pi = (4 * Double.pi).squareRoot()
        return try record.sites.enumerated().map { i, site in
            guard case .onMesh(let dv) = site.potential, dv.mesh.count == host.mesh.count else {
                throw ImpurityError.startingPotential("record \(record.key) site \(i): ΔV is not on the host mesh")
            }
            var v = host
            v.atomicNumber = site.element.atomicNumber
            let parts = [dv.up[0], dv.down[0]]
            v.smooth = (0..<c.spinCount).map { s in zip(host.smooth[s], parts[s]).map { $0 + $1 / sqrt4pi } }
            return v
        }
    }
}

/// One SCF run of the benchmark.
public struct BenchmarkRun: Sendable, Codable {
    public var pair: String
    public var start: String
    public var converged: Bool
    /// Iterations to rms < tolerance (1e-8) and to rms < 1e-4 (nil if never reached).
    public var iterations: Int?
    public var iterationsTo1e4: Int?
    public var initialRmsRy: Double?
    public var wallSeconds: Double
    public var impurityMomentMuB: Double?
    public var impurityChargeE: Double?
    public var rmsHistoryRy: [Double]
    public var error: String?
    /// Iterations of a first attempt that converged to an unscreened state and was retried
    /// (included in `iterations`; nil: no retry).
    public var discardedIterations: Int? = nil
}

/// The convergence benchmark (issue 9): for each pair, the impurity SCF from each start with the
/// same mixer settings; iterations to rms < 1e-8 and < 1e-4, wall time, failures, final moments.
public enum ConvergenceBenchmark {
    /// Runs every start for one pair; errors of a start are recorded, not thrown.
    /// Every start runs as `kkr-emulator impurity` does (`ImpurityCalculation.runScreened`): a run
    /// that converges to an unscreened state is retried once with a stricter Anderson restart, and
    /// the discarded iterations count (a start that leads into a lost-shell state pays for it).
    public static func run(pair: String, settings: ImpuritySettings, green: HostClusterGreenFunction,
                           starts: [any StartingPotentialProvider],
                           progress: (BenchmarkRun) -> Void = { _ in }) -> [BenchmarkRun] {
        starts.map { start in
            let t0 = Date()
            var history: [Double] = []
            do {
                let (r, discarded) = try ImpurityCalculation.runScreened(settings, green: green, start: start,
                                                                         observer: { rec, _ in history.append(rec.rms) })
                try r.checkScreening()  // a converged but unscreened state is a failure, not a result
                let run = BenchmarkRun(pair: pair, start: start.name, converged: true, iterations: discarded + r.history.count,
                                       iterationsTo1e4: history.indices.dropFirst(discarded).first { history[$0] < 1e-4 }.map { $0 + 1 },
                                       initialRmsRy: history.first, wallSeconds: Date().timeIntervalSince(t0),
                                       impurityMomentMuB: r.last.moments[0], impurityChargeE: r.last.charges[0],
                                       rmsHistoryRy: history, error: nil,
                                       discardedIterations: discarded > 0 ? discarded : nil)
                progress(run)
                return run
            } catch {
                let run = BenchmarkRun(pair: pair, start: start.name, converged: false, iterations: nil,
                                       iterationsTo1e4: history.firstIndex { $0 < 1e-4 }.map { $0 + 1 },
                                       initialRmsRy: history.first, wallSeconds: Date().timeIntervalSince(t0),
                                       impurityMomentMuB: nil, impurityChargeE: nil, rmsHistoryRy: history,
                                       error: "\(error)")
                progress(run)
                return run
            }
        }
    }

    /// Summary statistics of the emulator start versus the atomic start.
    public struct Summary: Sendable, Codable {
        public var pairs: Int
        public var medianIterations: [String: Double]
        /// Median iterations to rms < 1e-4 Ry per start.
        public var medianIterationsTo1e4: [String: Double]
        /// Median over pairs of 1 − iterations(emulator)/iterations(atomic).
        public var medianReductionEmulatorVsAtomic: Double?
        public var failures: [String: Int]
        /// Pairs whose final impurity moment differs from the atomic start's by more than 0.1 μB.
        public var changedMagneticState: [String]
        /// Pairs that converge from the atomic start but fail from the emulator start.
        public var emulatorFailuresWhereAtomicConverged: [String]
    }

    public static func summarize(_ runs: [BenchmarkRun], reference: String = "atomic", candidate: String = "emulator") -> Summary {
        let pairs = Array(Set(runs.map(\.pair))).sorted()
        var med: [String: Double] = [:]
        var med4: [String: Double] = [:]
        var failures: [String: Int] = [:]
        for start in Set(runs.map(\.start)) {
            let its = runs.filter { $0.start == start }.compactMap(\.iterations).map(Double.init)
            if !its.isEmpty { med[start] = median(its) }
            let its4 = runs.filter { $0.start == start && $0.converged }.compactMap(\.iterationsTo1e4).map(Double.init)
            if !its4.isEmpty { med4[start] = median(its4) }
            failures[start] = runs.filter { $0.start == start && !$0.converged }.count
        }
        var reductions: [Double] = []
        var changed: [String] = []
        var badFail: [String] = []
        for p in pairs {
            let ref = runs.first { $0.pair == p && $0.start == reference }
            let cand = runs.first { $0.pair == p && $0.start == candidate }
            if let r = ref?.iterations, let c = cand?.iterations, r > 0 { reductions.append(1 - Double(c) / Double(r)) }
            if let mr = ref?.impurityMomentMuB {
                for other in runs where other.pair == p && other.start != reference {
                    if let mo = other.impurityMomentMuB, abs(mo - mr) > 0.1 { changed.append("\(p) (\(other.start))") }
                }
            }
            if ref?.converged == true && cand?.converged == false { badFail.append(p) }
        }
        return Summary(pairs: pairs.count, medianIterations: med, medianIterationsTo1e4: med4, medianReductionEmulatorVsAtomic: reductions.isEmpty ? nil : median(reductions),
                       failures: failures, changedMagneticState: changed, emulatorFailuresWhereAtomicConverged: badFail)
    }

    static func median(_ x: [Double]) -> Double {
        let s = x.sorted()
        return s.count % 2 == 1 ? s[s.count / 2] : 0.5 * (s[s.count / 2 - 1] + s[s.count / 2])
    }

    /// Writes `report.md`, `runs.csv`, `runs.json`, `convergence.svg` (rms vs iteration, one panel
    /// per start) and `savings.svg` (histogram of the iteration savings) into `directory`.
    /// `mixer` (if given) is printed under the command: the SCF settings every start ran with.
    public static func writeReport(_ runs: [BenchmarkRun], to directory: String, title: String, command: String,
                                   mixer: String? = nil) throws {
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        let s = summarize(runs)
        let starts = ["host", "atomic", "emulator", "emulatorImpurity", "converged"].filter { st in runs.contains { $0.start == st } }
        // CSV
        var csv = "pair,start,converged,iterations,iterationsTo1e4,initialRmsRy,wallSeconds,impurityMomentMuB,impurityChargeE,error\n"
        for r in runs {
            let fields: [String] = [r.pair, r.start, String(r.converged), r.iterations.map(String.init) ?? "",
                                    r.iterationsTo1e4.map(String.init) ?? "", r.initialRmsRy.map { String(format: "%.4e", $0) } ?? "",
                                    String(format: "%.1f", r.wallSeconds), r.impurityMomentMuB.map { String(format: "%.4f", $0) } ?? "",
                                    r.impurityChargeE.map { String(format: "%.4f", $0) } ?? "",
                                    (r.error ?? "").replacingOccurrences(of: ",", with: ";").replacingOccurrences(of: "\n", with: " ")]
            csv += fields.joined(separator: ",") + "\n"
        }
        try AtomicFileWriter.write(csv, to: directory + "/runs.csv", overwrite: true)
        let enc = JSONEncoder()
        enc.outputFormatting = [.prettyPrinted, .sortedKeys]
        try AtomicFileWriter.write([UInt8](try enc.encode(runs)), to: directory + "/runs.json", overwrite: true)
        try AtomicFileWriter.write([UInt8](try enc.encode(s)), to: directory + "/summary.json", overwrite: true)
        // plots
        var fig = try Figure(width: 360 * Double(max(1, starts.count)), height: 380, rows: 1, columns: max(1, starts.count), title: title)
        for (k, st) in starts.enumerated() {
            fig[0, k].title = st
            fig[0, k].yScale = .log
            fig[0, k].xLabel = "iteration"
            if k == 0 { fig[0, k].yLabel = "rms (Ry)" }
            for r in runs where r.start == st && !r.rmsHistoryRy.isEmpty {
                try fig[0, k].plot(r.rmsHistoryRy, style: LineStyle(width: 1, opacity: 0.6))
            }
            try fig[0, k].horizontalLine(1e-8)
        }
        try fig.write(to: directory + "/convergence.svg")
        let pairs = Array(Set(runs.map(\.pair))).sorted()
        var savings: [Double] = []
        for p in pairs {
            if let a = runs.first(where: { $0.pair == p && $0.start == "atomic" })?.iterations,
               let e = runs.first(where: { $0.pair == p && $0.start == "emulator" })?.iterations {
                savings.append(100 * (1 - Double(e) / Double(a)))
            }
        }
        if !savings.isEmpty {
            var h = try Figure(width: 560, height: 380, title: "iteration savings, emulator vs atomic start")
            h.axes.xLabel = "saving (%)"
            h.axes.yLabel = "pairs"
            try h.axes.histogram(savings, bins: 10)
            try h.write(to: directory + "/savings.svg")
        }
        // Markdown
        var md = "# \(title)\n\nGenerated by `\(command)`.\n\n"
        if let mixer { md += "SCF of every start: \(mixer).\n\n" }
        md += "## Summary\n\n| start | median iterations to rms < 1e-8 Ry | median iterations to rms < 1e-4 Ry | failures |\n"
        md += "| --- | --- | --- | --- |\n"
        for st in starts {
            md += "| \(st) | \(s.medianIterations[st].map { String(format: "%.1f", $0) } ?? "–") | "
                + "\(s.medianIterationsTo1e4[st].map { String(format: "%.1f", $0) } ?? "–") | \(s.failures[st] ?? 0) |\n"
        }
        md += "\nPairs: \(s.pairs). Median iteration reduction of the emulator start versus the atomic-superposition start: "
        md += (s.medianReductionEmulatorVsAtomic.map { String(format: "**%.0f %%**", 100 * $0) } ?? "–") + ".\n"
        md += "Changed magnetic state (|Δm_imp| > 0.1 μB vs the atomic start): \(s.changedMagneticState.isEmpty ? "none" : s.changedMagneticState.joined(separator: ", ")).\n"
        md += "Emulator failures where the atomic start converged: \(s.emulatorFailuresWhereAtomicConverged.isEmpty ? "none" : s.emulatorFailuresWhereAtomicConverged.joined(separator: ", ")).\n\n"
        md += "![convergence](convergence.svg)\n\n" + (savings.isEmpty ? "" : "![savings](savings.svg)\n\n")
        md += "## Runs\n\n| pair | " + starts.map { "\($0) it (1e-4)" }.joined(separator: " | ") + " | m_imp (μB) |\n"
        md += "| --- | " + starts.map { _ in "---" }.joined(separator: " | ") + " | --- |\n"
        for p in pairs {
            var row = "| \(p) |"
            var m = "–"
            for st in starts {
                if let r = runs.first(where: { $0.pair == p && $0.start == st }) {
                    let retry = r.discardedIterations.map { " incl. \($0) discarded†" } ?? ""
                    row += r.converged ? " \(r.iterations!)\(retry) (\(r.iterationsTo1e4.map(String.init) ?? "–")) |" : " failed |"
                    if st == "atomic", let mm = r.impurityMomentMuB { m = String(format: "%.3f", mm) }
                } else { row += " – |" }
            }
            md += row + " \(m) |\n"
        }
        if runs.contains(where: { $0.discardedIterations != nil }) {
            md += "\n† The first attempt converged to an unscreened (lost-shell) state and was retried once with Anderson "
                + "restart factor \(Int(ImpurityCalculation.retryRestartFactor)), as `kkr-emulator impurity` does; its "
                + "iterations count.\n"
        }
        let failed = runs.filter { !$0.converged }
        if !failed.isEmpty {
            md += "\n## Failed runs\n\n| pair | start | error |\n| --- | --- | --- |\n"
            for r in failed { md += "| \(r.pair) | \(r.start) | \((r.error ?? "").replacingOccurrences(of: "|", with: "/")) |\n" }
        }
        try AtomicFileWriter.write(md, to: directory + "/report.md", overwrite: true)
    }
}
