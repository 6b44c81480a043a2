import ArgumentParser
import BatchRunner
import Elements
import Emulator
import Foundation
import Impurity
import KKR
import Workflows

/// `kkr-emulator benchmark`: SCF iterations of the impurity solver from the host, the
/// atomic-superposition and the emulator start on pairs the model never saw (issue 9,
/// `docs/benchmark.md`).
struct BenchmarkCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "benchmark",
        abstract: "Convergence benchmark: SCF iterations from the host, atomic and emulator starts on held-out pairs.",
        discussion: """
            Every pair runs with the dataset's settings (docs/dataset.md: l_max 2, one shell, rms \
            tolerance 1e-8 Ry) and the host Green functions of --cache-dir (computed and cached if \
            missing). Pairs in the model's training set are skipped unless --include-training-pairs. \
            Writes report.md, runs.csv, runs.json, summary.json, convergence.svg and savings.svg to -o; \
            runs.json is rewritten after every pair, and an interrupted benchmark resumes from it.
            """)

    @Option(help: "Hosts, e.g. Cu,Pd (with --impurities).") var hosts: String?
    @Option(help: "Impurities, e.g. Sc-Zn,Ag (with --hosts).") var impurities: String?
    @Option(help: "Pairs host:impurity, comma-separated (e.g. Cu:Fe,Pd:Co), @FILE (one per line), or 'held-out': the pairs of --dataset not in the model's training set.")
    var pairs: String?
    @Option(help: "Merged dataset: the converged potentials for the 'converged' start (lower bound) and the pairs of --pairs held-out.")
    var dataset: String?
    @Option(help: "Model file (default: the shipped Potentials/model.h5).") var model: String?
    @Option(help: "Starts, comma-separated: host, atomic, emulator, converged (lower bound), emulatorImpurity (prediction on the impurity site only).") var starts: String = "host,atomic,emulator"
    @Option(help: "Host Green-function cache (the dataset's hostcache/).") var cacheDir: String = "data/db/hostcache"
    @Option(name: .shortAndLong, help: "Output directory.") var output: String = "docs/results/benchmark"
    @Option(help: "At most this many pairs (the first ones of the list).") var maxPairs: Int?
    @Option(help: "Host potential zero of the dataset: muffinTinShell (default) or electrostatic (databases before stop 17).")
    var potentialZero: PotentialZero = .muffinTinShell
    @Flag(help: "Also run pairs that are in the model's training set.") var includeTrainingPairs = false
    @Flag(help: "Print the summary as JSON on stdout.") var json = false

    func validate() throws {
        guard pairs != nil || (hosts != nil && impurities != nil) else {
            throw ValidationError("give --pairs Cu:Fe,… or --hosts and --impurities")
        }
        let known = ["host", "atomic", "emulator", "converged", "emulatorImpurity"]
        for s in starts.split(separator: ",") where !known.contains(String(s)) {
            throw ValidationError("unknown start '\(s)': use host, atomic, emulator, converged, emulatorImpurity")
        }
        if (pairs == "held-out" || starts.contains("converged")) && dataset == nil {
            throw ValidationError("--pairs held-out and the 'converged' start need --dataset")
        }
        if let maxPairs, maxPairs < 1 { throw ValidationError("--max-pairs must be at least 1") }
    }

    func run() throws {
        let log: @Sendable (String) -> Void = { FileHandle.standardError.write(($0 + "\n").data(using: .utf8)!) }
        var list: [(host: HostKey, impurity: Element)] = []
        func key(_ host: String, _ impurity: String) -> String { host + ":" + impurity }
        var records: [String: ImpurityRecord] = [:]
        if let dataset {
            let loaded = try EmulatorDataLoader.load(path: dataset)
            for t in loaded.records where abs(t.record.sites[0].netChargeElectrons) <= 2 {
                records[key(t.record.host.symbol, t.record.impurity.symbol)] = t.record
            }
            log("\(dataset): \(records.count) usable converged records")
        }
        if pairs == "held-out" {
            for key in records.keys.sorted() {
                let r = records[key]!
                if r.host.atomicNumber != r.impurity.atomicNumber { list.append((try HostKey(symbol: r.host.symbol), r.impurity)) }
            }
        } else if let pairs {
            list = try PairList.parse(pairs).map { ($0.host, $0.impurity) }
        } else {
            let hs = try HostKey.parseList(hosts!)
            let imps = try PairKey.parseImpurities(impurities!)
            for h in hs { for i in imps where i.atomicNumber != h.element.atomicNumber { list.append((h, i)) } }
        }
        guard let modelPath = model ?? PredictPotential.potentialsDirectory().map({ $0 + "/model.h5" }) else {
            throw ValidationError("no --model and no shipped Potentials/ directory found (set $\(PredictPotential.environmentVariable))")
        }
        let startNames = starts.split(separator: ",").map(String.init)
        let predictor = try EmulatorPredictor.load(modelPath)
        let trained = Set(predictor.model.trainingPairs.map { key($0.host, $0.impurity) })
        if !includeTrainingPairs {
            let before = list.count
            list.removeAll { trained.contains(key($0.host.element.symbol, $0.impurity.symbol)) }
            if list.count < before { log("skipping \(before - list.count) pairs of the model's training set") }
        }
        if let maxPairs { list = Array(list.prefix(maxPairs)) }
        guard !list.isEmpty else { throw ValidationError("no pairs left to benchmark") }

        try FileManager.default.createDirectory(atPath: output, withIntermediateDirectories: true)
        let runsPath = output + "/runs.json"
        var runs: [BenchmarkRun] = []
        if let data = FileManager.default.contents(atPath: runsPath),
           let old = try? JSONDecoder().decode([BenchmarkRun].self, from: data) {
            runs = old
            log("resuming: \(Set(old.map(\.pair)).count) pairs already in \(runsPath)")
        }
        var preset = DatasetPreset.standard
        preset.setPotentialZero(potentialZero)
        let runner = ImpurityPairRunner(preset: preset, cacheDirectory: cacheDir)
        let command = "kkr-emulator " + CommandLine.arguments.dropFirst().joined(separator: " ")
        let mixer = preset.impuritySettings(impurity: "H").mixerDescription
        let t0 = Date()
        var greens: [HostKey: HostClusterGreenFunction] = [:]   // one read of each host file
        for (k, pair) in list.enumerated() {
            let name = "\(pair.impurity.symbol) in \(pair.host.element.symbol)"
            let missing = startNames.filter { s in !runs.contains { $0.pair == name && $0.start == s } }
            if missing.isEmpty { continue }
            let green = try greens[pair.host] ?? HostStore.greenFunction(settings: try runner.hostSettings(pair.host),
                                                                         shells: preset.shells, directory: cacheDir, log: log)
            greens[pair.host] = green
            let providers: [any StartingPotentialProvider] = missing.map { s in
                switch s {
                case "host": return HostStart()
                case "atomic": return AtomicSuperpositionStart()
                case "converged":
                    guard let r = records[key(pair.host.element.symbol, pair.impurity.symbol)] else {
                        return MissingStart(reason: "no converged record of \(name) in the dataset")
                    }
                    return ConvergedRecordStart(record: r)
                case "emulatorImpurity":
                    var e = EmulatorStart(predictor: predictor)
                    e.impurityOnly = true
                    return e
                default: return EmulatorStart(predictor: predictor)
                }
            }
            let settings = preset.impuritySettings(impurity: pair.impurity.symbol)
            let new = ConvergenceBenchmark.run(pair: name, settings: settings, green: green, starts: providers) { r in
                log(String(format: "[%d/%d] %@ from %@: %@ (%.0f s)", k + 1, list.count, name, r.start,
                           r.converged ? "\(r.iterations!) iterations" : "failed: \(r.error ?? "")", r.wallSeconds))
            }
            runs += new
            try ConvergenceBenchmark.writeReport(runs, to: output, title: "Impurity SCF: starting potentials compared",
                                                 command: command, mixer: mixer)
            let elapsed = Date().timeIntervalSince(t0)
            log(String(format: "  %d/%d pairs, %.0f min elapsed", k + 1, list.count, elapsed / 60))
        }
        try ConvergenceBenchmark.writeReport(runs, to: output, title: "Impurity SCF: starting potentials compared", command: command,
                                             mixer: mixer)
        let s = ConvergenceBenchmark.summarize(runs)
        if json {
            let enc = JSONEncoder()
            enc.outputFormatting = [.prettyPrinted, .sortedKeys]
            print(String(decoding: try enc.encode(s), as: UTF8.self))
        } else {
            print("\(s.pairs) pairs → \(output)/report.md")
            for st in startNames { print(String(format: "  %-9@ median iterations %@", st, s.medianIterations[st].map { String(format: "%.1f", $0) } ?? "–")) }
            if let red = s.medianReductionEmulatorVsAtomic { print(String(format: "  median reduction emulator vs atomic: %.0f %%", 100 * red)) }
        }
    }
}

/// A start that cannot be built (recorded as a failed run of the benchmark).
struct MissingStart: StartingPotentialProvider {
    let reason: String
    var name: String { "converged" }
    func potentials(_ c: ImpurityStartContext) throws -> [SphericalPotential] { throw ImpurityError.startingPotential(reason) }
}
