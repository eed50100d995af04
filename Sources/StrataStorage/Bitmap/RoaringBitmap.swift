import CStrataRoaring

/// A compressed set of 32-bit row numbers (CRoaring), with value semantics: copies share storage
/// until one of them is mutated.
///
/// A bitmap read from a segment is a zero-copy view of the memory-mapped file ("frozen" format);
/// mutating it first copies it into owned memory.
public struct RoaringBitmap: Sendable, Equatable {
    final class Storage: @unchecked Sendable {
        // Safety: `pointer` is only mutated through `RoaringBitmap`'s copy-on-write mutators, after
        // `isKnownUniquelyReferenced`; shared instances are read-only.
        let pointer: UnsafeMutablePointer<roaring_bitmap_t>
        /// Keeps the bytes behind a frozen view alive.
        let owner: AnyObject?

        init(_ pointer: UnsafeMutablePointer<roaring_bitmap_t>, owner: AnyObject? = nil) {
            self.pointer = pointer
            self.owner = owner
        }

        deinit { roaring_bitmap_free(pointer) }
    }

    var storage: Storage

    public init() { storage = Storage(roaring_bitmap_create()) }

    public init<S: Sequence<UInt32>>(_ values: S) {
        self.init()
        for v in values { roaring_bitmap_add(storage.pointer, v) }
    }

    /// All rows in `range`.
    public init(range: Range<UInt32>) {
        self.init()
        if !range.isEmpty { roaring_bitmap_add_range_closed(storage.pointer, range.lowerBound, range.upperBound - 1) }
    }

    init(storage: Storage) { self.storage = storage }

    private mutating func makeUnique() {
        if !isKnownUniquelyReferenced(&storage) || storage.owner != nil {
            storage = Storage(roaring_bitmap_copy(storage.pointer))
        }
    }

    public mutating func insert(_ value: UInt32) {
        makeUnique()
        roaring_bitmap_add(storage.pointer, value)
    }

    public mutating func remove(_ value: UInt32) {
        makeUnique()
        roaring_bitmap_remove(storage.pointer, value)
    }

    public func contains(_ value: UInt32) -> Bool { roaring_bitmap_contains(storage.pointer, value) }

    public var count: Int { Int(roaring_bitmap_get_cardinality(storage.pointer)) }

    public var isEmpty: Bool { roaring_bitmap_is_empty(storage.pointer) }

    public func intersection(_ other: RoaringBitmap) -> RoaringBitmap {
        RoaringBitmap(storage: Storage(roaring_bitmap_and(storage.pointer, other.storage.pointer)))
    }

    public func union(_ other: RoaringBitmap) -> RoaringBitmap {
        RoaringBitmap(storage: Storage(roaring_bitmap_or(storage.pointer, other.storage.pointer)))
    }

    public func subtracting(_ other: RoaringBitmap) -> RoaringBitmap {
        RoaringBitmap(storage: Storage(roaring_bitmap_andnot(storage.pointer, other.storage.pointer)))
    }

    public mutating func formUnion(_ other: RoaringBitmap) {
        makeUnique()
        roaring_bitmap_or_inplace(storage.pointer, other.storage.pointer)
    }

    public mutating func formIntersection(_ other: RoaringBitmap) {
        makeUnique()
        roaring_bitmap_and_inplace(storage.pointer, other.storage.pointer)
    }

    /// The union of many bitmaps in one pass.
    public static func union(_ bitmaps: [RoaringBitmap]) -> RoaringBitmap {
        guard !bitmaps.isEmpty else { return RoaringBitmap() }
        var pointers: [UnsafePointer<roaring_bitmap_t>?] = bitmaps.map { UnsafePointer($0.storage.pointer) }
        let result = pointers.withUnsafeMutableBufferPointer { buf in
            roaring_bitmap_or_many(buf.count, buf.baseAddress)
        }
        return withExtendedLifetime(bitmaps) { RoaringBitmap(storage: Storage(result!)) }
    }

    /// Number of members smaller than or equal to `value`.
    public func rank(_ value: UInt32) -> Int { Int(roaring_bitmap_rank(storage.pointer, value)) }

    /// The members in ascending order.
    public func toArray() -> [UInt32] {
        var out = [UInt32](repeating: 0, count: count)
        out.withUnsafeMutableBufferPointer { roaring_bitmap_to_uint32_array(storage.pointer, $0.baseAddress) }
        return out
    }

    /// Writes up to `limit` members starting at rank `offset` into `out`; returns how many were written.
    public func copyMembers(offset: Int, into out: UnsafeMutableBufferPointer<UInt32>) -> Int {
        let n = min(out.count, max(0, count - offset))
        if n > 0 { _ = roaring_bitmap_range_uint32_array(storage.pointer, offset, n, out.baseAddress) }
        return n
    }

    public static func == (lhs: RoaringBitmap, rhs: RoaringBitmap) -> Bool {
        roaring_bitmap_equals(lhs.storage.pointer, rhs.storage.pointer)
    }

    // MARK: Serialization

    /// Alignment that frozen bitmaps need in memory and in a file.
    public static let frozenAlignment = 32

    /// Appends the frozen serialization (run-optimized first) to `out`, which the caller has padded
    /// so that `out.count` is a multiple of ``frozenAlignment`` relative to an aligned base.
    public func appendFrozen(to out: inout [UInt8]) {
        var copy = self
        copy.makeUnique()
        _ = roaring_bitmap_run_optimize(copy.storage.pointer)
        let size = roaring_bitmap_frozen_size_in_bytes(copy.storage.pointer)
        let start = out.count
        out.append(contentsOf: repeatElement(0, count: size))
        out.withUnsafeMutableBytes { raw in
            roaring_bitmap_frozen_serialize(
                copy.storage.pointer, (raw.baseAddress! + start).assumingMemoryBound(to: CChar.self))
        }
    }

    /// A read-only view of a frozen bitmap in `bytes` (32-byte aligned), kept alive by `owner`.
    /// Returns `nil` if the bytes are not a valid frozen bitmap.
    public static func frozenView(_ bytes: UnsafeRawBufferPointer, owner: AnyObject) -> RoaringBitmap? {
        guard let base = bytes.baseAddress, Int(bitPattern: base) % frozenAlignment == 0,
            let view = roaring_bitmap_frozen_view(base.assumingMemoryBound(to: CChar.self), bytes.count)
        else { return nil }
        return RoaringBitmap(storage: Storage(UnsafeMutablePointer(mutating: view), owner: owner))
    }

    /// The portable (cross-implementation) serialization.
    public func portableBytes() -> [UInt8] {
        let size = roaring_bitmap_portable_size_in_bytes(storage.pointer)
        var out = [UInt8](repeating: 0, count: size)
        out.withUnsafeMutableBytes { raw in
            _ = roaring_bitmap_portable_serialize(storage.pointer, raw.baseAddress!.assumingMemoryBound(to: CChar.self))
        }
        return out
    }

    /// Reads the portable serialization; `nil` if malformed.
    public init?(portable bytes: [UInt8]) {
        let pointer = bytes.withUnsafeBytes { raw in
            roaring_bitmap_portable_deserialize_safe(raw.baseAddress?.assumingMemoryBound(to: CChar.self), raw.count)
        }
        guard let pointer else { return nil }
        storage = Storage(pointer)
    }
}

extension RoaringBitmap {
    /// A bitmap of the given members (any order) added in one call.
    public init(members: UnsafeBufferPointer<UInt32>) {
        self.init()
        if let base = members.baseAddress, !members.isEmpty {
            roaring_bitmap_add_many(storage.pointer, members.count, base)
        }
    }
}
