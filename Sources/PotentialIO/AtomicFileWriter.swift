import Foundation
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Errors of `AtomicFileWriter` and `readFileBytes`.
public enum FileWriteError: Error, Equatable, Sendable, CustomStringConvertible {
    /// The destination exists and overwriting was not requested.
    case exists(path: String)
    /// A system call failed.
    case system(path: String, operation: String, reason: String)

    public var description: String {
        switch self {
        case .exists(let p):
            return "\(p) already exists; refusing to overwrite it (pass overwrite: true, on the command line --force)"
        case .system(let p, let op, let reason):
            return "cannot write \(p): \(op) failed (\(reason))"
        }
    }
}

/// Atomic whole-file writes: the data go to a temporary file in the destination's directory,
/// which is flushed to disk and then renamed onto the destination. A reader therefore sees
/// either the old file or the complete new one, and a failed write (full disk, crash, error
/// while formatting) never leaves a half-written output. Without `overwrite` an existing
/// destination is never replaced: the temporary file is hard-linked to the destination name,
/// which fails atomically if the name exists (no check-then-rename race).
public enum AtomicFileWriter {
    public static func write(_ bytes: [UInt8], to path: String, overwrite: Bool = false) throws(FileWriteError) {
        if !overwrite && access(path, F_OK) == 0 { throw .exists(path: path) }
        let dir = directory(of: path)
        var template = Array("\(dir)/.\(baseName(of: path)).tmp-XXXXXX".utf8CString)
        let fd = template.withUnsafeMutableBufferPointer { mkstemp($0.baseAddress!) }
        guard fd >= 0 else { throw .system(path: path, operation: "creating a temporary file in \(dir)", reason: errnoText()) }
        let tmp = String(decoding: template.prefix(while: { $0 != 0 }).map { UInt8(bitPattern: $0) }, as: UTF8.self)
        var committed = false
        defer {
            if !committed { unlink(tmp) }
        }
        var offset = 0
        let ok: Bool = bytes.withUnsafeBytes { raw in
            while offset < raw.count {
                let n = Glibc_write(fd, raw.baseAddress! + offset, raw.count - offset)
                if n < 0 {
                    if errno == EINTR { continue }
                    return false
                }
                offset += n
            }
            return true
        }
        guard ok else {
            let reason = errnoText()
            close(fd)
            throw .system(path: path, operation: "writing", reason: reason)
        }
        // The permissions of a normally created file (mkstemp creates 0600): 0666 minus the umask.
        fchmod(fd, 0o666 & ~currentUmask())
        guard fsync(fd) == 0 else {
            let reason = errnoText()
            close(fd)
            throw .system(path: path, operation: "fsync", reason: reason)
        }
        close(fd)
        if overwrite {
            guard rename(tmp, path) == 0 else { throw .system(path: path, operation: "rename", reason: errnoText()) }
        } else {
            if link(tmp, path) != 0 {
                if errno == EEXIST { throw .exists(path: path) }
                // File systems without hard links: fall back to check + rename.
                guard access(path, F_OK) != 0 else { throw .exists(path: path) }
                guard rename(tmp, path) == 0 else { throw .system(path: path, operation: "rename", reason: errnoText()) }
                committed = true
                return
            }
            unlink(tmp)
        }
        committed = true
    }

    /// Convenience for text.
    public static func write(_ text: String, to path: String, overwrite: Bool = false) throws(FileWriteError) {
        try write(Array(text.utf8), to: path, overwrite: overwrite)
    }

    static func directory(of path: String) -> String {
        guard let slash = path.lastIndex(of: "/") else { return "." }
        return slash == path.startIndex ? "/" : String(path[..<slash])
    }

    static func baseName(of path: String) -> String {
        guard let slash = path.lastIndex(of: "/") else { return path }
        return String(path[path.index(after: slash)...])
    }
}

@inline(__always)
private func Glibc_write(_ fd: Int32, _ p: UnsafeRawPointer, _ n: Int) -> Int {
    #if canImport(Glibc)
    return Glibc.write(fd, p, n)
    #else
    return Darwin.write(fd, p, n)
    #endif
}

/// The process umask, read from /proc/self/status where possible: `umask()` can only be read
/// by setting it, which would briefly change it for the other threads.
private func currentUmask() -> mode_t {
    if let f = fopen("/proc/self/status", "r") {
        defer { fclose(f) }
        var line = [CChar](repeating: 0, count: 256)
        while fgets(&line, Int32(line.count), f) != nil {
            let s = String(decoding: line.prefix(while: { $0 != 0 }).map { UInt8(bitPattern: $0) }, as: UTF8.self)
            if s.hasPrefix("Umask:"), let m = mode_t(s.dropFirst(6).trimmingCharacters(in: .whitespacesAndNewlines), radix: 8) {
                return m
            }
        }
    }
    let m = umask(0o022)
    umask(m)
    return m
}

func errnoText() -> String { String(cString: strerror(errno)) }

/// The bytes of a file, or a `PotentialFileError` naming the file and the system's reason.
func readFileBytes(_ path: String, kind: String) throws(PotentialFileError) -> [UInt8] {
    guard let f = fopen(path, "rb") else {
        throw PotentialFileError(kind: kind, path: path, line: nil, message: "cannot open the file (\(errnoText()))")
    }
    defer { fclose(f) }
    var out: [UInt8] = []
    var chunk = [UInt8](repeating: 0, count: 1 << 16)
    while true {
        let n = chunk.withUnsafeMutableBytes { fread($0.baseAddress, 1, $0.count, f) }
        if n > 0 { out.append(contentsOf: chunk[0..<n]) }
        if n < chunk.count {
            if ferror(f) != 0 {
                throw PotentialFileError(kind: kind, path: path, line: nil, message: "cannot read the file (\(errnoText()))")
            }
            break
        }
    }
    return out
}
