import Foundation
import Testing
@testable import Storage

@Suite struct FileLifecycleTests {
    /// The HDF5 superblock signature \x89HDF\r\n\x1a\n at offset 0.
    @Test func signatureBytes() throws {
        let dir = try ScratchDirectory()
        defer { dir.cleanUp() }
        let path = dir.file("sig.h5")
        try HDF5File.withNewFile(path) { try $0.write([1.0], to: "x") }
        let head = try Data(contentsOf: URL(fileURLWithPath: path)).prefix(8)
        #expect(Array(head) == [0x89, 0x48, 0x44, 0x46, 0x0D, 0x0A, 0x1A, 0x0A])
    }

    /// Errors name the file, the object and the failed operation, and leave the thread's HDF5
    /// error stack empty.
    @Test func errors() throws {
        let dir = try ScratchDirectory()
        defer { dir.cleanUp() }
        let missing = dir.file("missing.h5")
        let e1 = storageError { _ = try HDF5File.open(missing) }
        #expect(e1?.kind == .fileNotFound)
        #expect(e1?.description.contains(missing) == true)

        let path = dir.file("e.h5")
        try HDF5File.withNewFile(path) { try $0.write([1.0], to: "pairs/x") }
        let e2 = storageError { _ = try HDF5File.create(path) }
        #expect(e2?.kind == .fileExists)

        try HDF5File.withFile(path) { f throws in
            let e3 = storageError { _ = try f.read(Double.self, from: "pairs/y") }
            #expect(e3?.kind == .objectNotFound && e3?.object == "/pairs/y")
            #expect(e3?.description == "\(path), object /pairs/y: cannot read dataset as Double: no such dataset")
            #expect(storageError { _ = try f.read(Double.self, from: "pairs") }?.kind == .typeMismatch)
            #expect(storageError { try f.write([2.0], to: "z") }?.kind == .readOnly)
            #expect(storageError { try f.setAttribute("a", 1.0) }?.kind == .readOnly)
        }
        let text = dir.file("text.h5")
        try "not hdf5".write(toFile: text, atomically: false, encoding: .utf8)
        #expect(storageError { _ = try HDF5File.open(text) }?.kind == .notAnHDF5File)

        let f = try HDF5File.open(path)
        try f.close()
        try f.close()   // idempotent
        #expect(!f.isOpen)
        #expect(storageError { _ = try f.exists("pairs") }?.kind == .fileClosed)

        try HDF5File.withFile(path, writable: true) { g throws in
            #expect(storageError { try g.write([1.0], to: "pairs/x/below") }?.kind == .objectExists)
        }

        // A failure inside the library itself (a truncated file: valid signature, missing data)
        // becomes a `.library` error carrying HDF5's message, and the error stack is cleared.
        let truncated = dir.file("truncated.h5")
        let bytes = try Data(contentsOf: URL(fileURLWithPath: path))
        try bytes.prefix(200).write(to: URL(fileURLWithPath: truncated))
        let e4 = storageError { _ = try HDF5File.open(truncated) }
        #expect(e4?.kind == .library)
        #expect(e4?.detail.contains("H5Fopen") == true, "\(String(describing: e4))")
        #expect(hdf5ThreadStateIsClean)
    }

    /// `create` refuses to replace a file unless asked; `overwrite: true` truncates.
    @Test func createRefusesOverwrite() throws {
        let dir = try ScratchDirectory()
        defer { dir.cleanUp() }
        let path = dir.file("o.h5")
        try HDF5File.withNewFile(path) { try $0.write([1.0], to: "old") }
        #expect(storageError { try HDF5File.withNewFile(path) { _ in } }?.kind == .fileExists)
        #expect(try HDF5File.withFile(path) { try $0.exists("old") })
        try HDF5File.withNewFile(path, overwrite: true) { try $0.write([2.0], to: "new") }
        #expect(try HDF5File.withFile(path) { try $0.children() } == ["new"])
    }

    /// Atomic writes: the destination appears complete or not at all; an existing destination is
    /// kept unless `overwrite`; a failing writer leaves neither a destination nor a temporary file.
    @Test func atomicReplace() throws {
        let dir = try ScratchDirectory()
        defer { dir.cleanUp() }
        let path = dir.file("model.h5")
        try HDF5File.writeAtomically(to: path) { f throws in
            #expect(f.path == AtomicFileReplacement.temporaryPath(for: path))
            try f.write([1.0, 2.0], to: "w")
        }
        #expect(try HDF5File.withFile(path) { try $0.read(Double.self, from: "w").values } == [1, 2])

        let refused = storageError { try HDF5File.writeAtomically(to: path) { try $0.write([9.0], to: "w") } }
        #expect(refused?.kind == .fileExists)
        #expect(try HDF5File.withFile(path) { try $0.read(Double.self, from: "w").values } == [1, 2])

        struct Boom: Error {}
        #expect(throws: Boom.self) {
            try HDF5File.writeAtomically(to: path, overwrite: true) { f throws in
                try f.write([5.0], to: "w")
                throw Boom()
            }
        }
        #expect(try HDF5File.withFile(path) { try $0.read(Double.self, from: "w").values } == [1, 2])

        try HDF5File.writeAtomically(to: path, overwrite: true) { try $0.write([3.0], to: "w") }
        #expect(try HDF5File.withFile(path) { try $0.read(Double.self, from: "w").values } == [3])
        #expect(try FileManager.default.contentsOfDirectory(atPath: dir.path) == ["model.h5"])
        #expect(hdf5ThreadStateIsClean)
    }
}

@Suite struct ConcurrencyTests {
    /// Debian's HDF5 is a thread-safe build; two threads work concurrently on their own files and
    /// on separate read-only handles of one shared file, with errors provoked on both threads.
    @Test func twoThreads() throws {
        #expect(HDF5Library.isThreadSafe)
        let dir = try ScratchDirectory()
        defer { dir.cleanUp() }
        let shared = dir.file("shared.h5")
        let reference = (0..<1000).map { Double($0).squareRoot() }
        try HDF5File.withNewFile(shared) { try $0.write(reference, shape: [10, 100], to: "data") }
        let failures = Failures()
        DispatchQueue.concurrentPerform(iterations: 2) { thread in
            for round in 0..<25 {
                do {
                    let own = dir.file("t\(thread)-\(round).h5")
                    let values = (0..<500).map { Double(thread * 100_000 + round * 1000 + $0) }
                    try HDF5File.withNewFile(own) { f throws in
                        try f.write(values, shape: [5, 100], to: "g/v")
                        try f.setAttribute("thread", Int64(thread), on: "g/v")
                    }
                    try HDF5File.withFile(own) { f throws in
                        if try f.read(Double.self, from: "g/v").values != values { failures.add("values t\(thread) r\(round)") }
                        if try f.attribute("thread", of: "g/v", as: Int64.self) != Int64(thread) { failures.add("attr") }
                        if storageError({ _ = try f.read(Double.self, from: "missing") })?.kind != .objectNotFound {
                            failures.add("missing error")
                        }
                    }
                    try HDF5File.withFile(shared) { f throws in
                        if try f.read(Double.self, from: "data").values != reference { failures.add("shared read") }
                    }
                    if !hdf5ThreadStateIsClean { failures.add("HDF5 error stack not clean on thread \(thread)") }
                } catch {
                    failures.add("\(error)")
                }
            }
        }
        #expect(failures.messages.isEmpty, "\(failures.messages)")
    }
}

/// Thread-safe collection of failure messages.
final class Failures: @unchecked Sendable {
    private let lock = NSLock()
    private var list: [String] = []
    func add(_ s: String) { lock.lock(); list.append(s); lock.unlock() }
    var messages: [String] { lock.lock(); defer { lock.unlock() }; return list }
}
