import Foundation
import Storage

/// Runs `dataset merge` (see `MergeOptions` for the rules).
public func runMerge(options: MergeOptions) throws -> MergeSummary {
    guard !options.inputs.isEmpty else { throw BatchError(.invalidArgument, "dataset merge: no input files given") }
    if FileManager.default.fileExists(atPath: options.output) && !options.force {
        throw BatchError(.outputExists, "\(options.output) exists; pass --force to replace it")
    }
    var files: [String] = []
    for input in options.inputs {
        var isDirectory: ObjCBool = false
        guard FileManager.default.fileExists(atPath: input, isDirectory: &isDirectory) else {
            throw BatchError(.invalidArgument, "dataset merge: no such file or directory: \(input)")
        }
        if isDirectory.boolValue {
            let layout = OutputLayout(directory: input, shard: .all)
            let found = layout.allShardFiles() + layout.allPendingRecordFiles()
            guard !found.isEmpty else {
                throw BatchError(.invalidArgument, "dataset merge: \(input) holds no shards/*.h5 or pending/*/*.h5 files")
            }
            files += found
        } else {
            files.append(input)
        }
    }
    let readers = try files.map { try DatasetFileReader(path: $0) }
    defer { readers.forEach { $0.close() } }
    var merger = RecordMerger(readers: readers, policy: options.preferNewest ? .preferNewest : .rejectConflicts)
    merger.excluded = options.excluded
    let stats: RecordMerger.Statistics
    do {
        stats = try merger.write(to: options.output, header: DatasetFile.Header(content: .merged), overwrite: options.force)
    } catch let e as StorageError where e.kind == .fileExists {
        throw BatchError(.outputExists, "\(options.output) exists; pass --force to replace it")
    } catch let e as StorageError {
        throw BatchError(.outputNotWritable, "cannot write \(options.output): \(e)")
    }
    return MergeSummary(output: options.output, inputFiles: files, records: stats.records, failedRecords: stats.failedRecords,
                        identicalDuplicates: stats.identicalDuplicates, resolvedDuplicates: stats.resolvedDuplicates,
                        distinctSettings: stats.distinctSettings)
}
