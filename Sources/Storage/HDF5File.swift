import CHDF5
import Foundation

/// An open HDF5 file (serial HDF5 through the C library), addressed by slash-separated object
/// paths such as "pairs/Fe_in_Cu/dv" (a leading "/" is optional; "/" is the root group).
///
/// Handle discipline: the file id is the only long-lived HDF5 handle. Every operation opens the
/// objects it needs and closes them before it returns (also on errors), so no group, dataset,
/// dataspace, datatype or attribute id outlives a call. The file id is closed by `close()`, by the
/// end of a `withFile`/`withNewFile` scope, or at the latest by `deinit`.
///
/// Threads: the class is not `Sendable`; use one `HDF5File` per thread. Debian's HDF5 is a
/// thread-safe build (`HDF5Library.isThreadSafe`: one global lock around every API call), so
/// different threads may work concurrently on *different* `HDF5File` objects — also on different
/// objects opened read-only on the same file (tested with two threads). Calls are serialised by
/// the library, so this is safe, not faster. Do not open the same file for writing twice.
public final class HDF5File {
    /// The path as given when the file was opened or created.
    public let path: String
    public let isWritable: Bool
    /// The HDF5 file id, or −1 after `close()`.
    private(set) var id: hid_t

    private init(path: String, id: hid_t, writable: Bool) {
        self.path = path
        self.id = id
        isWritable = writable
    }

    deinit {
        if id >= 0 {
            HDF5Library.prepareThread()
            if H5Fclose(id) < 0 { _ = HDF5Library.takeErrorMessage() }
        }
    }

    /// Creates a new file. Refuses to replace an existing file unless `overwrite` is true.
    public static func create(_ path: String, overwrite: Bool = false) throws -> HDF5File {
        HDF5Library.prepareThread()
        if !overwrite, FileManager.default.fileExists(atPath: path) {
            throw StorageError(.fileExists, file: path, operation: "create file",
                               detail: "file exists (pass overwrite: true to replace it)")
        }
        let fid = H5Fcreate(path, overwrite ? chdf5_F_ACC_TRUNC() : chdf5_F_ACC_EXCL(), chdf5_P_DEFAULT, chdf5_P_DEFAULT)
        guard fid >= 0 else {
            throw StorageError(.library, file: path, operation: "create file", detail: HDF5Library.takeErrorMessage())
        }
        return HDF5File(path: path, id: fid, writable: true)
    }

    /// Opens an existing file, read-only unless `writable`.
    public static func open(_ path: String, writable: Bool = false) throws -> HDF5File {
        HDF5Library.prepareThread()
        var isDirectory: ObjCBool = false
        guard FileManager.default.fileExists(atPath: path, isDirectory: &isDirectory), !isDirectory.boolValue else {
            throw StorageError(.fileNotFound, file: path, operation: "open file", detail: "no such file")
        }
        let isHDF5 = H5Fis_hdf5(path)
        if isHDF5 <= 0 {
            let detail = isHDF5 == 0 ? "not an HDF5 file (no \\x89HDF signature)" : HDF5Library.takeErrorMessage()
            throw StorageError(isHDF5 == 0 ? .notAnHDF5File : .library, file: path, operation: "open file", detail: detail)
        }
        let fid = H5Fopen(path, writable ? chdf5_F_ACC_RDWR() : chdf5_F_ACC_RDONLY(), chdf5_P_DEFAULT)
        guard fid >= 0 else {
            throw StorageError(.library, file: path, operation: "open file", detail: HDF5Library.takeErrorMessage())
        }
        return HDF5File(path: path, id: fid, writable: writable)
    }

    /// Opens a file, runs `body`, and closes the file (also when `body` throws).
    public static func withFile<R>(_ path: String, writable: Bool = false, _ body: (HDF5File) throws -> R) throws -> R {
        let file = try open(path, writable: writable)
        return try file.runThenClose(body)
    }

    /// Creates a file, runs `body`, and closes the file (also when `body` throws).
    public static func withNewFile<R>(_ path: String, overwrite: Bool = false, _ body: (HDF5File) throws -> R) throws -> R {
        let file = try create(path, overwrite: overwrite)
        return try file.runThenClose(body)
    }

    private func runThenClose<R>(_ body: (HDF5File) throws -> R) throws -> R {
        let result: R
        do {
            result = try body(self)
        } catch {
            try? close()
            throw error
        }
        try close()
        return result
    }

    public var isOpen: Bool { id >= 0 }

    /// Flushes and closes the file. Idempotent.
    public func close() throws {
        guard id >= 0 else { return }
        HDF5Library.prepareThread()
        let fid = id
        id = -1
        if isWritable, H5Fflush(fid, H5F_SCOPE_LOCAL) < 0 {
            let message = HDF5Library.takeErrorMessage()
            _ = H5Fclose(fid)
            _ = H5Eclear2(chdf5_E_DEFAULT)
            throw StorageError(.library, file: path, operation: "flush file", detail: message)
        }
        if H5Fclose(fid) < 0 {
            throw StorageError(.library, file: path, operation: "close file", detail: HDF5Library.takeErrorMessage())
        }
    }

    /// Flushes buffered data to disk without closing.
    public func flush() throws {
        let fid = try openID(for: "flush file", object: nil)
        if H5Fflush(fid, H5F_SCOPE_LOCAL) < 0 { throw libraryError("flush file", object: nil) }
    }

    // MARK: - Internal helpers shared by the extensions

    /// The file id after per-thread set-up; throws if the file is closed.
    func openID(for operation: String, object: String?) throws -> hid_t {
        HDF5Library.prepareThread()
        guard id >= 0 else {
            throw StorageError(.fileClosed, file: path, object: object, operation: operation, detail: "the file has been closed")
        }
        return id
    }

    /// As `openID`, and the file must be writable.
    func writableID(for operation: String, object: String?) throws -> hid_t {
        let fid = try openID(for: operation, object: object)
        guard isWritable else {
            throw StorageError(.readOnly, file: path, object: object, operation: operation,
                               detail: "the file is open read-only (open it with writable: true)")
        }
        return fid
    }

    /// A `.library` error with the (then cleared) HDF5 error-stack message of this thread.
    func libraryError(_ operation: String, object: String?) -> StorageError {
        StorageError(.library, file: path, object: object, operation: operation, detail: HDF5Library.takeErrorMessage())
    }

    func error(_ kind: StorageError.Kind, _ operation: String, object: String?, _ detail: String) -> StorageError {
        StorageError(kind, file: path, object: object, operation: operation, detail: detail)
    }

    /// "/a/b" for "a/b", "/a/b", "a/b"; "/" for "" or "/". Empty components ("a//b", "a/") and
    /// "." or ".." components are rejected.
    func absolutePath(_ p: String, for operation: String) throws -> String {
        if p.isEmpty || p == "/" { return "/" }
        var s = Substring(p)
        if s.hasPrefix("/") { s = s.dropFirst() }
        let parts = s.split(separator: "/", omittingEmptySubsequences: false)
        guard parts.allSatisfy({ !$0.isEmpty && $0 != "." && $0 != ".." }) else {
            throw error(.invalidArgument, operation, object: p, "invalid object path (empty, \".\" or \"..\" component)")
        }
        return "/" + parts.joined(separator: "/")
    }

    /// Parent path of an absolute path ("/a/b" → "/a", "/a" → "/").
    static func parent(of absolute: String) -> String {
        guard let slash = absolute.lastIndex(of: "/"), slash != absolute.startIndex else { return "/" }
        return String(absolute[..<slash])
    }
}
