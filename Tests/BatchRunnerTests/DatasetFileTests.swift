import Foundation
import Storage
import Testing
@testable import BatchRunner

@Suite struct DatasetFileTests {
    static func okRecord(_ id: String, finishedAt: Double = 1000) -> PairRecord {
        var payload = RecordPayload(doubleAttributes: ["energyRy": -1.25, "nan": .nan], stringAttributes: ["note": "κ ü"])
        payload.setArray("dvRy", [1, -0.0, .nan, .infinity, .leastNonzeroMagnitude * 3, 6], shape: [2, 3])
        payload.setArray("shells/1/charge", [0.5])
        payload.setArray("empty", [], shape: [0, 4])
        payload.setArray("scalar", [42], shape: [])
        return PairRecord(pair: pair(id), status: .ok, payload: payload, wallSeconds: 1.5, finishedAtUnix: finishedAt,
                          machine: "node1", provenance: testProvenance)
    }

    static func failedRecord(_ id: String, error: String = "did not converge", finishedAt: Double = 1000) -> PairRecord {
        PairRecord(pair: pair(id), status: .failed, error: error, wallSeconds: 0.25, finishedAtUnix: finishedAt,
                   machine: "node2", provenance: testProvenance)
    }

    static func writeFile(_ path: String, _ records: [PairRecord], content: DatasetFile.Content = .shard) throws {
        let header = DatasetFile.Header(content: content, shard: .all, provenance: testProvenance, createdAtUnix: 7)
        try DatasetFile.write(to: path, header: header, overwrite: true) { append in
            for r in records { try append(r) }
        }
    }

    @Test func recordsRoundTripBitExactly() throws {
        let dir = try ScratchDirectory()
        defer { dir.cleanUp() }
        let ok = Self.okRecord("Cu-fcc/Fe"), failed = Self.failedRecord("Al-fcc/Ti")
        try Self.writeFile(dir.file("s.h5"), [ok, failed])

        let reader = try DatasetFileReader(path: dir.file("s.h5"))
        defer { reader.close() }
        #expect(reader.header == DatasetFile.Header(content: .shard, shard: .all, provenance: testProvenance, createdAtUnix: 7))
        #expect(reader.entries.map(\.pair.id) == ["Al-fcc/Ti", "Cu-fcc/Fe"])
        #expect(reader.entries.map(\.status) == [.failed, .ok])
        let readOK = try reader.record(ok.pair)
        #expect(readOK.payload.isBitwiseIdentical(to: ok.payload))
        #expect(readOK.payload.arrays["dvRy"]!.values[1].sign == .minus)
        #expect(readOK.payload.arrays["empty"]!.shape == [0, 4])
        #expect(readOK.payload.arrays["scalar"]!.shape == [])
        #expect(readOK.wallSeconds == 1.5 && readOK.machine == "node1" && readOK.provenance == testProvenance)
        #expect(readOK.hasSameResult(as: ok))
        let readFailed = try reader.record(failed.pair)
        #expect(readFailed.status == .failed && readFailed.error == "did not converge" && readFailed.payload == .empty)
    }

    @Test func bitwiseIdentityDistinguishesNaNAndSignedZero() {
        var a = RecordPayload(), b = RecordPayload()
        a.setArray("x", [0.0]); b.setArray("x", [-0.0])
        #expect(a == b)                         // IEEE equality
        #expect(!a.isBitwiseIdentical(to: b))   // but different records
        a.setArray("x", [.nan]); b.setArray("x", [.nan])
        #expect(a.isBitwiseIdentical(to: b))
    }

    @Test func invalidPayloadNamesAreRejected() {
        var p = RecordPayload()
        p.setArray("a", [1]); p.setArray("a/b", [2])
        #expect(batchError { try p.validate() }?.message.contains("also used as a group") == true)
        var q = RecordPayload()
        q.setArray("bad name", [1])
        #expect(batchError { try q.validate() }?.kind == .invalidArgument)
        var r = RecordPayload()
        r.setArray("x/../y", [1])
        #expect(batchError { try r.validate() } != nil)
        let s = RecordPayload(doubleAttributes: ["e": 1], stringAttributes: ["e": "x"])
        #expect(batchError { try s.validate() }?.message.contains("both") == true)
    }

    @Test func foreignAndDamagedFilesAreNamedInTheError() throws {
        let dir = try ScratchDirectory()
        defer { dir.cleanUp() }
        // An HDF5 file that is not a dataset file.
        try HDF5File.withNewFile(dir.file("other.h5")) { try $0.write([1.0], to: "x") }
        let foreign = batchError { _ = try DatasetFileReader(path: dir.file("other.h5")) }
        #expect(foreign?.kind == .corruptFile)
        #expect(foreign?.message.hasPrefix(dir.file("other.h5")) == true)
        // A truncated dataset file.
        try Self.writeFile(dir.file("good.h5"), [Self.okRecord("Cu-fcc/Fe")])
        let bytes = try Data(contentsOf: URL(fileURLWithPath: dir.file("good.h5")))
        try bytes.prefix(bytes.count / 2).write(to: URL(fileURLWithPath: dir.file("cut.h5")))
        let cut = batchError { let r = try DatasetFileReader(path: dir.file("cut.h5")); _ = try r.allRecords() }
        #expect(cut?.kind == .corruptFile)
        #expect(cut?.message.hasPrefix(dir.file("cut.h5")) == true)
        // Not HDF5 at all.
        try Data("hello".utf8).write(to: URL(fileURLWithPath: dir.file("text.h5")))
        #expect(batchError { _ = try DatasetFileReader(path: dir.file("text.h5")) }?.message.contains("text.h5") == true)
    }

    @Test func atomicWriteLeavesNothingWhenTheWriterFails() throws {
        let dir = try ScratchDirectory()
        defer { dir.cleanUp() }
        try Self.writeFile(dir.file("s.h5"), [Self.okRecord("Cu-fcc/Fe")])
        struct Boom: Error {}
        #expect(throws: Boom.self) {
            try DatasetFile.write(to: dir.file("s.h5"), header: DatasetFile.Header(content: .shard), overwrite: true) { append in
                try append(Self.okRecord("Cu-fcc/Co"))
                throw Boom()
            }
        }
        #expect(dir.allFiles() == ["s.h5"])
        #expect(try records(in: dir.file("s.h5")).keys.sorted() == ["Cu-fcc/Fe"])
        // Without overwrite an existing destination is refused.
        #expect(throws: StorageError.self) {
            try AtomicFile.write(to: dir.file("s.h5"), overwrite: false) { try Data().write(to: URL(fileURLWithPath: $0)) }
        }
        #expect(dir.allFiles() == ["s.h5"])
    }

    /// The attempts files are small text files written while a pair runs; a SIGKILL then must
    /// leave no file of a name the runner does not know (the CI once found Foundation's
    /// `.dat.nosync…` temporary of `FileManager.createFile` in a pending directory).
    @Test func textWriteGoesOnlyThroughTheRunnersTemporary() throws {
        let dir = try ScratchDirectory()
        defer { dir.cleanUp() }
        try AtomicFile.write(text: "3\n", to: dir.file("Cu-fcc__Fe.attempts"))
        try AtomicFile.write(text: "4\n", to: dir.file("Cu-fcc__Fe.attempts"))
        #expect(dir.allFiles() == ["Cu-fcc__Fe.attempts"])
        #expect(String(decoding: FileManager.default.contents(atPath: dir.file("Cu-fcc__Fe.attempts")) ?? Data(), as: UTF8.self) == "4\n")
        #expect(AtomicFile.isTemporary(".dat.nosync518C.Tr9xNW"))
        #expect(AtomicFile.isTemporary("Cu-fcc__Fe.h5.tmp-12-ab"))
        #expect(!AtomicFile.isTemporary("Cu-fcc__Fe.h5"))
    }

    @Test func hostArtifactsRoundTrip() throws {
        let dir = try ScratchDirectory()
        defer { dir.cleanUp() }
        let host = try HostKey(symbol: "Fe")
        let artifact = HostArtifact(host: host, payload: FakePairJobRunner.hostPayload(host), provenance: testProvenance)
        try DatasetFile.writeHost(artifact, to: dir.file("Fe-bcc.h5"), overwrite: false)
        #expect(try DatasetFile.readHost(at: dir.file("Fe-bcc.h5")) == artifact)
        #expect(throws: StorageError.self) { try DatasetFile.writeHost(artifact, to: dir.file("Fe-bcc.h5"), overwrite: false) }
    }
}
