import Foundation

/// The single writer of one shard: stores each finished record as its own pending file
/// (atomically, durable before the call returns) and periodically consolidates the pending files
/// into the shard file. All writes go through one lock, so at most one HDF5 file is written at a
/// time and no two threads touch the same file.
///
/// Consolidation = merge (shard file, pending files in name order; the later record wins) into a
/// new shard file, which atomically replaces the old one; only then are the merged pending files
/// removed. A SIGKILL before the replacement leaves old shard + pending (nothing lost); after it,
/// new shard + some pending duplicates of records already in it (merged again next time, the
/// same records).
final class ShardWriter: @unchecked Sendable {
    private let lock = NSLock()
    private let layout: OutputLayout
    private let provenance: Provenance
    private let everyPairs: Int
    private let everySeconds: Double
    private let fault: (@Sendable (FaultPoint) throws -> Void)?
    private var sinceConsolidation = 0
    private var lastConsolidation = Date()

    init(layout: OutputLayout, options: GenerateOptions) {
        self.layout = layout
        provenance = options.provenance
        everyPairs = options.consolidateEveryPairs
        everySeconds = options.consolidateEverySeconds
        fault = options.faultInjector
    }

    /// Makes `record` durable as `pending/<shard>/<pair>.h5`; consolidates when due.
    func write(_ record: PairRecord) throws {
        lock.lock()
        defer { lock.unlock() }
        let header = DatasetFile.Header(content: .pending, shard: layout.shard, provenance: provenance)
        try DatasetFile.write(to: layout.pendingFile(record.pair), header: header, overwrite: true) { append in
            try append(record)
        }
        sinceConsolidation += 1
        if sinceConsolidation >= everyPairs || Date().timeIntervalSince(lastConsolidation) >= everySeconds {
            try consolidateLocked()
        }
    }

    /// Merges all pending records into the shard file (creating it if missing).
    func consolidate() throws {
        lock.lock()
        defer { lock.unlock() }
        try consolidateLocked()
    }

    /// Throws unless `reader` holds records of this shard made with the run's settings.
    func checkOrigin(_ reader: DatasetFileReader) throws {
        guard let p = reader.header.provenance, p.settingsJSON == provenance.settingsJSON else {
            throw BatchError(.settingsMismatch,
                             "\(reader.path) was made with other settings (settings JSON differs); use a new output directory, or the settings of that run")
        }
        guard reader.header.shard == layout.shard else {
            throw BatchError(.corruptFile, "\(reader.path) belongs to shard \(reader.header.shard?.description ?? "none"), not \(layout.shard)")
        }
    }

    private func consolidateLocked() throws {
        sinceConsolidation = 0
        lastConsolidation = Date()
        let pending = layout.pendingRecordFiles()
        let shardExists = FileManager.default.fileExists(atPath: layout.shardFile)
        if pending.isEmpty && shardExists { return }
        var readers: [DatasetFileReader] = []
        defer { readers.forEach { $0.close() } }
        if shardExists { readers.append(try DatasetFileReader(path: layout.shardFile)) }
        for path in pending { readers.append(try DatasetFileReader(path: path)) }
        for reader in readers { try checkOrigin(reader) }
        let header = DatasetFile.Header(content: .shard, shard: layout.shard, provenance: provenance)
        _ = try RecordMerger(readers: readers, policy: .preferLater).write(to: layout.shardFile, header: header, overwrite: true)
        try fault?(.afterShardReplaced)
        for path in pending { try AtomicFile.remove(path) }
        if !pending.isEmpty { try AtomicFile.syncDirectory(of: pending[0]) }
    }
}
