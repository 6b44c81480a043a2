import Foundation

/// An exclusive `flock(2)` on the shard's lock file, held while a `dataset generate` works on
/// the shard, so that two processes never write the same shard (for example a Slurm task
/// requeued while the old one still runs). The kernel releases it when the process dies, also by
/// SIGKILL. On network file systems flock works where the file system supports it (NFSv4,
/// Lustre with `flock`); elsewhere it only protects against a second process on the same node.
final class ShardLock {
    private var fd: Int32

    init(path: String, shard: Shard) throws {
        fd = open(path, O_RDWR | O_CREAT | O_CLOEXEC, 0o644)
        guard fd >= 0 else {
            throw BatchError(.outputNotWritable, "cannot create lock file \(path): \(String(cString: strerror(errno)))")
        }
        if flock(fd, LOCK_EX | LOCK_NB) != 0 {
            let code = errno
            close(fd)
            fd = -1
            if code == EWOULDBLOCK {
                throw BatchError(.shardLocked, "another process is working on shard \(shard) (lock \(path) is held); wait for it or stop it")
            }
            throw BatchError(.outputNotWritable, "cannot lock \(path): \(String(cString: strerror(code)))")
        }
        let text = "\(ProcessInfo.processInfo.hostName) \(getpid())\n"
        _ = ftruncate(fd, 0)
        _ = text.withCString { write(fd, $0, strlen($0)) }
    }

    func release() {
        guard fd >= 0 else { return }
        flock(fd, LOCK_UN)
        close(fd)
        fd = -1
    }

    deinit { release() }
}
