import StrataCore

#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// Gives dense ids to byte strings without making Swift `String`s: the bytes live in one arena, and
/// an open-addressing table keyed by a 64-bit hash (with a full comparison) finds them.
///
/// Group keys and exact distinct counts over string columns meet each segment's dictionary values
/// again and again; interning their bytes costs a hash and a compare, not an allocation.
///
/// Values known to be distinct (a table dictionary read from its file) can be appended without
/// hashing; the table is built the first time a value is looked up by its bytes, so opening a
/// database with millions of user ids does not hash them all.
public struct ByteInterner: Sendable {
    public private(set) var arena: [UInt8] = []
    public private(set) var offsets: [Int] = [0]
    /// Hashes of the first `hashes.count` values, which are the ones in `slots`.
    private var hashes: [UInt64] = []
    private var slots: [Int32] = Array(repeating: -1, count: 64)

    public init() {}

    public var count: Int { offsets.count - 1 }

    /// Adds a value the caller knows is not in the interner yet, without indexing it.
    public mutating func appendDistinct(_ bytes: UnsafeRawBufferPointer) {
        arena.append(contentsOf: bytes)
        offsets.append(arena.count)
    }

    /// Indexes the values added by ``appendDistinct(_:)`` (before a lookup by bytes).
    public mutating func indexPending() {
        guard hashes.count < count else { return }
        hashes.reserveCapacity(count)
        for id in hashes.count..<count { hashes.append(withBytes(id) { StrataHash.hash64(bytes: $0) }) }
        var size = slots.count
        while count * 2 > size { size *= 2 }
        rebuildSlots(size)
    }

    /// The id of `bytes`, adding it if new; `isNew` tells which.
    public mutating func id(of bytes: UnsafeRawBufferPointer) -> (id: Int, isNew: Bool) {
        if hashes.count < count { indexPending() }
        let hash = StrataHash.hash64(bytes: bytes)
        var mask = slots.count - 1
        var i = Int(truncatingIfNeeded: hash) & mask
        while true {
            let id = Int(slots[i])
            if id < 0 { break }
            if hashes[id] == hash, equals(id, bytes) { return (id, false) }
            i = (i + 1) & mask
        }
        let id = hashes.count
        hashes.append(hash)
        arena.append(contentsOf: bytes)
        offsets.append(arena.count)
        if hashes.count * 2 > slots.count {
            grow()
            mask = slots.count - 1
            i = Int(truncatingIfNeeded: hash) & mask
            while slots[i] >= 0 { i = (i + 1) & mask }
        }
        slots[i] = Int32(id)
        return (id, true)
    }

    /// The id of `bytes` if present (no insertion). Call ``indexPending()`` first after ``appendDistinct(_:)``.
    public func lookup(_ bytes: UnsafeRawBufferPointer) -> Int? {
        precondition(hashes.count == count, "lookup in a ByteInterner with unindexed values")
        let hash = StrataHash.hash64(bytes: bytes)
        let mask = slots.count - 1
        var i = Int(truncatingIfNeeded: hash) & mask
        while true {
            let id = Int(slots[i])
            if id < 0 { return nil }
            if hashes[id] == hash, equals(id, bytes) { return id }
            i = (i + 1) & mask
        }
    }

    private func equals(_ id: Int, _ bytes: UnsafeRawBufferPointer) -> Bool {
        let start = offsets[id]
        let end = offsets[id + 1]
        guard end - start == bytes.count else { return false }
        return arena.withUnsafeBytes { a in
            bytes.isEmpty || memcmp(a.baseAddress! + start, bytes.baseAddress!, bytes.count) == 0
        }
    }

    private mutating func grow() { rebuildSlots(slots.count * 2) }

    private mutating func rebuildSlots(_ size: Int) {
        slots = Array(repeating: -1, count: size)
        let mask = slots.count - 1
        for (id, hash) in hashes.enumerated() {
            var i = Int(truncatingIfNeeded: hash) & mask
            while slots[i] >= 0 { i = (i + 1) & mask }
            slots[i] = Int32(id)
        }
    }

    /// The string with id `id`.
    public func string(_ id: Int) -> String {
        arena.withUnsafeBytes {
            String(decoding: UnsafeRawBufferPointer(rebasing: $0[offsets[id]..<offsets[id + 1]]), as: UTF8.self)
        }
    }

    /// The bytes of `id`.
    public func withBytes<R>(_ id: Int, _ body: (UnsafeRawBufferPointer) -> R) -> R {
        arena.withUnsafeBytes { body(UnsafeRawBufferPointer(rebasing: $0[offsets[id]..<offsets[id + 1]])) }
    }
}
