import ArgumentParser
import BatchRunner
import Foundation
import Impurity
import KKR
import Workflows

/// `kkr-emulator dataset generate|merge|export`: the database of converged impurity runs (issue 9).
struct DatasetCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "dataset", abstract: "Generate, merge and export host/impurity datasets.",
        subcommands: [DatasetGenerateCommand.self, DatasetMergeCommand.self, DatasetReportCommand.self])
}

struct DatasetGenerateCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "generate",
        abstract: "Converge each host once, then every host/impurity pair of a shard (resumable, both cores).",
        discussion: """
            Hosts and impurities are element lists with ranges (Sc-Zn); hosts take their lattice \
            from the element's structure (Fe:bcc to force). Results go to shard files under -o \
            (docs/dataset.md); a killed run restarts where it stopped. For a Slurm job array run \
            one shard per task (scripts/slurm/).
            """)

    @Option(help: "Hosts, e.g. Cu,Ag,Fe.") var hosts: String
    @Option(help: "Impurities, e.g. Sc-Zn,Ag.") var impurities: String
    @Option(name: .shortAndLong, help: "Output directory.") var output: String
    @Option(help: "Shard i/N (1-based) of the pair list.") var shard: String?
    @Option(help: "Concurrent pair calculations (default: number of cores).") var workers: Int?
    @Flag(help: "Recompute pairs recorded as failed.") var retryFailed = false
    @Option(help: "Progress: automatic, bar, lines, silent.") var progress: String = "automatic"
    @Option(help: "Host angular momentum cutoff l_max.") var lmax: Int = DatasetPreset.standard.lmax
    @Option(help: "Neighbour shells of the impurity cluster.") var shells: Int = DatasetPreset.standard.shells
    @Option(help: """
        Host potential zero: muffinTinShell (JuKKR's ASA muffin-tin zero, the solver's default; docs/physics.md \
        'Potential zero') or electrostatic (V_H(R_WS) = 0, the databases made before stop 17).
        """)
    var potentialZero: PotentialZero = .muffinTinShell
    @Flag(help: "Print a JSON summary on stdout.") var json = false

    func validate() throws {
        if let shard { do { _ = try Shard(parsing: shard) } catch { throw ValidationError("\(error)") } }
        guard ProgressMode(rawValue: progress) != nil else { throw ValidationError("--progress must be automatic, bar, lines or silent") }
        guard (1...4).contains(lmax) else { throw ValidationError("--lmax must be 1…4") }
        guard (1...3).contains(shells) else { throw ValidationError("--shells must be 1…3") }
    }

    func run() throws {
        var preset = DatasetPreset.standard
        preset.lmax = lmax
        preset.shells = shells
        preset.setPotentialZero(potentialZero)
        var options = try GenerateOptions(hostList: hosts, impurityList: impurities, outputDirectory: output, shard: shard,
                                          provenance: Provenance(codeVersion: KKREmulatorVersion.string, settingsJSON: preset.json))
        if let workers { options.workers = workers }
        options.retryFailed = retryFailed
        options.progress = ProgressMode(rawValue: progress)!
        let runner = ImpurityPairRunner(preset: preset, cacheDirectory: (output as NSString).appendingPathComponent("hostcache"))
        let summary = try runGenerate(options: options, runner: runner)
        if json { print(summary.jsonString()) }
    }
}

struct DatasetMergeCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "merge", abstract: "Combine shard files (or output directories) into one dataset file.")

    @Argument(help: "The merged output file.") var output: String
    @Argument(help: "Shard files or generate output directories.") var inputs: [String]
    @Option(help: "Resolve conflicting records: newest.") var prefer: String?
    @Option(help: "Leave these pairs out: comma-separated host:impurity pairs and @FILE lists (one pair per line, '#' comments), e.g. Cu:Fe,@held-out.txt.")
    var exclude: String?
    @Flag(help: "Replace an existing output file.") var force = false
    @Flag(help: "Print a JSON summary on stdout.") var json = false

    func validate() throws {
        if let prefer, prefer != "newest" { throw ValidationError("--prefer accepts only 'newest'") }
    }

    func run() throws {
        var options = MergeOptions(output: output, inputs: inputs, preferNewest: prefer == "newest", force: force)
        if let exclude { options.excluded = Set(try PairList.parse(exclude)) }
        let summary = try runMerge(options: options)
        if json { print(summary.jsonString()) } else {
            print("\(summary.output): \(summary.records) records (\(summary.failedRecords) failed) from \(summary.inputFiles.count) files")
        }
    }
}

struct DatasetReportCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "report", abstract: "Tables and plots of a merged dataset: Friedel screening, moments, iterations.")

    @Argument(help: "Merged dataset file.") var dataset: String
    @Option(name: .shortAndLong, help: "Output directory.") var output: String = "docs/results/dataset"

    func run() throws {
        try DatasetReport.write(datasetPath: dataset, to: output,
                                command: "kkr-emulator dataset report \(dataset) -o \(output)")
        print("wrote \(output)/dataset-report.md")
    }
}

/// Pair lists of the CLI: comma-separated items, each "host:impurity" or "@FILE" (one
/// host:impurity per line, '#' comments), e.g. "Cu:Fe,V:Mo" or "@held-out.txt,@excluded.txt".
enum PairList {
    static func parse(_ spec: String) throws -> [PairKey] {
        var items: [String] = []
        for part in spec.split(separator: ",").map(String.init) {
            if part.hasPrefix("@") {
                guard let text = try? String(contentsOfFile: String(part.dropFirst()), encoding: .utf8) else {
                    throw ValidationError("cannot read the pair list \(part.dropFirst())")
                }
                items += text.split(separator: "\n").map { String($0.split(separator: "#", omittingEmptySubsequences: false)[0]) }
            } else {
                items.append(part)
            }
        }
        return try items.map { $0.trimmingCharacters(in: .whitespaces) }.filter { !$0.isEmpty }.map { item in
            let parts = item.split(separator: ":").map(String.init)
            guard parts.count == 2 else { throw ValidationError("pair '\(item)' is not host:impurity") }
            return PairKey(host: try HostKey(symbol: parts[0]), impurity: try PairKey.parseImpurities(parts[1])[0])
        }
    }
}
