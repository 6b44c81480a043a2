import Foundation
import Testing
import Impurity
@testable import Workflows

/// The benchmark's statistics and report on hand-made runs (the numbers below are the inputs'
/// own arithmetic, not outputs of the solver).
@Suite struct ConvergenceBenchmarkTests {
    func run(_ pair: String, _ start: String, _ it: Int?, m: Double = 0, to4: Int? = nil) -> BenchmarkRun {
        BenchmarkRun(pair: pair, start: start, converged: it != nil, iterations: it, iterationsTo1e4: to4 ?? it.map { $0 / 2 },
                     initialRmsRy: 1, wallSeconds: 1, impurityMomentMuB: it == nil ? nil : m, impurityChargeE: 0,
                     rmsHistoryRy: (0..<(it ?? 3)).map { pow(10, -Double($0) / 4) }, error: it == nil ? "diverged" : nil)
    }

    @Test func summaryStatistics() {
        let runs = [
            run("Fe in Cu", "atomic", 40, m: 2.5), run("Fe in Cu", "emulator", 20, m: 2.5),
            run("Co in Cu", "atomic", 50), run("Co in Cu", "emulator", 40, m: 0.5),
            run("Mn in Cu", "atomic", 30), run("Mn in Cu", "emulator", nil),
        ]
        let s = ConvergenceBenchmark.summarize(runs)
        #expect(s.pairs == 3)
        #expect(s.medianIterations["atomic"] == 40)     // median of 30, 40, 50
        #expect(s.medianIterations["emulator"] == 30)   // median of 20, 40
        // reductions: Fe 1 − 20/40 = 0.5, Co 1 − 40/50 = 0.2 (Mn failed: no reduction) → median 0.35
        #expect(abs(s.medianReductionEmulatorVsAtomic! - 0.35) < 1e-12)
        #expect(s.failures["emulator"] == 1 && s.failures["atomic"] == 0)
        #expect(s.changedMagneticState == ["Co in Cu (emulator)"])
        #expect(s.emulatorFailuresWhereAtomicConverged == ["Mn in Cu"])
        #expect(s.medianIterationsTo1e4["atomic"] == 20)
    }

    @Test func reportFiles() throws {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("bench-\(UUID().uuidString)").path
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let runs = [run("Fe in Cu", "atomic", 40), run("Fe in Cu", "emulator", 20), run("Fe in Cu", "host", nil)]
        let mixer = ImpuritySettings(impuritySymbol: "Fe").mixerDescription
        try ConvergenceBenchmark.writeReport(runs, to: dir, title: "t", command: "kkr-emulator benchmark --pairs Cu:Fe", mixer: mixer)
        for f in ["report.md", "runs.csv", "runs.json", "summary.json", "convergence.svg", "savings.svg"] {
            #expect(FileManager.default.fileExists(atPath: dir + "/" + f), "\(f) missing")
        }
        let md = try String(contentsOfFile: dir + "/report.md", encoding: .utf8)
        #expect(md.contains("**50 %**"))
        #expect(md.contains("SCF of every start: 5 × linear 0.05 (backtracking 1.2, ended below rms 0.05 Ry), then Anderson 0.2/20"))
        #expect(md.contains("## Failed runs") && md.contains("diverged"))
        let decoded = try JSONDecoder().decode([BenchmarkRun].self, from: Data(contentsOf: URL(fileURLWithPath: dir + "/runs.json")))
        #expect(decoded.count == 3 && decoded[1].iterations == 20)
        let csv = try String(contentsOfFile: dir + "/runs.csv", encoding: .utf8).split(separator: "\n")
        #expect(csv.count == 4)
    }

    /// A retried run (unscreened first attempt) is marked in the table, its discarded iterations
    /// are part of its count, and runs.json files written before the field existed still decode.
    @Test func retriedRunsAreMarked() throws {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("bench-\(UUID().uuidString)").path
        defer { try? FileManager.default.removeItem(atPath: dir) }
        var retried = run("Ni in Cu", "atomic", 67)
        retried.discardedIterations = 32
        let runs = [retried, run("Ni in Cu", "emulator", 26)]
        try ConvergenceBenchmark.writeReport(runs, to: dir, title: "t", command: "c",
                                             mixer: ImpuritySettings(impuritySymbol: "Ni").mixerDescription)
        let md = try String(contentsOfFile: dir + "/report.md", encoding: .utf8)
        #expect(md.contains("| Ni in Cu | 67 incl. 32 discarded† (33) | 26 (13) |"))
        #expect(md.contains("† The first attempt converged to an unscreened"))
        let old = #"[{"pair":"Fe in Cu","start":"atomic","converged":true,"iterations":30,"wallSeconds":1,"rmsHistoryRy":[1]}]"#
        let decoded = try JSONDecoder().decode([BenchmarkRun].self, from: Data(old.utf8))
        #expect(decoded[0].discardedIterations == nil && decoded[0].iterations == 30)
    }
}
