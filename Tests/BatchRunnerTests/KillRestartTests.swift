import Foundation
import Testing
@testable import BatchRunner

/// The acceptance test of issue 9: `dataset generate` in a separate process
/// (`batch-runner-testjob`, fake jobs of 120 ms) is killed with SIGKILL mid-run, twice, and
/// restarted; the final set has every pair exactly once with the right payload, at most the pairs
/// in flight were computed twice, and no temporary or pending file is left.
@Suite(.serialized) struct KillRestartTests {
    /// The helper executable next to the test bundle (built by `swift build --build-tests`).
    static func testJob() throws -> String {
        if let path = ProcessInfo.processInfo.environment["BATCH_RUNNER_TESTJOB"] { return path }
        let exe = URL(fileURLWithPath: "/proc/self/exe").resolvingSymlinksInPath()
        var directory = exe.deletingLastPathComponent()
        if directory.lastPathComponent == "MacOS" {   // macOS .xctest bundle
            directory = directory.deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
        }
        let path = directory.appendingPathComponent("batch-runner-testjob").path
        guard FileManager.default.isExecutableFile(atPath: path) else {
            throw BatchError(.invalidArgument, "\(path) not found: build it with `swift build --build-tests` (or set BATCH_RUNNER_TESTJOB)")
        }
        return path
    }

    static func start(_ arguments: [String], in dir: ScratchDirectory, stderr: String) throws -> Process {
        let p = Process()
        p.executableURL = URL(fileURLWithPath: try testJob())
        p.arguments = arguments
        p.currentDirectoryURL = URL(fileURLWithPath: dir.path)
        _ = FileManager.default.createFile(atPath: stderr, contents: nil)
        p.standardError = try FileHandle(forWritingTo: URL(fileURLWithPath: stderr))
        p.standardOutput = FileHandle.nullDevice
        try p.run()
        return p
    }

    static func lineCount(_ path: String) -> Int {
        (try? String(contentsOfFile: path, encoding: .utf8))?.split(separator: "\n").count ?? 0
    }

    /// Waits until `condition` holds or the process ends or the timeout passes.
    static func wait(for process: Process, timeout: Double, until condition: () -> Bool) {
        let deadline = Date().addingTimeInterval(timeout)
        while process.isRunning && !condition() && Date() < deadline { usleep(10_000) }
    }

    /// Opens every complete (final-name) file of the output directory: none may be damaged.
    static func checkFinalFilesAreComplete(_ out: String) throws -> Set<String> {
        let layout = OutputLayout(directory: out, shard: .all)
        var ids = Set<String>()
        for path in layout.allShardFiles() + layout.allPendingRecordFiles() {
            let reader = try DatasetFileReader(path: path)
            ids.formUnion(try reader.allRecords().map(\.pair.id))
            reader.close()
        }
        let hosts = (try? FileManager.default.contentsOfDirectory(atPath: "\(out)/hosts")) ?? []
        for name in hosts where name.hasSuffix(".h5") { _ = try DatasetFile.readHost(at: "\(out)/hosts/\(name)") }
        return ids
    }

    @Test func killedRunCompletesOnRestart() throws {
        let dir = try ScratchDirectory()
        defer { dir.cleanUp() }
        let out = dir.file("run"), log = dir.file("computed.log"), err = dir.file("stderr.txt")
        let args = ["dataset", "generate", "--hosts", "Al,Fe,Cu", "--impurities", "Sc-Zn", "-o", out, "--workers", "2",
                    "--fake-delay-ms", "120", "--fake-host-delay-ms", "50", "--consolidate-every", "4",
                    "--progress", "lines", "--fake-log", log]
        let total = 30

        var killedAt: [Int] = []
        for target in [6, 15] {   // computed pairs (cumulative) at which to kill
            let p = try Self.start(args, in: dir, stderr: err)
            Self.wait(for: p, timeout: 20) { Self.lineCount(log) >= target }
            #expect(p.isRunning, "the run ended before it could be killed: \(String(decoding: FileManager.default.contents(atPath: err) ?? Data(), as: UTF8.self))")
            kill(p.processIdentifier, SIGKILL)
            p.waitUntilExit()
            #expect(p.terminationReason == .uncaughtSignal && p.terminationStatus == SIGKILL)
            let recorded = try Self.checkFinalFilesAreComplete(out)
            #expect(recorded.count < total, "killed run had already finished")
            #expect(recorded.count >= target - 2 * 2, "finished records were lost: \(recorded.count) recorded after \(Self.lineCount(log)) computed")
            killedAt.append(recorded.count)
        }

        let p = try Self.start(args + ["--json"], in: dir, stderr: err)
        Self.wait(for: p, timeout: 30) { false }
        if p.isRunning { kill(p.processIdentifier, SIGKILL) }
        p.waitUntilExit()
        #expect(p.terminationStatus == 0, "restart failed: \(String(decoding: FileManager.default.contents(atPath: err) ?? Data(), as: UTF8.self))")

        // Every pair exactly once, with its own payload.
        let shardFile = "\(out)/shards/shard-0001-of-0001.h5"
        let reader = try DatasetFileReader(path: shardFile)
        defer { reader.close() }
        let expected = PairKey.allPairs(hosts: try HostKey.parseList("Al,Fe,Cu"), impurities: try PairKey.parseImpurities("Sc-Zn"))
        #expect(reader.entries.map(\.pair) == expected)
        for p in expected {
            let r = try reader.record(p)
            #expect(r.status == .ok && r.payload.isBitwiseIdentical(to: FakePairJobRunner.expectedPayload(p)), "\(p.id)")
        }
        // Lost work: only pairs in flight at a kill (≤ 2 workers × 2 kills) were computed twice.
        let computed = try String(contentsOfFile: log, encoding: .utf8).split(separator: "\n").map(String.init)
        let counts = Dictionary(computed.map { ($0, 1) }, uniquingKeysWith: +)
        #expect(Set(counts.keys) == Set(expected.map(\.id)))
        #expect(computed.count - total <= 4, "recomputed: \(counts.filter { $0.value > 1 })")
        // No temporary, pending or attempts files left; the merge of the directory is the full set.
        #expect(dir.allFiles().filter { !$0.hasPrefix("run/hosts/") } ==
                ["computed.log", "run/shards/shard-0001-of-0001.h5", "run/shards/shard-0001-of-0001.lock", "stderr.txt"])
        #expect(try FileManager.default.contentsOfDirectory(atPath: "\(out)/hosts").sorted() == ["Al-fcc.h5", "Cu-fcc.h5", "Fe-bcc.h5"])
        let merged = try runMerge(options: MergeOptions(output: dir.file("merged.h5"), inputs: [out]))
        #expect(merged.records == total && merged.identicalDuplicates == 0)
    }

    /// A pair that kills the process (abort) is retried alone and, after three deaths, recorded
    /// as failed; the fourth run completes the rest.
    @Test func crashingPairIsIsolated() throws {
        let dir = try ScratchDirectory()
        defer { dir.cleanUp() }
        let out = dir.file("run"), err = dir.file("stderr.txt")
        let args = ["dataset", "generate", "--hosts", "Cu", "--impurities", "Ti-Ni", "-o", out, "--workers", "2",
                    "--fake-crash", "Cu-fcc/Fe", "--progress", "lines"]
        var statuses: [Int32] = []
        for _ in 0..<4 {
            let p = try Self.start(args, in: dir, stderr: err)
            Self.wait(for: p, timeout: 20) { false }
            if p.isRunning { kill(p.processIdentifier, SIGKILL) }
            p.waitUntilExit()
            statuses.append(p.terminationReason == .uncaughtSignal ? -p.terminationStatus : p.terminationStatus)
        }
        #expect(statuses == [-SIGABRT, -SIGABRT, -SIGABRT, 0])
        let recs = try records(in: "\(out)/shards/shard-0001-of-0001.h5")
        #expect(recs.count == 7)
        #expect(recs["Cu-fcc/Fe"]?.status == .failed && recs["Cu-fcc/Fe"]?.error?.contains("died 3 times") == true)
        #expect(recs.values.filter { $0.status == .ok }.count == 6)
    }
}
