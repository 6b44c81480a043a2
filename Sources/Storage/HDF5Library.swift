import CHDF5

/// Process-wide facts and per-thread set-up of the HDF5 C library.
///
/// Debian's `libhdf5-dev` (1.10.8, serial) is built thread-safe: every API call takes one global
/// lock, and the error stack and its automatic-printing setting are kept **per thread**
/// (`../shared/notes/swift-c-libraries.md`, pitfall 5). Therefore every entry point of this module
/// (1) switches automatic printing off on the calling thread, and (2) after a failed call, reads
/// the message and clears the stack on the same thread before throwing. Leaving a non-empty stack
/// on a worker thread makes HDF5 print "infinite loop closing library" at exit.
public enum HDF5Library {
    /// Library version "major.minor.release".
    public static var version: String {
        var major: UInt32 = 0, minor: UInt32 = 0, release: UInt32 = 0
        _ = H5get_libversion(&major, &minor, &release)
        return "\(major).\(minor).\(release)"
    }

    /// True if the linked HDF5 was built with `--enable-threadsafe` (API calls serialised).
    public static var isThreadSafe: Bool {
        var ts = false
        _ = H5is_library_threadsafe(&ts)
        return ts
    }

    /// Switches off HDF5's automatic error printing (to stderr) on the calling thread.
    @inline(__always)
    static func prepareThread() {
        _ = H5Eset_auto2(chdf5_E_DEFAULT, nil, nil)
    }

    /// The messages on the calling thread's error stack (outermost API call first), then clears it.
    static func takeErrorMessage() -> String {
        final class Box { var messages: [String] = [] }
        let box = Box()
        let callback: H5E_walk2_t = { _, desc, data in
            guard let desc, let data else { return 0 }
            let b = Unmanaged<Box>.fromOpaque(data).takeUnretainedValue()
            let fn = desc.pointee.func_name.map { String(cString: $0) } ?? "?"
            let text = desc.pointee.desc.map { String(cString: $0) } ?? ""
            b.messages.append("\(fn): \(text)")
            return 0
        }
        _ = H5Ewalk2(chdf5_E_DEFAULT, H5E_WALK_DOWNWARD, callback, Unmanaged.passUnretained(box).toOpaque())
        _ = H5Eclear2(chdf5_E_DEFAULT)
        switch box.messages.count {
        case 0: return "HDF5 call failed (no message on the error stack)"
        case 1: return box.messages[0]
        default: return "\(box.messages.first!) ← \(box.messages.last!)"
        }
    }

    /// Number of entries on the calling thread's error stack (0 after every public call).
    static var errorStackDepth: Int { Int(H5Eget_num(chdf5_E_DEFAULT)) }

    /// True if automatic error printing is off on the calling thread.
    static var isAutomaticPrintingOff: Bool {
        var fn: H5E_auto2_t? = nil
        var data: UnsafeMutableRawPointer? = nil
        _ = H5Eget_auto2(chdf5_E_DEFAULT, &fn, &data)
        return fn == nil
    }
}
