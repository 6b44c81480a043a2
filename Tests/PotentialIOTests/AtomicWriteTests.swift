import Foundation
import Testing
@testable import PotentialIO

@Suite struct AtomicWriteTests {
    private func entries(_ dir: URL) throws -> [String] {
        try FileManager.default.contentsOfDirectory(atPath: dir.path).sorted()
    }

    @Test func writesRefusesAndOverwrites() throws {
        let dir = try makeTemporaryDirectory()
        defer { try? FileManager.default.removeItem(at: dir) }
        let path = dir.appendingPathComponent("out_potential").path
        let cu = try PotentialFile.read(path: Fixture.path(Fixture.cu))
        try cu.write(to: path)
        #expect(Array(try Data(contentsOf: URL(fileURLWithPath: path))) == (try Fixture.bytes(Fixture.cu)))
        #expect(try entries(dir) == ["out_potential"])               // no temporary file left
        let attrs = try FileManager.default.attributesOfItem(atPath: path)
        #expect(((attrs[.posixPermissions] as? Int) ?? 0) & 0o044 != 0 || umaskBlocksRead())   // not mkstemp's 0600

        // refuse to overwrite
        let au = try PotentialFile.read(path: Fixture.path(Fixture.au))
        do { try au.write(to: path); Issue.record("expected a refusal") } catch let e as FileWriteError {
            #expect(e == .exists(path: path))
            #expect(e.description.contains("--force"))
        }
        #expect(Array(try Data(contentsOf: URL(fileURLWithPath: path))) == (try Fixture.bytes(Fixture.cu)))
        // overwrite when asked
        try au.write(to: path, overwrite: true)
        #expect(Array(try Data(contentsOf: URL(fileURLWithPath: path))) == (try Fixture.bytes(Fixture.au)))
        #expect(try entries(dir) == ["out_potential"])
    }

    /// A write that fails while the file is being produced leaves the old file intact and no
    /// temporary file behind.
    @Test func failedWriteLeavesTheOldFile() throws {
        let dir = try makeTemporaryDirectory()
        defer { try? FileManager.default.removeItem(at: dir) }
        let path = dir.appendingPathComponent("potential").path
        try AtomicFileWriter.write("old\n", to: path)
        var broken = try PotentialFile.read(path: Fixture.path(Fixture.cu))
        broken.blocks[0].vm2zRy.removeLast()
        do { try broken.write(to: path, overwrite: true); Issue.record("expected an error") } catch let e as PotentialFileError {
            #expect(e.message == "cannot write block 1 (Cu29): vm2z has 483 values, NR = 484")
        }
        var huge = try PotentialFile.read(path: Fixture.path(Fixture.cu))
        huge.blocks[0].nuclearCharge = 1e9        // does not fit (f10.5)
        #expect(throws: PotentialFileError.self) { try huge.write(to: path, overwrite: true) }
        #expect(String(decoding: try Data(contentsOf: URL(fileURLWithPath: path)), as: UTF8.self) == "old\n")
        #expect(try entries(dir) == ["potential"])
        // unwritable destination directory
        #expect(throws: FileWriteError.self) { try AtomicFileWriter.write("x", to: dir.path + "/missing/dir/file") }
    }

    private func umaskBlocksRead() -> Bool {
        let m = umask(0)
        umask(m)
        return m & 0o044 == 0o044
    }
}
