import Foundation
import Storage
@testable import BatchRunner

/// A fresh directory under the system temporary directory, removed by `cleanUp()`.
struct ScratchDirectory {
    let path: String
    init() throws {
        path = FileManager.default.temporaryDirectory.appendingPathComponent("batch-tests-\(UUID().uuidString)").path
        try FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
    }
    func file(_ name: String) -> String { path + "/" + name }
    func cleanUp() { try? FileManager.default.removeItem(atPath: path) }

    /// Every file below the directory (relative paths, sorted).
    func allFiles() -> [String] {
        guard let e = FileManager.default.enumerator(atPath: path) else { return [] }
        return e.compactMap { $0 as? String }.filter {
            var isDirectory: ObjCBool = false
            return FileManager.default.fileExists(atPath: path + "/" + $0, isDirectory: &isDirectory) && !isDirectory.boolValue
        }.sorted()
    }
}

/// Thread-safe multiset counter of computed pairs / hosts.
final class CallCounter: @unchecked Sendable {
    private let lock = NSLock()
    private var counts: [String: Int] = [:]
    func add(_ key: String) { lock.lock(); counts[key, default: 0] += 1; lock.unlock() }
    var snapshot: [String: Int] { lock.lock(); defer { lock.unlock() }; return counts }
    var total: Int { snapshot.values.reduce(0, +) }
}

/// Collects progress text.
final class TextSink: @unchecked Sendable {
    private let lock = NSLock()
    private var parts: [String] = []
    func append(_ s: String) { lock.lock(); parts.append(s); lock.unlock() }
    var text: String { lock.lock(); defer { lock.unlock() }; return parts.joined() }
}

let testProvenance = Provenance(codeVersion: "test-1.0", settingsJSON: #"{"lmax":3}"#)

/// Options for a small run (silent progress unless a sink is given).
func makeOptions(_ directory: String, hosts: String = "Cu,Al", impurities: String = "Ti-Co", shard: String? = nil,
                 workers: Int = 2, provenance: Provenance = testProvenance) throws -> GenerateOptions {
    var o = try GenerateOptions(hostList: hosts, impurityList: impurities, outputDirectory: directory, shard: shard,
                                provenance: provenance)
    o.workers = workers
    o.progress = .silent
    return o
}

/// A fake runner that counts its pair and host computations.
func countingRunner(_ pairs: CallCounter, _ hosts: CallCounter, failing: Set<String> = [],
                    failingHosts: Set<String> = []) -> FakePairJobRunner {
    var r = FakePairJobRunner(failing: failing, failingHosts: failingHosts)
    r.onPairComputed = { pairs.add($0.id) }
    r.onHostComputed = { hosts.add($0.id) }
    return r
}

/// All records of a dataset file, by pair id.
func records(in path: String) throws -> [String: PairRecord] {
    let reader = try DatasetFileReader(path: path)
    defer { reader.close() }
    return Dictionary(uniqueKeysWithValues: try reader.allRecords().map { ($0.pair.id, $0) })
}

/// The BatchError thrown by `body` (nil if none or another error).
func batchError(_ body: () throws -> Void) -> BatchError? {
    do { try body() } catch let e as BatchError { return e } catch { return nil }
    return nil
}

func pair(_ id: String) -> PairKey { try! PairKey(id: id) }
