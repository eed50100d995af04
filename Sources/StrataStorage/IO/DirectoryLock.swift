public import StrataCore

#if canImport(Glibc)
    import Glibc
#elseif canImport(Musl)
    import Musl
#elseif canImport(Darwin)
    import Darwin
#endif

/// An exclusive advisory lock (flock) on a database directory, so two processes never write the
/// same database. Released when the value is deinitialized or the process dies.
public final class DirectoryLock: Sendable {
    private let fd: Int32

    public init(directory: String) throws(StrataError) {
        let path = directory + "/LOCK"
        let fd = open(path, O_RDWR | O_CREAT | O_CLOEXEC, 0o644)
        guard fd >= 0 else { throw FileSystem.ioError("open lock file", path) }
        guard flock(fd, LOCK_EX | LOCK_NB) == 0 else {
            close(fd)
            throw StrataError(
                .io, "database is in use by another process (or another open Database in this one)",
                location: .init(file: directory))
        }
        self.fd = fd
    }

    deinit {
        flock(fd, LOCK_UN)
        close(fd)
    }
}
