import Testing
@testable import BatchRunner

@Suite struct ShardTests {
    @Test func parsesOneBasedSpecs() throws {
        let s = try Shard(parsing: "3/8")
        #expect(s.index == 3 && s.count == 8)
        #expect(s.fileStem == "shard-0003-of-0008")
        #expect(Shard.all == (try Shard(parsing: "1/1")))
    }

    @Test(arguments: ["3/2", "0/2", "-1/4", "1/0", "a/b", "2", "1/2/3", ""])
    func rejectsBadSpecs(_ spec: String) {
        let e = batchError { _ = try Shard(parsing: spec) }
        #expect(e?.kind == .invalidArgument, "spec \(spec)")
    }

    @Test func badSpecMessageExplainsTheRange() {
        #expect(batchError { _ = try Shard(parsing: "3/2") }?.message == "shard 3/2: the index must be in 1…2 (shards are numbered from 1)")
    }

    /// FNV-1a 64 test vectors (Fowler/Noll/Vo reference: "" → offset basis, "a" → 0xaf63dc4c8601ec8c).
    @Test func hashIsStandardFNV1a() {
        #expect(Shard.fnv1a64("") == 0xcbf2_9ce4_8422_2325)
        #expect(Shard.fnv1a64("a") == 0xaf63_dc4c_8601_ec8c)
        #expect(Shard.fnv1a64("foobar") == 0x85944171f73967e8)
    }

    @Test func everyPairIsInExactlyOneShard() throws {
        let pairs = PairKey.allPairs(hosts: try HostKey.parseList("Al,Fe,Ni,Cu,Mo,Ag,Pt,Au"), impurities: try PairKey.parseImpurities("Sc-Zn,Y-Cd"))
        #expect(pairs.count == 8 * 20)
        for n in 1...9 {
            let shards = try (1...n).map { try Shard(index: $0, count: n).select(pairs) }
            #expect(shards.reduce(0) { $0 + $1.count } == pairs.count, "N = \(n)")
            #expect(Set(shards.flatMap { $0 }) == Set(pairs), "N = \(n)")
            // Load balance as for a random assignment: n/N ± 3√(n/N) (fixed lists, deterministic).
            let mean = Double(pairs.count) / Double(n)
            for shard in shards { #expect(abs(Double(shard.count) - mean) <= 3 * mean.squareRoot(), "N = \(n): sizes \(shards.map(\.count))") }
            // Each shard keeps list order.
            for shard in shards { #expect(shard == shard.sorted()) }
        }
    }

    @Test func assignmentDoesNotDependOnTheRestOfTheList() throws {
        let small = PairKey.allPairs(hosts: try HostKey.parseList("Cu"), impurities: try PairKey.parseImpurities("Fe,Co"))
        let large = PairKey.allPairs(hosts: try HostKey.parseList("Al,Cu,Ag"), impurities: try PairKey.parseImpurities("Sc-Zn"))
        for p in small {
            let i = Shard.index(of: p, count: 5)
            #expect(try Shard(index: i, count: 5).select(large).contains(p))
        }
    }
}
