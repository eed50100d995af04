public import StrataCore

#if canImport(Glibc)
    import Glibc
#elseif canImport(Musl)
    import Musl
#elseif canImport(Darwin)
    import Darwin
#endif

/// The immutable bytes of one segment: a read-only memory map of its file, or an aligned in-memory
/// copy (in-memory databases). Page-aligned or 64-byte aligned, so frozen bitmaps can be viewed in place.
public final class SegmentBytes: Sendable {
    private enum Backing { case mapped, allocated }

    // Safety: the memory is never written after initialization and lives until deinit.
    nonisolated(unsafe) public let base: UnsafeRawPointer
    public let count: Int
    private let backing: Backing

    public var buffer: UnsafeRawBufferPointer { UnsafeRawBufferPointer(start: base, count: count) }

    /// Copies `bytes` into aligned memory.
    public init(copying bytes: [UInt8]) {
        let memory = UnsafeMutableRawPointer.allocate(byteCount: max(bytes.count, 1), alignment: 64)
        bytes.withUnsafeBytes { if !$0.isEmpty { memory.copyMemory(from: $0.baseAddress!, byteCount: $0.count) } }
        base = UnsafeRawPointer(memory)
        count = bytes.count
        backing = .allocated
    }

    /// Memory-maps a file read-only.
    public init(mapping path: String) throws(StrataError) {
        let fd = open(path, O_RDONLY | O_CLOEXEC)
        guard fd >= 0 else { throw FileSystem.ioError("open segment", path) }
        defer { close(fd) }
        var st = stat()
        guard fstat(fd, &st) == 0 else { throw FileSystem.ioError("stat segment", path) }
        let size = Int(st.st_size)
        guard size > 0 else {
            throw StrataError(.corruption, "segment file is empty (truncated)", location: .init(file: path))
        }
        let pointer = mmap(nil, size, PROT_READ, MAP_PRIVATE, fd, 0)
        guard let pointer, pointer != MAP_FAILED else { throw FileSystem.ioError("mmap segment", path) }
        base = UnsafeRawPointer(pointer)
        count = size
        backing = .mapped
    }

    deinit {
        switch backing {
        case .mapped: munmap(UnsafeMutableRawPointer(mutating: base), count)
        case .allocated: UnsafeMutableRawPointer(mutating: base).deallocate()
        }
    }
}
