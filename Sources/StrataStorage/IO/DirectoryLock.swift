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
///
/// The lock is held on the directory itself: a lock on a file alone is lost when someone deletes
/// that file (a second writer then creates a new file and locks it), while a directory holding a
/// database cannot be deleted. The `LOCK` file is locked too, and its identity checked after
/// locking, so that a process locking only `LOCK` (an earlier version) is excluded as well.
public final class DirectoryLock: Sendable {
    private let directoryDescriptor: Int32
    private let fileDescriptor: Int32

    public init(directory: String) throws(StrataError) {
        let inUse = StrataError(
            .io, "database is in use by another process (or another open Database in this one)",
            location: .init(file: directory))
        let dfd = open(directory, O_RDONLY | O_DIRECTORY | O_CLOEXEC)
        guard dfd >= 0 else { throw FileSystem.ioError("open database directory", directory) }
        guard flock(dfd, LOCK_EX | LOCK_NB) == 0 else {
            close(dfd)
            throw inUse
        }
        let path = directory + "/LOCK"
        var attempts = 0
        while true {
            let fd = open(path, O_RDWR | O_CREAT | O_CLOEXEC | O_NOFOLLOW, 0o644)
            guard fd >= 0 else {
                close(dfd)
                throw FileSystem.ioError("open lock file", path)
            }
            guard flock(fd, LOCK_EX | LOCK_NB) == 0 else {
                close(fd)
                close(dfd)
                throw inUse
            }
            // The file may have been replaced between open and flock: then the lock guards nothing.
            var held = stat()
            var named = stat()
            if fstat(fd, &held) == 0, lstat(path, &named) == 0, held.st_ino == named.st_ino,
                held.st_dev == named.st_dev
            {
                directoryDescriptor = dfd
                fileDescriptor = fd
                return
            }
            close(fd)
            attempts += 1
            guard attempts < 10 else {
                close(dfd)
                throw StrataError(.io, "the lock file keeps being replaced", location: .init(file: path))
            }
        }
    }

    deinit {
        flock(fileDescriptor, LOCK_UN)
        close(fileDescriptor)
        flock(directoryDescriptor, LOCK_UN)
        close(directoryDescriptor)
    }
}
