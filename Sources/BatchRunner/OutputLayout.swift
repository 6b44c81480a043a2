import Foundation

/// Paths inside the output directory of `dataset generate` (docs/dataset.md):
///
///     <out>/hosts/Cu-fcc.h5                          host artifacts, shared by all shards
///     <out>/shards/shard-0002-of-0008.h5             consolidated records of shard 2/8
///     <out>/shards/shard-0002-of-0008.lock           lock file of the running process
///     <out>/pending/shard-0002-of-0008/Cu-fcc__Fe.h5       finished, not yet consolidated
///     <out>/pending/shard-0002-of-0008/Cu-fcc__Fe.attempts started, not finished (crash count)
public struct OutputLayout: Sendable, Equatable {
    public let directory: String
    public let shard: Shard

    public init(directory: String, shard: Shard) {
        self.directory = directory
        self.shard = shard
    }

    public var hostsDirectory: String { "\(directory)/hosts" }
    public var shardsDirectory: String { "\(directory)/shards" }
    public var pendingDirectory: String { "\(directory)/pending/\(shard.fileStem)" }
    public var shardFile: String { "\(shardsDirectory)/\(shard.fileStem).h5" }
    public var lockFile: String { "\(shardsDirectory)/\(shard.fileStem).lock" }

    public func hostFile(_ host: HostKey) -> String { "\(hostsDirectory)/\(host.id).h5" }
    public func pendingFile(_ pair: PairKey) -> String { "\(pendingDirectory)/\(pair.groupName).h5" }
    public func attemptsFile(_ pair: PairKey) -> String { "\(pendingDirectory)/\(pair.groupName).attempts" }

    /// Complete pending record files (no temporaries), sorted by name.
    public func pendingRecordFiles() -> [String] {
        files(in: pendingDirectory, suffix: ".h5")
    }

    /// Creates the directories; an unwritable location is a clear error.
    func createDirectories() throws {
        for d in [directory, hostsDirectory, shardsDirectory, pendingDirectory] {
            do {
                try FileManager.default.createDirectory(atPath: d, withIntermediateDirectories: true)
            } catch {
                throw BatchError(.outputNotWritable, "cannot create output directory \(d): \(error.localizedDescription)")
            }
            guard access(d, W_OK | X_OK) == 0 else {
                throw BatchError(.outputNotWritable, "output directory \(d) is not writable (check permissions or choose another -o)")
            }
        }
    }

    /// Shard files of every split found in `shards/` (for merging a whole output directory).
    public func allShardFiles() -> [String] { files(in: shardsDirectory, suffix: ".h5") }

    /// Pending record files of every shard (for merging a directory whose runs did not finish).
    public func allPendingRecordFiles() -> [String] {
        let root = "\(directory)/pending"
        let subdirectories = ((try? FileManager.default.contentsOfDirectory(atPath: root)) ?? []).sorted()
        return subdirectories.flatMap { files(in: "\(root)/\($0)", suffix: ".h5") }
    }

    private func files(in directory: String, suffix: String) -> [String] {
        let names = (try? FileManager.default.contentsOfDirectory(atPath: directory)) ?? []
        return names.filter { $0.hasSuffix(suffix) && !AtomicFile.isTemporary($0) }.sorted().map { "\(directory)/\($0)" }
    }
}
