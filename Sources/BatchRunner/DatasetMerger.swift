import Foundation
import Storage

/// `dataset merge OUT INPUT…`: combines dataset files into one, one record per pair.
///
/// Inputs are dataset files (shard, pending or merged) or output directories of
/// `dataset generate` (then every `shards/*.h5` and every `pending/*/*.h5` in it is used, so an
/// unfinished run's records are not lost). Duplicates are resolved by `DuplicatePolicy`:
/// identical records are kept once, ok beats failed, and two different ok records are an error
/// unless `preferNewest`. The output is written atomically and an existing output is replaced
/// only with `force`.
public struct MergeOptions: Sendable, Equatable {
    public var output: String
    public var inputs: [String]
    /// `--prefer newest`: keep the newer of two conflicting ok records instead of failing.
    public var preferNewest = false
    /// `--force`: replace an existing output file.
    public var force = false

    public init(output: String, inputs: [String], preferNewest: Bool = false, force: Bool = false) {
        self.output = output
        self.inputs = inputs
        self.preferNewest = preferNewest
        self.force = force
    }
}

/// What `dataset merge` did (`--json` prints it).
public struct MergeSummary: Codable, Sendable, Equatable {
    public var output: String
    public var inputFiles: [String]
    public var records: Int
    public var failedRecords: Int
    public var identicalDuplicates: Int
    public var resolvedDuplicates: Int
    /// Number of distinct settings JSON strings among the records (1 for a consistent dataset).
    public var distinctSettings: Int

    public func jsonString() -> String {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
        return String(decoding: try! encoder.encode(self), as: UTF8.self)
    }
}

/// Runs `dataset merge`.
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
    let merger = RecordMerger(readers: readers, policy: options.preferNewest ? .preferNewest : .rejectConflicts)
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
