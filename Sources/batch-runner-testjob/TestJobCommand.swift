import ArgumentParser
import BatchRunner
import Foundation

/// `batch-runner-testjob dataset generate|merge …`: the dataset commands with the fake runner
/// (`FakePairJobRunner`), as a separate process for the kill/restart test and the Slurm scripts
/// (`KKR_EMULATOR=…/batch-runner-testjob`). The options are those of
/// `kkr-emulator dataset generate|merge` plus `--fake-*` knobs; the real CLI uses the same
/// library calls with the physics runner.
@main
struct TestJobCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "batch-runner-testjob",
        abstract: "Dataset batch runner with fake pair jobs (tests and Slurm dry runs).",
        subcommands: [DatasetCommand.self])
}

struct DatasetCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "dataset", abstract: "Generate and merge host/impurity datasets.",
        subcommands: [GenerateCommand.self, MergeCommand.self])
}

struct GenerateCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "generate", abstract: "Compute every host/impurity pair of a shard, resumably.")

    @Option(help: "Hosts, e.g. Cu,Ag,Fe:bcc (element ranges like Ni-Cu allowed).") var hosts: String
    @Option(help: "Impurities, e.g. Sc-Zn,Ag.") var impurities: String
    @Option(name: .shortAndLong, help: "Output directory.") var output: String
    @Option(help: "Shard i/N (1-based) of the pair list.") var shard: String?
    @Option(help: "Concurrent pair calculations (default: number of cores).") var workers: Int?
    @Flag(help: "Recompute pairs recorded as failed.") var retryFailed = false
    @Option(help: "Consolidate pending records after this many pairs.") var consolidateEvery: Int = 50
    @Option(help: "Progress: automatic, bar, lines, silent.") var progress: String = "automatic"
    @Flag(help: "Print a JSON summary on stdout.") var json = false

    @Option(help: "Fake runner: milliseconds per pair.") var fakeDelayMs: Double = 0
    @Option(help: "Fake runner: milliseconds per host.") var fakeHostDelayMs: Double = 0
    @Option(help: "Fake runner: comma-separated pair ids that fail (Cu-fcc/Fe).") var fakeFail: String = ""
    @Option(help: "Fake runner: comma-separated pair ids that abort the process.") var fakeCrash: String = ""
    @Option(help: "Fake runner: append one line per computed pair to this file.") var fakeLog: String?

    func validate() throws {
        if let shard { do { _ = try Shard(parsing: shard) } catch { throw ValidationError("\(error)") } }
        guard ProgressMode(rawValue: progress) != nil else { throw ValidationError("--progress must be automatic, bar, lines or silent") }
    }

    func run() throws {
        var options = try GenerateOptions(
            hostList: hosts, impurityList: impurities, outputDirectory: output, shard: shard,
            provenance: Provenance(codeVersion: "batch-runner-testjob", settingsJSON: #"{"runner":"fake"}"#))
        if let workers { options.workers = workers }
        options.retryFailed = retryFailed
        options.consolidateEveryPairs = consolidateEvery
        options.progress = ProgressMode(rawValue: progress)!
        var runner = FakePairJobRunner(pairDelaySeconds: fakeDelayMs / 1000, hostDelaySeconds: fakeHostDelayMs / 1000,
                                       failing: Set(fakeFail.split(separator: ",").map(String.init)),
                                       crashing: Set(fakeCrash.split(separator: ",").map(String.init)))
        if let fakeLog {
            let log = AppendLog(path: fakeLog)
            runner.onPairComputed = { log.append($0.id) }
        }
        let summary = try runGenerate(options: options, runner: runner)
        if json { print(summary.jsonString()) }
    }
}

struct MergeCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "merge", abstract: "Combine shard files (or output directories) into one dataset file.")

    @Argument(help: "The merged output file.") var output: String
    @Argument(help: "Shard files or generate output directories.") var inputs: [String]
    @Option(help: "Resolve conflicting records: newest.") var prefer: String?
    @Flag(help: "Replace an existing output file.") var force = false
    @Flag(help: "Print a JSON summary on stdout.") var json = false

    func validate() throws {
        if let prefer, prefer != "newest" { throw ValidationError("--prefer accepts only 'newest'") }
    }

    func run() throws {
        let summary = try runMerge(options: MergeOptions(output: output, inputs: inputs, preferNewest: prefer == "newest", force: force))
        if json { print(summary.jsonString()) } else {
            print("\(summary.output): \(summary.records) records (\(summary.failedRecords) failed) from \(summary.inputFiles.count) files")
        }
    }
}

/// Appends lines to a file with O_APPEND writes (atomic per line across processes).
final class AppendLog: Sendable {
    let path: String
    init(path: String) { self.path = path }
    func append(_ line: String) {
        let fd = open(path, O_WRONLY | O_APPEND | O_CREAT, 0o644)
        guard fd >= 0 else { return }
        defer { close(fd) }
        _ = (line + "\n").withCString { write(fd, $0, strlen($0)) }
    }
}
