import Foundation
import Testing
@testable import BatchRunner

@Suite struct GenerateTests {
    /// Every pair once, with its own deterministic payload; each host converged once.
    @Test func fullRunRecordsEveryPair() throws {
        let dir = try ScratchDirectory()
        defer { dir.cleanUp() }
        let pairs = CallCounter(), hosts = CallCounter()
        let options = try makeOptions(dir.path)
        let summary = try runGenerate(options: options, runner: countingRunner(pairs, hosts))
        let expected = options.allPairs
        #expect(expected.count == 12)
        #expect(summary.pairsDone == 12 && summary.pairsFailed == 0 && summary.pairsSkipped == 0)
        #expect(summary.hostsComputed == 2 && summary.hostsLoaded == 0)
        #expect(hosts.snapshot == ["Al-fcc": 1, "Cu-fcc": 1])
        #expect(pairs.total == 12 && pairs.snapshot.values.allSatisfy { $0 == 1 })
        let recs = try records(in: summary.shardFile)
        #expect(recs.keys.sorted() == expected.map(\.id).sorted())
        for p in expected {
            let r = try #require(recs[p.id])
            #expect(r.status == .ok)
            #expect(r.payload.isBitwiseIdentical(to: FakePairJobRunner.expectedPayload(p)), "\(p.id)")
            #expect(r.provenance == testProvenance)
        }
        // Output directory: shard file, host files, lock; no pending or temporary files.
        #expect(dir.allFiles() == ["hosts/Al-fcc.h5", "hosts/Cu-fcc.h5", "shards/shard-0001-of-0001.h5", "shards/shard-0001-of-0001.lock"])
        #expect(summary.pairsPerCoreHour > 0 && summary.workers == 2)
    }

    @Test func failuresAreRecordedAndTheBatchGoesOn() throws {
        let dir = try ScratchDirectory()
        defer { dir.cleanUp() }
        let pairs = CallCounter(), hosts = CallCounter()
        let runner = countingRunner(pairs, hosts, failing: ["Cu-fcc/Fe"], failingHosts: ["Al-fcc"])
        let summary = try runGenerate(options: try makeOptions(dir.path), runner: runner)
        #expect(summary.pairsDone == 5 && summary.pairsFailed == 7)
        let recs = try records(in: summary.shardFile)
        #expect(recs.count == 12)
        #expect(recs["Cu-fcc/Fe"]?.status == .failed)
        #expect(recs["Cu-fcc/Fe"]?.error == "injected failure for Cu-fcc/Fe")
        #expect(recs["Cu-fcc/Co"]?.status == .ok)
        for imp in ["Ti", "V", "Cr", "Mn", "Fe", "Co"] {
            #expect(recs["Al-fcc/\(imp)"]?.error?.hasPrefix("host Al-fcc failed: injected failure") == true)
        }
        #expect(!FileManager.default.fileExists(atPath: dir.file("hosts/Al-fcc.h5")))   // failed hosts are not cached

        // Rerun: failures count as done …
        let again = try runGenerate(options: try makeOptions(dir.path), runner: countingRunner(pairs, hosts))
        #expect(again.pairsSkipped == 12 && again.pairsDone == 0)
        // … unless --retry-failed, which recomputes exactly the failed ones.
        var retry = try makeOptions(dir.path)
        retry.retryFailed = true
        let before = pairs.snapshot
        let retried = try runGenerate(options: retry, runner: countingRunner(pairs, hosts))
        #expect(retried.pairsDone == 7 && retried.pairsSkipped == 5)
        let recomputed = pairs.snapshot.filter { $0.value != before[$0.key] }.keys.sorted()
        #expect(recomputed == (["Al-fcc/Co", "Al-fcc/Cr", "Al-fcc/Fe", "Al-fcc/Mn", "Al-fcc/Ti", "Al-fcc/V", "Cu-fcc/Fe"]))
        let final = try records(in: retried.shardFile)
        #expect(final.count == 12 && final.values.allSatisfy { $0.status == .ok })
    }

    @Test func rerunSkipsDonePairsAndReusesCachedHosts() throws {
        let dir = try ScratchDirectory()
        defer { dir.cleanUp() }
        let pairs = CallCounter(), hosts = CallCounter()
        _ = try runGenerate(options: try makeOptions(dir.path, impurities: "Ti-V"), runner: countingRunner(pairs, hosts))
        #expect(pairs.total == 4 && hosts.total == 2)
        // Extend the impurity list: only the new pairs run, the hosts come from hosts/.
        let summary = try runGenerate(options: try makeOptions(dir.path, impurities: "Ti-Cr"), runner: countingRunner(pairs, hosts))
        #expect(summary.pairsSkipped == 4 && summary.pairsDone == 2)
        #expect(summary.hostsComputed == 0 && summary.hostsLoaded == 2 && hosts.total == 2)
        #expect(pairs.snapshot["Cu-fcc/Cr"] == 1 && pairs.snapshot["Cu-fcc/Ti"] == 1)
        let recs = try records(in: summary.shardFile)
        #expect(recs.count == 6)
        #expect(recs["Al-fcc/Cr"]!.payload.isBitwiseIdentical(to: FakePairJobRunner.expectedPayload(pair("Al-fcc/Cr"))))
    }

    @Test func shardsPartitionTheWorkAndMergeToTheFullSet() throws {
        let dir = try ScratchDirectory()
        defer { dir.cleanUp() }
        let pairs = CallCounter(), hosts = CallCounter()
        var files: [String] = []
        for i in 1...3 {
            let s = try runGenerate(options: try makeOptions(dir.path, hosts: "Cu,Al,Fe", shard: "\(i)/3"), runner: countingRunner(pairs, hosts))
            let ids = try records(in: s.shardFile).keys
            #expect(ids.allSatisfy { Shard.index(of: pair($0), count: 3) == i })
            #expect(ids.count == s.pairsInShard && s.pairsTotal == 18)
            files.append(s.shardFile)
        }
        #expect(hosts.total == 3)          // the shards share hosts/
        #expect(pairs.total == 18)
        let merged = try runMerge(options: MergeOptions(output: dir.file("all.h5"), inputs: files))
        #expect(merged.records == 18 && merged.identicalDuplicates == 0)
        // Merging the directory gives the same, and a second merge of the same shards finds identical duplicates.
        let again = try runMerge(options: MergeOptions(output: dir.file("twice.h5"), inputs: [dir.path, dir.file("all.h5")]))
        #expect(again.records == 18 && again.identicalDuplicates == 18)
    }

    @Test func settingsOfAnExistingShardOrHostMustMatch() throws {
        let dir = try ScratchDirectory()
        defer { dir.cleanUp() }
        let pairs = CallCounter(), hosts = CallCounter()
        _ = try runGenerate(options: try makeOptions(dir.path, impurities: "Ti"), runner: countingRunner(pairs, hosts))
        let other = Provenance(codeVersion: "test-1.0", settingsJSON: #"{"lmax":4}"#)
        let e = batchError { _ = try runGenerate(options: try makeOptions(dir.path, impurities: "Ti-V", provenance: other), runner: countingRunner(pairs, hosts)) }
        #expect(e?.kind == .settingsMismatch)
        #expect(e?.message.contains("shard-0001-of-0001.h5") == true)
        // A new shard split in the same directory still meets the cached hosts of the old settings.
        let h = batchError { _ = try runGenerate(options: try makeOptions(dir.path, impurities: "Ti-V", shard: "1/1", provenance: other).withShard("1/2"), runner: countingRunner(pairs, hosts)) }
        #expect(h?.kind == .settingsMismatch)
        #expect(h?.message.contains("hosts/") == true)
        // Another code version with the same settings is fine (recorded per record).
        let newer = Provenance(codeVersion: "test-1.1", settingsJSON: testProvenance.settingsJSON)
        let s = try runGenerate(options: try makeOptions(dir.path, impurities: "Ti-V", provenance: newer), runner: countingRunner(pairs, hosts))
        let recs = try records(in: s.shardFile)
        #expect(recs["Cu-fcc/Ti"]?.provenance.codeVersion == "test-1.0" && recs["Cu-fcc/V"]?.provenance.codeVersion == "test-1.1")
    }

    @Test func clearErrorsForBadOutputAndConcurrentRuns() throws {
        let dir = try ScratchDirectory()
        defer { dir.cleanUp() }
        try Data().write(to: URL(fileURLWithPath: dir.file("plainfile")))
        let e = batchError { _ = try runGenerate(options: try makeOptions(dir.file("plainfile/out")), runner: FakePairJobRunner()) }
        #expect(e?.kind == .outputNotWritable && e?.message.contains("plainfile") == true)

        var bad = try makeOptions(dir.path)
        bad.workers = 0
        #expect(batchError { _ = try runGenerate(options: bad, runner: FakePairJobRunner()) }?.message.contains("--workers") == true)

        // A second process on the same shard: simulated by holding the shard's lock here.
        let layout = OutputLayout(directory: dir.file("run"), shard: try Shard(parsing: "2/4"))
        try layout.createDirectories()
        let lock = try ShardLock(path: layout.lockFile, shard: layout.shard)
        let locked = batchError { _ = try runGenerate(options: try makeOptions(dir.file("run"), shard: "2/4"), runner: FakePairJobRunner()) }
        #expect(locked?.kind == .shardLocked && locked?.message.contains("2/4") == true)
        lock.release()
        #expect(try runGenerate(options: try makeOptions(dir.file("run"), shard: "2/4"), runner: FakePairJobRunner()).pairsInShard > 0)
    }

    @Test func progressLinesAndJSONSummary() throws {
        let dir = try ScratchDirectory()
        defer { dir.cleanUp() }
        let sink = TextSink()
        var options = try makeOptions(dir.path, hosts: "Cu", impurities: "Fe,Co")
        options.progress = .lines
        options.progressSink = { sink.append($0) }
        let summary = try runGenerate(options: options, runner: FakePairJobRunner(failing: ["Cu-fcc/Co"]))
        let lines = sink.text.split(separator: "\n")
        #expect(lines.count == 3)
        #expect(lines[0].contains("2 of 2 pairs, 0 already recorded, 2 to compute on 2 worker(s)"))
        #expect(lines.dropFirst().contains { $0.hasPrefix("[") && $0.contains("Cu-fcc/Co failed") && $0.contains("injected failure") })
        #expect(lines.last!.contains("/2] ") && lines.last!.contains("ETA 0s"))
        let json = try JSONSerialization.jsonObject(with: Data(summary.jsonString().utf8)) as! [String: Any]
        for key in ["pairsDone", "pairsFailed", "wallSeconds", "pairsPerCoreHour", "pairsSkipped", "shard"] {
            #expect(json[key] != nil, "missing \(key)")
        }
        #expect(json["pairsDone"] as? Int == 1 && json["pairsFailed"] as? Int == 1 && json["shard"] as? String == "1/1")
    }

    @Test func progressBarFormat() {
        let s = ProgressReporter.State(done: 11, failed: 1, total: 40, elapsedSeconds: 24, meanPairSeconds: 3.2)
        #expect(s.etaSeconds == 56)
        #expect(ProgressReporter.bar(s) == "[######··············] 12/40 ok 11, failed 1, left 28 | 3.2 s/pair | ETA 56s")
        #expect(ProgressReporter.duration(nil) == "--")
        #expect(ProgressReporter.duration(185) == "3m05s")
        #expect(ProgressReporter.duration(7620) == "2h07m")
        let start = ProgressReporter.State(done: 0, failed: 0, total: 5, elapsedSeconds: 1, meanPairSeconds: 0)
        #expect(start.etaSeconds == nil)
    }
}

extension GenerateOptions {
    func withShard(_ spec: String) throws -> GenerateOptions {
        var o = self
        o.shard = try Shard(parsing: spec)
        return o
    }
}
