import Foundation

/// How records are assigned to cross-validation folds (emulator-model.md, "Validation").
public enum SplitKind: String, Sendable, Equatable, CaseIterable {
    /// Pairs shuffled with a seeded generator and dealt round-robin into k folds.
    case randomPairs
    /// One fold per impurity element (all hosts of that impurity held out together).
    case leaveOneImpurityOut
    /// One fold per host element.
    case leaveOneHostOut
}

/// A fold assignment of data-set records, computed deterministically (the same records, kind and
/// seed always give the same folds on every platform) and storable in the data-set file.
public struct DatasetSplit: Sendable, Equatable {
    public let name: String
    public let kind: SplitKind
    public let seed: UInt64
    /// Record keys, sorted.
    public let keys: [String]
    /// folds[i] is the fold of keys[i], 0-based.
    public let folds: [Int]

    public init(name: String, kind: SplitKind, seed: UInt64, keys: [String], folds: [Int]) throws {
        guard keys.count == folds.count else {
            throw EmulatorError.shapeMismatch("split \(name): \(keys.count) keys but \(folds.count) fold labels")
        }
        guard Set(keys).count == keys.count else { throw EmulatorError.invalidInput("split \(name): keys repeat") }
        guard folds.allSatisfy({ $0 >= 0 }) else { throw EmulatorError.invalidInput("split \(name): negative fold label") }
        let order = keys.indices.sorted { keys[$0] < keys[$1] }
        self.name = name
        self.kind = kind
        self.seed = seed
        self.keys = order.map { keys[$0] }
        self.folds = order.map { folds[$0] }
    }

    /// Computes a split of `records`. `foldCount` is used by `.randomPairs` only (capped at the
    /// number of records); the leave-one-out kinds make one fold per element, in alphabetical order.
    public static func make(_ kind: SplitKind, records: [ImpurityRecord], foldCount: Int = 5, seed: UInt64 = 0,
                            name: String? = nil) throws -> DatasetSplit {
        guard !records.isEmpty else { throw EmulatorError.invalidInput("cannot split an empty data set") }
        let keys = records.map(\.key).sorted()
        guard Set(keys).count == keys.count else {
            throw EmulatorError.invalidInput("cannot split: record keys repeat (merge with duplicate detection first)")
        }
        let byKey = Dictionary(uniqueKeysWithValues: records.map { ($0.key, $0) })
        var folds = [Int](repeating: 0, count: keys.count)
        switch kind {
        case .randomPairs:
            guard foldCount >= 2 else { throw EmulatorError.invalidInput("random split needs ≥ 2 folds; got \(foldCount)") }
            let k = min(foldCount, keys.count)
            var order = Array(keys.indices)
            var rng = SplitMix64(seed: seed)
            // Fisher–Yates with an explicit generator: identical on every platform and Swift version.
            if order.count > 1 {
                for i in stride(from: order.count - 1, to: 0, by: -1) {
                    let j = Int(rng.next() % UInt64(i + 1))
                    order.swapAt(i, j)
                }
            }
            for (position, index) in order.enumerated() { folds[index] = position % k }
        case .leaveOneImpurityOut, .leaveOneHostOut:
            let label = { (key: String) -> String in
                let r = byKey[key]!
                return kind == .leaveOneImpurityOut ? r.impurity.symbol : r.host.symbol
            }
            let labels = Array(Set(keys.map(label))).sorted()
            guard labels.count >= 2 else {
                throw EmulatorError.invalidInput("\(kind.rawValue) needs at least two different elements; the data set has only \(labels)")
            }
            let index = Dictionary(uniqueKeysWithValues: labels.enumerated().map { ($1, $0) })
            for (i, key) in keys.enumerated() { folds[i] = index[label(key)]! }
        }
        return try DatasetSplit(name: name ?? kind.rawValue, kind: kind, seed: seed, keys: keys, folds: folds)
    }

    public var foldCount: Int { (folds.max() ?? -1) + 1 }

    /// The fold of a record key.
    public func fold(of key: String) throws -> Int {
        guard let i = keys.firstIndex(of: key) else {
            throw EmulatorError.invalidInput("record \(key) is not in split \(name) (it was added after the split was made; "
                + "recompute the split)")
        }
        return folds[i]
    }
}

/// SplitMix64 (Steele, Lea & Flood, OOPSLA 2014): a small deterministic generator for splits.
public struct SplitMix64: RandomNumberGenerator, Sendable {
    var state: UInt64
    public init(seed: UInt64) { state = seed }
    public mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }
}
