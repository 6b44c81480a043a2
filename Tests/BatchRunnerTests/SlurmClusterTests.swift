import Foundation
import Testing

/// Opt-in (KKR_SLURM_TEST=1, root, Debian's slurmctld/slurmd/munge installed): runs
/// scripts/slurm/local-cluster-test.sh, which starts a single-node Slurm, submits a 3-task
/// generate array with fake jobs and the dependent merge, and checks the merged record count.
/// About 10 s. Not part of the default suite.
@Suite struct SlurmClusterTests {
    @Test(.enabled(if: ProcessInfo.processInfo.environment["KKR_SLURM_TEST"] == "1"))
    func jobArrayAndMergeOnALocalCluster() throws {
        let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
        let p = Process()
        p.executableURL = URL(fileURLWithPath: "/bin/bash")
        p.arguments = [root.appendingPathComponent("scripts/slurm/local-cluster-test.sh").path, try KillRestartTests.testJob()]
        let pipe = Pipe()
        p.standardOutput = pipe
        p.standardError = pipe
        try p.run()
        let output = String(decoding: pipe.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        p.waitUntilExit()
        #expect(p.terminationStatus == 0, "\(output)")
        #expect(output.contains("shard files: 3, merged records: 14"), "\(output)")
    }
}
