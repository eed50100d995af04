public import StrataCore

#if canImport(Glibc)
    import Glibc
#elseif canImport(Musl)
    import Musl
#elseif canImport(Darwin)
    import Darwin
#endif

/// Durable file operations (POSIX), each failure a ``StrataError`` with code `io` naming the path.
public enum FileSystem {
    static func ioError(_ what: String, _ path: String, errno code: Int32 = errno) -> StrataError {
        StrataError(.io, "\(what) failed: \(String(cString: strerror(code)))", location: .init(file: path))
    }

    /// Writes `bytes` to a new file at `path` and fsyncs it. Fails if the file exists.
    public static func writeNewFile(_ path: String, _ bytes: [UInt8], sync: Bool = true) throws(StrataError) {
        let fd = open(path, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0o644)
        guard fd >= 0 else { throw ioError("create", path) }
        defer { close(fd) }
        try writeAll(fd, bytes, path: path)
        if sync, fsync(fd) != 0 { throw ioError("fsync", path) }
    }

    static func writeAll(_ fd: Int32, _ bytes: [UInt8], path: String) throws(StrataError) {
        var failure: Int32 = 0
        bytes.withUnsafeBytes { raw in
            var done = 0
            while done < raw.count {
                let n = write(fd, raw.baseAddress! + done, raw.count - done)
                if n < 0 {
                    if errno == EINTR { continue }
                    failure = errno
                    return
                }
                done += n
            }
        }
        if failure != 0 { throw ioError("write", path, errno: failure) }
    }

    /// Atomically replaces `path` with `bytes`: write a temporary file, fsync, rename, fsync the
    /// directory. A crash leaves either the old or the new content.
    public static func replaceAtomically(_ path: String, _ bytes: [UInt8]) throws(StrataError) {
        let temporary = path + ".tmp"
        unlink(temporary)
        try writeNewFile(temporary, bytes)
        guard rename(temporary, path) == 0 else { throw ioError("rename", temporary) }
        try syncDirectory(containing: path)
    }

    /// Renames `path` to `target` and makes both directory entries durable.
    public static func moveFile(_ path: String, to target: String) throws(StrataError) {
        guard rename(path, target) == 0 else { throw ioError("rename", path) }
        try syncDirectory(containing: target)
        if directoryName(target) != directoryName(path) { try syncDirectory(containing: path) }
    }

    /// fsyncs the directory holding `path`, so a rename or a new file in it is durable.
    public static func syncDirectory(containing path: String) throws(StrataError) {
        let dir = directoryName(path)
        let fd = open(dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC)
        guard fd >= 0 else { throw ioError("open directory", dir) }
        defer { close(fd) }
        if fsync(fd) != 0 { throw ioError("fsync directory", dir) }
    }

    public static func directoryName(_ path: String) -> String {
        guard let slash = path.lastIndex(of: "/") else { return "." }
        return slash == path.startIndex ? "/" : String(path[..<slash])
    }

    /// Reads a whole file.
    public static func readFile(_ path: String) throws(StrataError) -> [UInt8] {
        let fd = open(path, O_RDONLY | O_CLOEXEC)
        guard fd >= 0 else { throw ioError("open", path) }
        defer { close(fd) }
        var st = stat()
        guard fstat(fd, &st) == 0 else { throw ioError("stat", path) }
        var bytes = [UInt8](repeating: 0, count: Int(st.st_size))
        var failure: Int32 = 0
        let total = bytes.withUnsafeMutableBytes { raw -> Int in
            var done = 0
            while done < raw.count {
                let n = read(fd, raw.baseAddress! + done, raw.count - done)
                if n < 0 {
                    if errno == EINTR { continue }
                    failure = errno
                    return done
                }
                if n == 0 { break }
                done += n
            }
            return done
        }
        if failure != 0 { throw ioError("read", path, errno: failure) }
        return Array(bytes[0..<total])
    }

    public static func fileExists(_ path: String) -> Bool { access(path, F_OK) == 0 }

    /// Writes `bytes` at `offset` of an existing file (extending it), then fsyncs it when `sync`.
    public static func writeAt(_ path: String, offset: Int, _ bytes: [UInt8], sync: Bool) throws(StrataError) {
        let fd = open(path, O_WRONLY | O_CLOEXEC)
        guard fd >= 0 else { throw ioError("open", path) }
        defer { close(fd) }
        guard lseek(fd, off_t(offset), SEEK_SET) >= 0 else { throw ioError("seek", path) }
        try writeAll(fd, bytes, path: path)
        if sync, fsync(fd) != 0 { throw ioError("fsync", path) }
    }

    /// Cuts a file to `length` bytes and fsyncs it.
    public static func truncate(_ path: String, length: Int) throws(StrataError) {
        let fd = open(path, O_WRONLY | O_CLOEXEC)
        guard fd >= 0 else { throw ioError("open", path) }
        defer { close(fd) }
        guard ftruncate(fd, off_t(length)) == 0 else { throw ioError("truncate", path) }
        if fsync(fd) != 0 { throw ioError("fsync", path) }
    }

    /// Creates a directory and its parents (like `mkdir -p`).
    public static func createDirectory(_ path: String) throws(StrataError) {
        var prefix = path.hasPrefix("/") ? "" : "."
        for part in path.split(separator: "/") {
            prefix += "/" + part
            if mkdir(prefix, 0o755) != 0, errno != EEXIST { throw ioError("mkdir", prefix) }
        }
    }

    /// Names of the entries of a directory (without `.` and `..`).
    public static func listDirectory(_ path: String) throws(StrataError) -> [String] {
        guard let dir = opendir(path) else { throw ioError("opendir", path) }
        defer { closedir(dir) }
        var names: [String] = []
        while let entry = readdir(dir) {
            let name = withUnsafePointer(to: entry.pointee.d_name) {
                $0.withMemoryRebound(to: CChar.self, capacity: 256) { String(cString: $0) }
            }
            if name != "." && name != ".." { names.append(name) }
        }
        return names.sorted()
    }

    public static func isDirectory(_ path: String) -> Bool {
        var st = stat()
        return stat(path, &st) == 0 && (st.st_mode & S_IFMT) == S_IFDIR
    }

    /// Whether `path` itself (not what a symbolic link there points at) is a directory.
    public static func isDirectoryNoFollow(_ path: String) -> Bool {
        var st = stat()
        return lstat(path, &st) == 0 && (st.st_mode & S_IFMT) == S_IFDIR
    }

    /// Whether `path` itself (not what a symbolic link there points at) is a regular file.
    public static func isRegularFileNoFollow(_ path: String) -> Bool {
        var st = stat()
        return lstat(path, &st) == 0 && (st.st_mode & S_IFMT) == S_IFREG
    }

    public static func removeFile(_ path: String) { unlink(path) }

    /// Removes the regular files of the directory `path` whose names `isOwn` accepts, then the
    /// directory if that left it empty. Symbolic links and anything else are left alone: cleanup
    /// must never delete what Strata did not write, nor follow a link out of its directory.
    public static func removeOwnFiles(in path: String, where isOwn: (String) -> Bool) {
        guard isDirectoryNoFollow(path) else { return }
        for name in (try? listDirectory(path)) ?? [] where isOwn(name) {
            let file = path + "/" + name
            if isRegularFileNoFollow(file) { unlink(file) }
        }
        rmdir(path)
    }

    public static func fileSize(_ path: String) -> Int? {
        var st = stat()
        return stat(path, &st) == 0 ? Int(st.st_size) : nil
    }
}

extension FileSystem {
    /// Writes `bytes` to a new file at `path` (and fsyncs it unless `sync` is false). Fails if the file exists.
    public static func writeNewFile(_ path: String, _ bytes: UnsafeRawBufferPointer, sync: Bool = true)
        throws(StrataError)
    {
        let fd = open(path, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0o644)
        guard fd >= 0 else { throw ioError("create", path) }
        defer { close(fd) }
        var done = 0
        while done < bytes.count {
            let n = write(fd, bytes.baseAddress! + done, bytes.count - done)
            if n < 0 {
                if errno == EINTR { continue }
                throw ioError("write", path)
            }
            done += n
        }
        if sync, fsync(fd) != 0 { throw ioError("fsync", path) }
    }
}
