import Foundation

/// Counts how often a pair was started without being finished, in small files
/// `pending/<shard>/<pair>.attempts` written before the pair starts and removed once its record
/// is durable. A count left behind means the process died while the pair was running (killed, or
/// crashed — e.g. a Swift runtime trap in the physics code). Such "suspect" pairs are rerun one at
/// a time before the others, so a pair that crashes the process is isolated; after `maxAttempts`
/// deaths it is recorded as failed instead of crashing every restart.
struct AttemptLedger {
    let layout: OutputLayout

    /// Times `pair` was started and not finished (0 if none).
    func attempts(_ pair: PairKey) -> Int {
        guard let data = FileManager.default.contents(atPath: layout.attemptsFile(pair)),
              let n = Int(String(decoding: data, as: UTF8.self).trimmingCharacters(in: .whitespacesAndNewlines)) else { return 0 }
        return max(0, n)
    }

    /// Durably records that `pair` starts its `count`-th attempt.
    func setAttempts(_ pair: PairKey, _ count: Int) throws {
        try AtomicFile.write(text: "\(count)\n", to: layout.attemptsFile(pair))
    }

    func clear(_ pair: PairKey) throws {
        try AtomicFile.remove(layout.attemptsFile(pair))
    }

    /// Pairs with a leftover attempts file.
    func pairsWithAttempts() -> [PairKey] {
        let names = (try? FileManager.default.contentsOfDirectory(atPath: layout.pendingDirectory)) ?? []
        return names.filter { $0.hasSuffix(".attempts") && !AtomicFile.isTemporary($0) }
            .compactMap { try? PairKey(id: String($0.dropLast(".attempts".count))) }
    }
}
