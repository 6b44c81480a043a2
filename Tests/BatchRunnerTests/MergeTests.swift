import Foundation
import Testing
@testable import BatchRunner

@Suite struct MergeTests {
    typealias F = DatasetFileTests

    @Test func disjointShardsAreUnited() throws {
        let dir = try ScratchDirectory()
        defer { dir.cleanUp() }
        try F.writeFile(dir.file("a.h5"), [F.okRecord("Cu-fcc/Fe"), F.failedRecord("Cu-fcc/Co")])
        try F.writeFile(dir.file("b.h5"), [F.okRecord("Al-fcc/Fe")])
        let summary = try runMerge(options: MergeOptions(output: dir.file("out.h5"), inputs: [dir.file("a.h5"), dir.file("b.h5")]))
        #expect(summary.records == 3 && summary.failedRecords == 1 && summary.identicalDuplicates == 0 && summary.distinctSettings == 1)
        let merged = try records(in: dir.file("out.h5"))
        #expect(merged.keys.sorted() == ["Al-fcc/Fe", "Cu-fcc/Co", "Cu-fcc/Fe"])
        #expect(merged["Cu-fcc/Fe"]!.hasSameResult(as: F.okRecord("Cu-fcc/Fe")))
        let reader = try DatasetFileReader(path: dir.file("out.h5"))
        #expect(reader.header.content == .merged)
        reader.close()
    }

    @Test func excludedPairsAreLeftOut() throws {
        let dir = try ScratchDirectory()
        defer { dir.cleanUp() }
        try F.writeFile(dir.file("a.h5"), [F.okRecord("Cu-fcc/Fe"), F.okRecord("Cu-fcc/Co"), F.okRecord("Al-fcc/Fe")])
        var options = MergeOptions(output: dir.file("out.h5"), inputs: [dir.file("a.h5")])
        options.excluded = [try PairKey(id: "Cu-fcc/Co"), try PairKey(id: "Al-fcc/Fe")]
        let summary = try runMerge(options: options)
        #expect(summary.records == 1)
        #expect(try records(in: dir.file("out.h5")).keys.sorted() == ["Cu-fcc/Fe"])
    }

    @Test func identicalDuplicatesAreKeptOnce() throws {
        let dir = try ScratchDirectory()
        defer { dir.cleanUp() }
        // Same result, different run metadata (time, machine).
        var again = F.okRecord("Cu-fcc/Fe", finishedAt: 5000)
        again.machine = "other"; again.wallSeconds = 9
        try F.writeFile(dir.file("a.h5"), [F.okRecord("Cu-fcc/Fe")])
        try F.writeFile(dir.file("b.h5"), [again, F.okRecord("Cu-fcc/Co")])
        let summary = try runMerge(options: MergeOptions(output: dir.file("out.h5"), inputs: [dir.file("a.h5"), dir.file("b.h5")]))
        #expect(summary.records == 2 && summary.identicalDuplicates == 1 && summary.resolvedDuplicates == 0)
        #expect(try records(in: dir.file("out.h5"))["Cu-fcc/Fe"]!.machine == "node1")   // the first is kept
    }

    @Test func conflictingDuplicatesNeedPreferNewest() throws {
        let dir = try ScratchDirectory()
        defer { dir.cleanUp() }
        var newer = F.okRecord("Cu-fcc/Fe", finishedAt: 2000)
        newer.payload.doubleAttributes["energyRy"] = -1.5
        try F.writeFile(dir.file("new.h5"), [newer])
        try F.writeFile(dir.file("old.h5"), [F.okRecord("Cu-fcc/Fe", finishedAt: 1000)])
        let inputs = [dir.file("new.h5"), dir.file("old.h5")]
        let e = batchError { _ = try runMerge(options: MergeOptions(output: dir.file("out.h5"), inputs: inputs)) }
        #expect(e?.kind == .conflictingRecords)
        #expect(e?.message.contains("Cu-fcc/Fe") == true && e?.message.contains("new.h5") == true && e?.message.contains("old.h5") == true)
        #expect(!FileManager.default.fileExists(atPath: dir.file("out.h5")))
        #expect(dir.allFiles() == ["new.h5", "old.h5"])     // no temporary left behind

        let summary = try runMerge(options: MergeOptions(output: dir.file("out.h5"), inputs: inputs, preferNewest: true))
        #expect(summary.records == 1 && summary.resolvedDuplicates == 1)
        #expect(try records(in: dir.file("out.h5"))["Cu-fcc/Fe"]!.payload.doubleAttributes["energyRy"] == -1.5)
    }

    @Test func okSupersedesFailedInEitherOrder() throws {
        let dir = try ScratchDirectory()
        defer { dir.cleanUp() }
        try F.writeFile(dir.file("f.h5"), [F.failedRecord("Cu-fcc/Fe", finishedAt: 9000), F.failedRecord("Al-fcc/Ti", error: "a", finishedAt: 1)])
        try F.writeFile(dir.file("o.h5"), [F.okRecord("Cu-fcc/Fe", finishedAt: 1), F.failedRecord("Al-fcc/Ti", error: "b", finishedAt: 2)])
        for inputs in [["f.h5", "o.h5"], ["o.h5", "f.h5"]] {
            _ = try runMerge(options: MergeOptions(output: dir.file("out.h5"), inputs: inputs.map(dir.file), force: true))
            let merged = try records(in: dir.file("out.h5"))
            #expect(merged["Cu-fcc/Fe"]!.status == .ok, "\(inputs)")
            #expect(merged["Al-fcc/Ti"]!.error == "b", "\(inputs): the newer failure is kept")
        }
    }

    @Test func refusesToOverwriteWithoutForce() throws {
        let dir = try ScratchDirectory()
        defer { dir.cleanUp() }
        try F.writeFile(dir.file("a.h5"), [F.okRecord("Cu-fcc/Fe")])
        try Data("keep".utf8).write(to: URL(fileURLWithPath: dir.file("out.h5")))
        let e = batchError { _ = try runMerge(options: MergeOptions(output: dir.file("out.h5"), inputs: [dir.file("a.h5")])) }
        #expect(e?.kind == .outputExists && e?.message.contains("--force") == true)
        #expect(try String(contentsOfFile: dir.file("out.h5"), encoding: .utf8) == "keep")
        _ = try runMerge(options: MergeOptions(output: dir.file("out.h5"), inputs: [dir.file("a.h5")], force: true))
        #expect(try records(in: dir.file("out.h5")).count == 1)
    }

    @Test func directoryInputsIncludeShardsAndPendingRecords() throws {
        let dir = try ScratchDirectory()
        defer { dir.cleanUp() }
        let layout = OutputLayout(directory: dir.file("run"), shard: try Shard(parsing: "2/3"))
        try layout.createDirectories()
        try F.writeFile(layout.shardFile, [F.okRecord("Cu-fcc/Fe")])
        try F.writeFile(layout.pendingFile(pair("Cu-fcc/Co")), [F.okRecord("Cu-fcc/Co")], content: .pending)
        // A stale temporary file is not an input.
        try Data("junk".utf8).write(to: URL(fileURLWithPath: layout.shardFile + ".tmp-1-abc"))
        let summary = try runMerge(options: MergeOptions(output: dir.file("out.h5"), inputs: [dir.file("run")]))
        #expect(summary.inputFiles.count == 2)
        #expect(try records(in: dir.file("out.h5")).keys.sorted() == ["Cu-fcc/Co", "Cu-fcc/Fe"])
        #expect(batchError { _ = try runMerge(options: MergeOptions(output: dir.file("x.h5"), inputs: [dir.file("nope")])) }?.kind == .invalidArgument)
    }

    @Test func corruptInputIsNamed() throws {
        let dir = try ScratchDirectory()
        defer { dir.cleanUp() }
        try F.writeFile(dir.file("a.h5"), [F.okRecord("Cu-fcc/Fe")])
        try Data("not hdf5".utf8).write(to: URL(fileURLWithPath: dir.file("bad.h5")))
        let e = batchError { _ = try runMerge(options: MergeOptions(output: dir.file("out.h5"), inputs: [dir.file("a.h5"), dir.file("bad.h5")])) }
        #expect(e?.kind == .corruptFile && e?.message.hasPrefix(dir.file("bad.h5")) == true)
    }
}
