import Foundation
import Storage

/// Host artifacts of one run: each host is prepared at most once (concurrent requests for the
/// same host wait for the first), and cached on disk in `hosts/<id>.h5`, which later runs and
/// the other shards of a Slurm array reuse. The file is created with `link(2)` semantics: if
/// another process wrote it first, its file is used. A host that fails is remembered for the run
/// (its pairs are recorded as failed) and retried by the next run.
final class HostCache: @unchecked Sendable {
    private enum Slot {
        case computing
        case ready(Result<HostArtifact, HostFailure>)
    }

    /// Why a host is unavailable (the text goes into its pairs' failure records).
    struct HostFailure: Error, CustomStringConvertible {
        let description: String
    }

    private let layout: OutputLayout
    private let runner: any PairJobRunner
    private let provenance: Provenance
    private let condition = NSCondition()
    private var slots: [HostKey: Slot] = [:]
    private(set) var computed = 0
    private(set) var loaded = 0

    init(layout: OutputLayout, runner: any PairJobRunner, provenance: Provenance) {
        self.layout = layout
        self.runner = runner
        self.provenance = provenance
    }

    /// Checks the cached files of `hosts` before any work starts: a file that cannot be read or
    /// was made with other settings is a batch error naming the file.
    func validateCachedFiles(for hosts: [HostKey]) throws {
        AtomicFile.removeStaleTemporaries(in: layout.hostsDirectory, olderThan: 600)
        for host in hosts {
            let path = layout.hostFile(host)
            guard FileManager.default.fileExists(atPath: path) else { continue }
            let artifact = try DatasetFile.readHost(at: path)
            guard artifact.host == host else {
                throw BatchError(.corruptFile, "\(path): holds host \(artifact.host.id), expected \(host.id); delete it to recompute")
            }
            guard artifact.provenance.settingsJSON == provenance.settingsJSON else {
                throw BatchError(.settingsMismatch,
                                 "\(path) was computed with other settings (settings JSON differs); use a new output directory, or delete the host file to recompute it")
            }
        }
    }

    /// The artifact of `host`, preparing it if needed.
    func artifact(for host: HostKey) -> Result<HostArtifact, HostFailure> {
        condition.lock()
        while true {
            switch slots[host] {
            case .ready(let result):
                condition.unlock()
                return result
            case .computing:
                condition.wait()
            case nil:
                slots[host] = .computing
                condition.unlock()
                let result = obtain(host)
                condition.lock()
                slots[host] = .ready(result)
                condition.broadcast()
                condition.unlock()
                return result
            }
        }
    }

    private func obtain(_ host: HostKey) -> Result<HostArtifact, HostFailure> {
        let path = layout.hostFile(host)
        if FileManager.default.fileExists(atPath: path) {
            return load(path)
        }
        let payload: RecordPayload
        do {
            payload = try runner.prepareHost(host)
            try payload.validate()
        } catch {
            return .failure(HostFailure(description: "host \(host.id) failed: \(error)"))
        }
        let artifact = HostArtifact(host: host, payload: payload, provenance: provenance)
        do {
            try DatasetFile.writeHost(artifact, to: path, overwrite: false)
        } catch let e as StorageError where e.kind == .fileExists {
            return load(path)      // another shard process was faster; use its file
        } catch {
            return .failure(HostFailure(description: "host \(host.id): cannot write \(path): \(error)"))
        }
        count { computed += 1 }
        return .success(artifact)
    }

    private func load(_ path: String) -> Result<HostArtifact, HostFailure> {
        do {
            let artifact = try DatasetFile.readHost(at: path)
            guard artifact.provenance.settingsJSON == provenance.settingsJSON else {
                return .failure(HostFailure(description: "\(path) was computed with other settings"))
            }
            count { loaded += 1 }
            return .success(artifact)
        } catch {
            return .failure(HostFailure(description: "\(error)"))
        }
    }

    private func count(_ body: () -> Void) {
        condition.lock()
        body()
        condition.unlock()
    }
}
