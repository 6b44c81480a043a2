import Foundation

/// Writes a file so that the destination either keeps its old content or gets the complete new
/// content, never a partial file: write to `<destination>.tmp-<pid>`, fsync, then move it into
/// place. Without `overwrite` the move is `link(2)` (fails atomically with EEXIST if the
/// destination appeared meanwhile) followed by unlinking the temporary name; with `overwrite` it is
/// `rename(2)`, which atomically replaces the destination (POSIX.1-2008). The directory is fsynced
/// afterwards. A killed process leaves at most a stale `*.tmp-<pid>` file, never a truncated
/// destination.
///
/// Not for concurrent writers of the same destination within one process (they share the pid).
enum AtomicFileReplacement {
    static func temporaryPath(for destination: String) -> String {
        "\(destination).tmp-\(getpid())"
    }

    /// Runs `write(temporaryPath)` and moves the result to `destination`; removes the temporary file
    /// if anything fails.
    static func replace(_ destination: String, overwrite: Bool, operation: String,
                        write: (String) throws -> Void) throws {
        if !overwrite, FileManager.default.fileExists(atPath: destination) {
            throw StorageError(.fileExists, file: destination, operation: operation,
                               detail: "file exists (pass overwrite: true to replace it)")
        }
        let tmp = temporaryPath(for: destination)
        unlink(tmp)
        do {
            try write(tmp)
            let code = fsyncPath(tmp)
            guard code == 0 else { throw posixError(destination, operation, "fsync \(tmp)", code: code) }
            if overwrite {
                guard rename(tmp, destination) == 0 else {
                    throw posixError(destination, operation, "rename \(tmp) → \(destination)")
                }
            } else {
                if link(tmp, destination) != 0 {
                    let code = errno
                    if code == EEXIST {
                        throw StorageError(.fileExists, file: destination, operation: operation,
                                           detail: "file appeared while writing (pass overwrite: true to replace it)")
                    }
                    // File systems without hard links: check-then-rename (not race-free).
                    guard code == EPERM || code == ENOTSUP || code == EOPNOTSUPP, !FileManager.default.fileExists(atPath: destination),
                          rename(tmp, destination) == 0 else {
                        throw posixError(destination, operation, "link \(tmp) → \(destination)", code: code)
                    }
                }
                unlink(tmp)
            }
            // Make the new directory entry durable (best effort).
            let directory = (destination as NSString).deletingLastPathComponent
            _ = fsyncPath(directory.isEmpty ? "." : directory)
        } catch {
            unlink(tmp)
            throw error
        }
    }

    /// fsync(2) of a file or directory; returns 0 or the errno of the failing call.
    private static func fsyncPath(_ path: String) -> Int32 {
        let fd = open(path, O_RDONLY)
        guard fd >= 0 else { return errno }
        defer { close(fd) }
        return fsync(fd) == 0 ? 0 : errno
    }

    private static func posixError(_ file: String, _ operation: String, _ call: String, code: Int32 = errno) -> StorageError {
        StorageError(.fileSystem, file: file, operation: operation, detail: "\(call): \(String(cString: strerror(code)))")
    }
}

extension HDF5File {
    /// Creates `destination` atomically: `body` writes into a new file at
    /// `<destination>.tmp-<pid>`, which is closed, fsynced and then moved into place. Refuses to
    /// replace an existing destination unless `overwrite`. If `body` throws, the destination is
    /// untouched and the temporary file removed.
    public static func writeAtomically(to destination: String, overwrite: Bool = false,
                                       _ body: (HDF5File) throws -> Void) throws {
        try AtomicFileReplacement.replace(destination, overwrite: overwrite, operation: "write file atomically") { tmp in
            try HDF5File.withNewFile(tmp, overwrite: true, body)
        }
    }
}
