public import StrataCore
import Synchronization

/// One dictionary shared by every segment of a table for a high-cardinality string column (user
/// ids): codes are table-wide, so group keys and exact distinct counts over the column need no
/// merging of per-segment dictionaries at query time — the codes themselves are the identity.
///
/// Values get codes in arrival order and are never removed. The dictionary is persisted in an
/// append-only file of checksummed chunks; the catalog records how many entries are published, and
/// opening truncates anything past that (entries of a write that never published).
///
/// File layout: magic `STRATDIC`, version (u32), reserved (u32); then chunks of: entry count (u32),
/// payload length (u32), payload (per entry: LEB128 length, UTF-8 bytes), CRC32C (u32) of the
/// chunk's first three parts.
public final class TableDictionary: Sendable {
    struct State {
        var values = ByteInterner()
        var persistedCount = 0
        var fileLength = 0
        var snapshot: StringDictionary?
        /// The first entries as Strings, decoded once for every segment's reader.
        var strings: [String] = []
    }

    static let magic = Array("STRATDIC".utf8)
    static let headerSize = 16
    static let formatVersion: UInt32 = 1

    /// The file, or `nil` in memory.
    public let path: String?
    /// Why the file could not be opened, for a stand-in (``init(damaged:)``); `nil` otherwise.
    public let damage: StrataError?
    private let state = Mutex(State())

    /// An empty in-memory dictionary.
    public init() {
        path = nil
        damage = nil
    }

    /// A stand-in for a dictionary whose file failed to open: it holds no entries and refuses to
    /// persist, so the file stays as found (for repair) and its table reports `error` when used.
    public init(damaged error: StrataError) {
        path = error.location?.file
        damage = error
    }

    /// Opens the dictionary file at `path` (creating it when `committedCount` is 0), reading the first
    /// `committedCount` entries and dropping the rest. With `readOnly` nothing is created or cut: a
    /// missing file of no published entry opens empty, and entries past the count are ignored.
    /// - Throws: `corruption` when a committed chunk fails its checksum or the file is short.
    public init(path: String, committedCount: Int, readOnly: Bool = false) throws(StrataError) {
        self.path = path
        damage = nil
        if !FileSystem.fileExists(path) {
            guard committedCount == 0 else {
                throw StrataError(
                    .corruption, "table dictionary is missing (\(committedCount) entries published)",
                    location: .init(file: path))
            }
            if readOnly { return }
            var header = Self.magic
            withUnsafeBytes(of: Self.formatVersion.littleEndian) { header.append(contentsOf: $0) }
            header += [0, 0, 0, 0]
            try FileSystem.writeNewFile(path, header)
            try FileSystem.syncDirectory(containing: path)
            state.withLock { $0.fileLength = Self.headerSize }
            return
        }
        let bytes = try FileSystem.readFile(path)
        func corrupt(_ what: String) -> StrataError {
            StrataError(.corruption, "table dictionary: \(what)", location: .init(file: path))
        }
        guard bytes.count >= Self.headerSize, Array(bytes[0..<8]) == Self.magic else { throw corrupt("bad header") }
        guard Self.u32(bytes, 8) == Self.formatVersion else { throw corrupt("unknown format version") }
        var values = ByteInterner()
        var offset = Self.headerSize
        while values.count < committedCount {
            guard offset + 8 <= bytes.count else {
                throw corrupt("short file: \(values.count) of \(committedCount) entries")
            }
            let entries = Int(Self.u32(bytes, offset))
            let length = Int(Self.u32(bytes, offset + 4))
            let end = offset + 8 + length
            guard end + 4 <= bytes.count else { throw corrupt("truncated chunk at byte \(offset)") }
            let checksum = bytes.withUnsafeBytes { CRC32C.checksum(UnsafeRawBufferPointer(rebasing: $0[offset..<end])) }
            guard checksum == Self.u32(bytes, end) else {
                throw corrupt("checksum mismatch in the chunk at byte \(offset)")
            }
            var i = offset + 8
            for _ in 0..<entries {
                guard let n = DictionaryCoding.readVarint(bytes, &i), i + n <= end else {
                    throw corrupt("malformed entry")
                }
                // Entries were distinct when written: no hashing until a value is looked up by its bytes.
                bytes.withUnsafeBytes { values.appendDistinct(UnsafeRawBufferPointer(rebasing: $0[i..<i + n])) }
                i += n
            }
            guard i == end else { throw corrupt("malformed chunk") }
            offset = end + 4
        }
        guard values.count == committedCount else { throw corrupt("published count falls inside a chunk") }
        if offset < bytes.count, !readOnly { try FileSystem.truncate(path, length: offset) }
        let opened = values
        let length = offset
        state.withLock { s in
            s.values = opened
            s.persistedCount = opened.count
            s.fileLength = length
        }
    }

    private static func u32(_ bytes: [UInt8], _ at: Int) -> UInt32 {
        bytes.withUnsafeBytes { UInt32(littleEndian: $0.loadUnaligned(fromByteOffset: at, as: UInt32.self)) }
    }

    /// Entries, published or not.
    public var count: Int { state.withLock { $0.values.count } }

    /// Table-wide codes for a batch's local dictionary (adding new values): `result[i]` is the code of
    /// `dictionary[i]`.
    public func encode(_ dictionary: [String]) -> [UInt32] {
        state.withLock { s in
            dictionary.map { value in
                var value = value
                let (id, _) = value.withUTF8 { s.values.id(of: UnsafeRawBufferPointer($0)) }
                return UInt32(id)
            }
        }
    }

    /// The code of a value, if present.
    func lookup(_ bytes: UnsafeRawBufferPointer) -> Int? {
        state.withLock { s in
            s.values.indexPending()
            return s.values.lookup(bytes)
        }
    }

    /// An immutable view of every entry so far (cached until the dictionary grows).
    public func snapshot() -> StringDictionary {
        state.withLock { s in
            if let snapshot = s.snapshot, snapshot.count == s.values.count { return snapshot }
            let snapshot = StringDictionary(
                bytes: s.values.arena, offsets: s.values.offsets.map { UInt32($0) }, isSorted: false, index: self)
            s.snapshot = snapshot
            return snapshot
        }
    }

    /// The first `count` entries as Strings: decoded once and shared, where each segment's reader would
    /// otherwise decode the whole table dictionary again (400,000 user ids, 30 times for a month of days).
    func strings(_ dictionary: StringDictionary) -> [String] {
        let cached = state.withLock { $0.strings }
        // Entries are only appended: a longer cache starts with these.
        if cached.count == dictionary.count { return cached }
        if cached.count > dictionary.count { return Array(cached.prefix(dictionary.count)) }
        var strings = cached
        strings.reserveCapacity(dictionary.count)
        for code in cached.count..<dictionary.count { strings.append(dictionary[code]) }
        state.withLock { s in
            if strings.count > s.strings.count { s.strings = strings }
        }
        return strings
    }

    /// Appends the entries not yet in the file as one checksummed chunk and fsyncs it.
    /// - Returns: the number of entries now durable, to record in the catalog.
    @discardableResult
    public func persist(sync: Bool = true) throws(StrataError) -> Int {
        if let damage { throw damage }
        return try state.withLock { s throws(StrataError) -> Int in
            guard s.values.count > s.persistedCount else { return s.persistedCount }
            guard let path else {
                s.persistedCount = s.values.count
                return s.persistedCount
            }
            var payload: [UInt8] = []
            for id in s.persistedCount..<s.values.count {
                s.values.withBytes(id) { bytes in
                    DictionaryCoding.appendVarint(bytes.count, to: &payload)
                    payload.append(contentsOf: bytes)
                }
            }
            var chunk: [UInt8] = []
            withUnsafeBytes(of: UInt32(s.values.count - s.persistedCount).littleEndian) { chunk.append(contentsOf: $0) }
            withUnsafeBytes(of: UInt32(payload.count).littleEndian) { chunk.append(contentsOf: $0) }
            chunk += payload
            withUnsafeBytes(of: CRC32C.checksum(chunk).littleEndian) { chunk.append(contentsOf: $0) }
            try FileSystem.writeAt(path, offset: s.fileLength, chunk, sync: sync)
            s.fileLength += chunk.count
            s.persistedCount = s.values.count
            return s.persistedCount
        }
    }
}
