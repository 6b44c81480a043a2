import Foundation

/// `dataset generate`: computes the pairs of one shard with a worker pool, writing each record
/// durably as soon as it is finished, and skipping pairs recorded by earlier runs.
///
/// Guarantees (docs/dataset.md, "Resumability"): a SIGKILL at any moment loses at most the
/// pairs in flight (one per worker), never corrupts or loses a finished record, and never leaves
/// a partial file under a final name; rerunning the same command completes the shard with one
/// record per pair. A pair whose job throws is recorded as failed and the batch goes on.
public struct DatasetGenerator {
    public let options: GenerateOptions
    public let runner: any PairJobRunner

    public init(options: GenerateOptions, runner: any PairJobRunner) {
        self.options = options
        self.runner = runner
    }

    public func run() throws -> GenerateSummary {
        let start = Date()
        try options.validate()
        let layout = OutputLayout(directory: options.outputDirectory, shard: options.shard)
        try layout.createDirectories()
        let lock = try ShardLock(path: layout.lockFile, shard: options.shard)
        defer { lock.release() }

        // Leftovers of a killed run: temporaries are garbage, pending records are merged now.
        AtomicFile.removeStaleTemporaries(in: layout.pendingDirectory)
        AtomicFile.removeStaleTemporaries(in: layout.shardsDirectory, prefix: options.shard.fileStem)
        let writer = ShardWriter(layout: layout, options: options)
        try writer.consolidate()

        let reader = try DatasetFileReader(path: layout.shardFile)
        defer { reader.close() }
        try writer.checkOrigin(reader)
        let recorded = Dictionary(reader.entries.map { ($0.pair, $0.status) }, uniquingKeysWith: { a, _ in a })
        let all = options.allPairs
        let mine = options.shard.select(all)
        let todo = mine.filter { recorded[$0] == nil || (options.retryFailed && recorded[$0] == .failed) }

        let ledger = AttemptLedger(layout: layout)
        let todoSet = Set(todo)
        for pair in ledger.pairsWithAttempts() where !todoSet.contains(pair) { try ledger.clear(pair) }
        let suspects = todo.filter { ledger.attempts($0) > 0 }
        let suspectSet = Set(suspects)
        let rest = todo.filter { !suspectSet.contains($0) }

        let hosts = HostCache(layout: layout, runner: runner, provenance: options.provenance)
        try hosts.validateCachedFiles(for: Set(todo.map(\.host)).sorted())

        let progress = ProgressReporter(total: todo.count, mode: options.progress, sink: options.progressSink, start: start)
        progress.message("dataset generate: shard \(options.shard), \(mine.count) of \(all.count) pairs, "
                         + "\(mine.count - todo.count) already recorded, \(todo.count) to compute on \(options.workers) worker(s)"
                         + (suspects.isEmpty ? "" : "; \(suspects.count) interrupted before, rerun one at a time first"))
        let otherSplits = layout.allShardFiles().filter { !$0.contains("-of-\(options.shard.fileStem.suffix(4)).h5") }
        if !otherSplits.isEmpty {
            progress.message("note: \(layout.shardsDirectory) also holds shard files of another split (\(otherSplits.count)); their pairs are not skipped by this run")
        }

        let job = PairJob(options: options, runner: runner, hosts: hosts, ledger: ledger, writer: writer, progress: progress)
        try WorkerPool.run(suspects, workers: 1) { try job.process($0) }
        try WorkerPool.run(rest, workers: options.workers) { try job.process($0) }
        try writer.consolidate()
        progress.finish()
        // Tidy up: the shard's pending directory is empty now (rmdir fails harmlessly if not).
        // The shared pending/ root stays: other shards may be creating their directories in it.
        rmdir(layout.pendingDirectory)

        let wall = Date().timeIntervalSince(start)
        return GenerateSummary(
            shard: options.shard.description, pairsTotal: all.count, pairsInShard: mine.count,
            pairsSkipped: mine.count - todo.count, pairsDone: progress.done, pairsFailed: progress.failed,
            hostsComputed: hosts.computed, hostsLoaded: hosts.loaded, workers: options.workers, wallSeconds: wall,
            pairsPerCoreHour: progress.done > 0 && wall > 0 ? Double(progress.done) / (wall * Double(options.workers) / 3600) : 0,
            shardFile: layout.shardFile)
    }
}

/// Runs `dataset generate` (see `DatasetGenerator`).
public func runGenerate(options: GenerateOptions, runner: any PairJobRunner) throws -> GenerateSummary {
    try DatasetGenerator(options: options, runner: runner).run()
}

/// The work on one pair: attempt bookkeeping, host, job, record, progress.
private struct PairJob: Sendable {
    let options: GenerateOptions
    let runner: any PairJobRunner
    let hosts: HostCache
    let ledger: AttemptLedger
    let writer: ShardWriter
    let progress: ProgressReporter

    func process(_ pair: PairKey) throws {
        let attempts = ledger.attempts(pair)
        let record: PairRecord
        if attempts >= options.maxAttempts {
            record = failure(pair, "the process died \(attempts) times while computing this pair (crash or kill); "
                             + "not tried again (use --retry-failed to try again)", seconds: 0)
        } else {
            try ledger.setAttempts(pair, attempts + 1)
            let t0 = Date()
            switch hosts.artifact(for: pair.host) {
            case .failure(let e):
                record = failure(pair, e.description, seconds: 0)
            case .success(let host):
                do {
                    let payload = try runner.run(pair: pair, host: host)
                    try payload.validate()
                    record = PairRecord(pair: pair, status: .ok, payload: payload, wallSeconds: Date().timeIntervalSince(t0),
                                        provenance: options.provenance)
                } catch {
                    record = failure(pair, "\(error)", seconds: Date().timeIntervalSince(t0))
                }
            }
        }
        try options.faultInjector?(.afterPairComputed(pair))
        try writer.write(record)
        try options.faultInjector?(.afterPendingWritten(pair))
        try ledger.clear(pair)
        progress.finished(record)
    }

    private func failure(_ pair: PairKey, _ message: String, seconds: Double) -> PairRecord {
        PairRecord(pair: pair, status: .failed, error: message.replacingOccurrences(of: "\0", with: "\\0"),
                   wallSeconds: seconds, provenance: options.provenance)
    }
}
