import Foundation

/// How to resolve two records of the same pair that are not identical.
public enum DuplicatePolicy: String, Sendable, Equatable {
    /// Identical records are kept once; an ok record supersedes a failed one; of two failed
    /// records the newer is kept; two different ok records are an error.
    case rejectConflicts
    /// As `rejectConflicts`, but of two different ok records the newer (`finishedAtUnix`; on a
    /// tie the later source) is kept.
    case preferNewest
    /// The record from the later source always wins (consolidation of a shard: pending records
    /// are newer than the shard file's, e.g. a retried failure).
    case preferLater
}

/// Combines the records of several dataset files, one record per pair, streaming: only the
/// records of duplicated pairs are held in memory for comparison. Used by `dataset merge` and by
/// the consolidation of pending records into a shard file.
struct RecordMerger {
    /// Counts of what the merge did.
    struct Statistics: Sendable, Equatable {
        var records = 0
        var failedRecords = 0
        /// Duplicates whose result was identical (kept once).
        var identicalDuplicates = 0
        /// Duplicates resolved by the rules (ok over failed, newer failure, policy).
        var resolvedDuplicates = 0
        /// Distinct settings JSON strings among the kept records.
        var distinctSettings = 0
    }

    let readers: [DatasetFileReader]
    let policy: DuplicatePolicy
    /// Pairs that are not written.
    var excluded: Set<PairKey> = []

    /// For every pair, the index of the reader whose record is kept.
    func plan() throws -> (winners: [PairKey: Int], statistics: Statistics) {
        var sources: [PairKey: [Int]] = [:]
        for (i, reader) in readers.enumerated() {
            for entry in reader.entries where !excluded.contains(entry.pair) { sources[entry.pair, default: []].append(i) }
        }
        var stats = Statistics()
        var winners: [PairKey: Int] = [:]
        for (pair, list) in sources {
            if list.count == 1 || policy == .preferLater {
                winners[pair] = list.last!
                if list.count > 1 { stats.resolvedDuplicates += list.count - 1 }
                continue
            }
            var best = list[0]
            var bestRecord = try readers[best].record(pair)
            for candidate in list.dropFirst() {
                let record = try readers[candidate].record(pair)
                if record.hasSameResult(as: bestRecord) {
                    stats.identicalDuplicates += 1
                    continue
                }
                stats.resolvedDuplicates += 1
                let newer = record.finishedAtUnix >= bestRecord.finishedAtUnix
                let replace: Bool
                switch (bestRecord.status, record.status) {
                case (.failed, .ok): replace = true
                case (.ok, .failed): replace = false
                case (.failed, .failed): replace = newer
                case (.ok, .ok):
                    guard policy == .preferNewest else {
                        throw BatchError(.conflictingRecords,
                                         "pair \(pair.id): conflicting ok records in \(readers[best].path) and \(readers[candidate].path) (payloads differ); pass --prefer newest to keep the newer one")
                    }
                    replace = newer
                }
                if replace { best = candidate; bestRecord = record }
            }
            winners[pair] = best
        }
        return (winners, stats)
    }

    /// Writes the merged records to `path` (atomically) and returns statistics. Source by source,
    /// closing each after use, so only one input file is open at a time (HDF5 lists groups by
    /// name, so the order of writing does not show in the file).
    func write(to path: String, header: DatasetFile.Header, overwrite: Bool) throws -> Statistics {
        var (winners, stats) = try plan()
        readers.forEach { $0.close() }
        var bySource: [Int: [PairKey]] = [:]
        for (pair, source) in winners { bySource[source, default: []].append(pair) }
        var settings = Set<String>()
        try DatasetFile.write(to: path, header: header, overwrite: overwrite) { append in
            for (source, reader) in readers.enumerated() {
                for pair in (bySource[source] ?? []).sorted() {
                    let record = try reader.record(pair)
                    try append(record)
                    stats.records += 1
                    if record.status == .failed { stats.failedRecords += 1 }
                    settings.insert(record.provenance.settingsJSON)
                }
                reader.close()
            }
        }
        stats.distinctSettings = settings.count
        return stats
    }
}
