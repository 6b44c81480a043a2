import Foundation
import Testing
@testable import BatchRunner

/// In-process "crashes": a fault injected at a chosen point aborts `runGenerate` without its
/// final consolidation; the rerun must complete the set with one record per pair and lose at most
/// the pairs in flight.
@Suite struct CrashRecoveryTests {
    struct SimulatedCrash: Error {}

    /// Throws at the `n`-th fault point that `matches`.
    final class Trigger: @unchecked Sendable {
        private let lock = NSLock()
        private var seen = 0
        let n: Int
        let matches: @Sendable (FaultPoint) -> Bool
        init(n: Int, matches: @escaping @Sendable (FaultPoint) -> Bool) { self.n = n; self.matches = matches }
        func check(_ point: FaultPoint) throws {
            guard matches(point) else { return }
            lock.lock(); seen += 1; let fire = seen == n; lock.unlock()
            if fire { throw SimulatedCrash() }
        }
    }

    static let points: [(String, @Sendable (FaultPoint) -> Bool)] = [
        ("afterPairComputed", { if case .afterPairComputed = $0 { return true } else { return false } }),
        ("afterPendingWritten", { if case .afterPendingWritten = $0 { return true } else { return false } }),
        ("afterShardReplaced", { $0 == .afterShardReplaced }),
    ]

    @Test(arguments: [0, 1, 2])
    func crashAtFaultPointThenRestart(_ which: Int) throws {
        let (name, matches) = Self.points[which]
        let dir = try ScratchDirectory()
        defer { dir.cleanUp() }
        let pairs = CallCounter(), hosts = CallCounter()
        var options = try makeOptions(dir.path, hosts: "Cu,Al", impurities: "Sc-Ni")   // 16 pairs
        options.consolidateEveryPairs = 3
        // Crash at the 5th occurrence (the 2nd consolidation for afterShardReplaced: the first is at start-up).
        let trigger = Trigger(n: which == 2 ? 2 : 5, matches: matches)
        options.faultInjector = { try trigger.check($0) }
        #expect(throws: SimulatedCrash.self, "\(name)") { _ = try runGenerate(options: options, runner: countingRunner(pairs, hosts)) }
        let computedBeforeCrash = pairs.total
        #expect(computedBeforeCrash < 16, "\(name): crashed too late to test anything")

        options.faultInjector = nil
        let summary = try runGenerate(options: options, runner: countingRunner(pairs, hosts))
        let recs = try records(in: summary.shardFile)
        let all = options.allPairs
        #expect(recs.keys.sorted() == all.map(\.id).sorted(), "\(name)")
        for p in all { #expect(recs[p.id]!.payload.isBitwiseIdentical(to: FakePairJobRunner.expectedPayload(p))) }
        // Lost work: only pairs in flight (≤ workers) are computed twice.
        let twice = pairs.snapshot.filter { $0.value > 1 }
        #expect(twice.count <= options.workers, "\(name): recomputed \(twice)")
        if which == 0 { #expect(twice.count >= 1, "the pair computed but not written must be recomputed") }
        if which != 0 { #expect(twice.isEmpty, "\(name): a durable record was recomputed: \(twice)") }
        #expect(summary.pairsDone + summary.pairsSkipped == 16)
        #expect(hosts.total == 2, "hosts are cached across the crash")
        // Nothing left but the final files.
        #expect(dir.allFiles() == ["hosts/Al-fcc.h5", "hosts/Cu-fcc.h5", "shards/shard-0001-of-0001.h5", "shards/shard-0001-of-0001.lock"])
    }

    @Test func staleTemporariesAndLeftoversAreCleanedOnStart() throws {
        let dir = try ScratchDirectory()
        defer { dir.cleanUp() }
        let options = try makeOptions(dir.path, hosts: "Cu", impurities: "Fe,Co")
        let layout = OutputLayout(directory: dir.path, shard: .all)
        try layout.createDirectories()
        // What a SIGKILL can leave: half-written temporaries, a pending record, an attempts file.
        for path in [layout.shardFile + ".tmp-999-dead", layout.pendingFile(pair("Cu-fcc/Fe")) + ".tmp-999-beef"] {
            try Data("partial".utf8).write(to: URL(fileURLWithPath: path))
        }
        let fe = pair("Cu-fcc/Fe")
        try DatasetFileTests.writeFile(layout.pendingFile(fe), [PairRecord(pair: fe, status: .ok, payload: FakePairJobRunner.expectedPayload(fe),
                                                                          wallSeconds: 1, provenance: testProvenance)], content: .pending)
        try AttemptLedger(layout: layout).setAttempts(fe, 1)
        let pairs = CallCounter(), hosts = CallCounter()
        let summary = try runGenerate(options: options, runner: countingRunner(pairs, hosts))
        #expect(summary.pairsSkipped == 1 && summary.pairsDone == 1 && pairs.snapshot == ["Cu-fcc/Co": 1])
        #expect(try records(in: layout.shardFile).keys.sorted() == ["Cu-fcc/Co", "Cu-fcc/Fe"])
        #expect(dir.allFiles() == ["hosts/Cu-fcc.h5", "shards/shard-0001-of-0001.h5", "shards/shard-0001-of-0001.lock"])
    }

    /// A pair during which the process died `maxAttempts` times is recorded as failed instead of
    /// crashing every restart; one that died fewer times is rerun (first, alone).
    @Test func crashLoopingPairIsRecordedAsFailed() throws {
        let dir = try ScratchDirectory()
        defer { dir.cleanUp() }
        let options = try makeOptions(dir.path, hosts: "Cu", impurities: "Fe,Co,Ni")
        let layout = OutputLayout(directory: dir.path, shard: .all)
        try layout.createDirectories()
        let ledger = AttemptLedger(layout: layout)
        try ledger.setAttempts(pair("Cu-fcc/Fe"), 3)
        try ledger.setAttempts(pair("Cu-fcc/Co"), 1)
        let pairs = CallCounter(), hosts = CallCounter()
        let summary = try runGenerate(options: options, runner: countingRunner(pairs, hosts))
        #expect(summary.pairsDone == 2 && summary.pairsFailed == 1)
        #expect(pairs.snapshot == ["Cu-fcc/Co": 1, "Cu-fcc/Ni": 1])
        let recs = try records(in: layout.shardFile)
        #expect(recs["Cu-fcc/Fe"]?.status == .failed)
        #expect(recs["Cu-fcc/Fe"]?.error?.contains("died 3 times") == true)
        #expect(recs["Cu-fcc/Co"]?.status == .ok)
        #expect(ledger.pairsWithAttempts().isEmpty)
    }
}
