/// One of `count` disjoint parts of the pair list, `index` in 1…count ("i/N" on the command line,
/// 1-based like `SLURM_ARRAY_TASK_ID` with `--array=1-N`).
///
/// Assignment: a pair belongs to shard `1 + h(id) mod N`, where h is the 64-bit FNV-1a hash of
/// the pair's UTF-8 id ("Cu-fcc/Fe"). Every pair is in exactly one shard, and its shard depends
/// only on the pair and N — not on which other hosts and impurities are listed — so extending the
/// lists and rerunning with the same N recomputes nothing already done. The price is a
/// statistical imbalance: a shard gets n/N ± √(n/N) pairs instead of exactly n/N.
public struct Shard: Sendable, Hashable, CustomStringConvertible {
    public let index: Int
    public let count: Int

    /// The whole list in one shard (1/1).
    public static let all = Shard(uncheckedIndex: 1, count: 1)

    public init(index: Int, count: Int) throws {
        guard count >= 1 else { throw BatchError(.invalidArgument, "shard count \(count) must be at least 1 (\"i/N\" with N ≥ 1)") }
        guard (1...count).contains(index) else {
            throw BatchError(.invalidArgument, "shard \(index)/\(count): the index must be in 1…\(count) (shards are numbered from 1)")
        }
        self.init(uncheckedIndex: index, count: count)
    }

    private init(uncheckedIndex index: Int, count: Int) {
        self.index = index
        self.count = count
    }

    /// Parses "i/N", e.g. "3/8".
    public init(parsing spec: String) throws {
        let parts = spec.trimmingCharacters(in: .whitespaces).split(separator: "/", omittingEmptySubsequences: false)
        guard parts.count == 2, let i = Int(parts[0]), let n = Int(parts[1]) else {
            throw BatchError(.invalidArgument, "malformed shard '\(spec)': expected i/N with integers 1 ≤ i ≤ N, e.g. 3/8")
        }
        try self.init(index: i, count: n)
    }

    public var description: String { "\(index)/\(count)" }

    /// File-name stem "shard-0003-of-0008".
    public var fileStem: String {
        func pad(_ v: Int) -> String { let s = String(v); return String(repeating: "0", count: max(0, 4 - s.count)) + s }
        return "shard-\(pad(index))-of-\(pad(count))"
    }

    /// The shard (1…N) of a pair among `count` shards.
    public static func index(of pair: PairKey, count: Int) -> Int {
        precondition(count >= 1)
        return 1 + Int(fnv1a64(pair.id) % UInt64(count))
    }

    public func contains(_ pair: PairKey) -> Bool { Shard.index(of: pair, count: count) == index }

    /// The pairs of this shard, in list order.
    public func select(_ pairs: [PairKey]) -> [PairKey] { pairs.filter(contains) }

    /// 64-bit FNV-1a (Fowler–Noll–Vo) of the UTF-8 bytes: offset basis 0xcbf29ce484222325,
    /// prime 0x100000001b3. Stable across platforms and Swift versions (unlike `Hasher`).
    static func fnv1a64(_ text: String) -> UInt64 {
        var h: UInt64 = 0xcbf2_9ce4_8422_2325
        for byte in text.utf8 { h = (h ^ UInt64(byte)) &* 0x0000_0100_0000_01b3 }
        return h
    }
}
