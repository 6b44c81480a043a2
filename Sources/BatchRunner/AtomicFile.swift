import Foundation
import Storage

/// Crash-safe creation of files: the content goes to a uniquely named temporary file
/// `<destination>.tmp-<pid>-<random>` in the same directory, which is fsynced and then moved
/// into place — with `rename(2)` (replaces atomically) or, without `overwrite`, with `link(2)`
/// (fails with EEXIST instead of clobbering a file that another process created meanwhile).
/// The directory is fsynced afterwards. A SIGKILL at any moment leaves either the old or the new
/// complete file under the final name, plus at most one stale temporary file, which the runner
/// ignores and removes later (`isTemporary`).
///
/// Unlike `HDF5File.writeAtomically` (temporary name `<destination>.tmp-<pid>`), the random part
/// makes the name unique across the nodes of a cluster sharing one output directory, where two
/// processes may have the same pid.
enum AtomicFile {
    /// The marker in temporary file names.
    static let temporaryMarker = ".tmp-"

    /// Also true for Foundation's own atomic-write temporaries (`.dat.nosync…`), should a
    /// Foundation writer ever run in an output directory and be killed.
    static func isTemporary(_ fileName: String) -> Bool {
        fileName.contains(temporaryMarker) || fileName.hasPrefix(".dat.nosync")
    }

    /// A fresh temporary path for `destination`.
    static func temporaryPath(for destination: String) -> String {
        "\(destination)\(temporaryMarker)\(getpid())-\(String(UInt64.random(in: 0...UInt64.max), radix: 16))"
    }

    /// Runs `write(temporaryPath)` and moves the result to `destination`; removes the temporary
    /// file if anything fails. Without `overwrite`, an existing destination throws
    /// `StorageError(.fileExists)` (also when it appears during the write).
    static func write(to destination: String, overwrite: Bool, _ write: (String) throws -> Void) throws {
        let operation = "write file atomically"
        if !overwrite, FileManager.default.fileExists(atPath: destination) {
            throw StorageError(.fileExists, file: destination, operation: operation, detail: "file exists")
        }
        let tmp = temporaryPath(for: destination)
        do {
            try write(tmp)
            try syncFile(tmp, destination: destination)
            if overwrite {
                guard rename(tmp, destination) == 0 else { throw posixError(destination, "rename \(tmp) → \(destination)") }
            } else {
                if link(tmp, destination) != 0 {
                    let code = errno
                    if code == EEXIST {
                        throw StorageError(.fileExists, file: destination, operation: operation, detail: "file appeared while writing")
                    }
                    throw posixError(destination, "link \(tmp) → \(destination)", code: code)
                }
                unlink(tmp)
            }
            try syncFile(directory(of: destination), destination: destination)
        } catch {
            unlink(tmp)
            throw error
        }
    }

    /// Writes `text` atomically (UTF-8). The temporary file is written with plain `open`/`write`:
    /// `FileManager.createFile` would itself write through a Foundation temporary
    /// (`.dat.nosync…`) that a SIGKILL leaves behind under a name the runner did not choose.
    static func write(text: String, to destination: String) throws {
        try write(to: destination, overwrite: true) { tmp in
            let fd = open(tmp, O_WRONLY | O_CREAT | O_EXCL, 0o644)
            guard fd >= 0 else { throw posixError(destination, "create \(tmp)") }
            defer { close(fd) }
            var bytes = Array(text.utf8)[...]
            while !bytes.isEmpty {
                let n = bytes.withUnsafeBytes { Foundation.write(fd, $0.baseAddress, $0.count) }
                if n < 0 {
                    if errno == EINTR { continue }
                    throw posixError(destination, "write \(tmp)")
                }
                bytes = bytes.dropFirst(n)
            }
        }
    }

    /// Removes `path` and fsyncs its directory (no error if it is already gone).
    static func remove(_ path: String) throws {
        if unlink(path) != 0 && errno != ENOENT { throw posixError(path, "unlink \(path)") }
    }

    /// fsync of the directory of `path` (makes unlinks and renames durable).
    static func syncDirectory(of path: String) throws {
        try syncFile(directory(of: path), destination: path)
    }

    /// Removes temporary files in `directory` whose names start with `prefix` (all if empty) and
    /// that were last modified more than `olderThan` seconds ago. Returns their number.
    @discardableResult
    static func removeStaleTemporaries(in directory: String, prefix: String = "", olderThan age: TimeInterval = 0) -> Int {
        guard let names = try? FileManager.default.contentsOfDirectory(atPath: directory) else { return 0 }
        var removed = 0
        for name in names where isTemporary(name) && name.hasPrefix(prefix) {
            let path = "\(directory)/\(name)"
            if age > 0, let modified = (try? FileManager.default.attributesOfItem(atPath: path))?[.modificationDate] as? Date,
               Date().timeIntervalSince(modified) < age { continue }
            if unlink(path) == 0 { removed += 1 }
        }
        return removed
    }

    static func directory(of path: String) -> String {
        let d = (path as NSString).deletingLastPathComponent
        return d.isEmpty ? "." : d
    }

    private static func syncFile(_ path: String, destination: String) throws {
        let fd = open(path, O_RDONLY)
        guard fd >= 0 else { throw posixError(destination, "open \(path) for fsync") }
        defer { close(fd) }
        guard fsync(fd) == 0 else { throw posixError(destination, "fsync \(path)") }
    }

    static func posixError(_ file: String, _ call: String, code: Int32 = errno) -> StorageError {
        StorageError(.fileSystem, file: file, operation: "write file atomically", detail: "\(call): \(String(cString: strerror(code)))")
    }
}
