/// A HyperLogLog sketch of a set of values: the state of `approx_count_distinct`.
///
/// Precision p = 14 (16 384 registers). The relative standard error of ``estimate`` is
/// 1.04 / √16384 ≈ **0.81 %** (``standardError``); about 99.7 % of estimates fall within
/// three standard errors, ±2.44 %.
///
/// The sketch follows HyperLogLog++ (Heule, Nunkesser, Hall, 2013) for small sets and
/// Ertl's improved estimator (Ertl, *New cardinality estimation algorithms for HyperLogLog
/// sketches*, 2017) for large ones:
/// - **Sparse** while at most 4096 distinct 25-bit hash prefixes were seen: a sorted list of
///   (25-bit index, rank) entries, estimated by linear counting over 2²⁵ buckets. Up to a few
///   thousand distinct values the estimate is exact or off by one or two.
/// - **Dense** beyond that: 16 384 six-bit registers, estimated with Ertl's improved raw
///   estimator, which is nearly unbiased over the whole range without empirical bias tables.
///
/// The sketch is **deterministic**: its state, and so ``serialized()``, is a function of the
/// *set* of inserted hashes only, not of their order, their repetitions, or how the inserts were
/// split across merged sketches. `a.merge(b)` gives exactly the bytes of a sketch fed
/// the union of both inputs. Values are hashed with ``StrataHash`` (XXH64, seed 0), never with
/// Swift's per-process-seeded `Hasher`.
///
/// ```swift
/// var users = HyperLogLog()
/// users.insert("alice")
/// users.insert("bob")
/// users.insert("alice")
/// users.estimate  // 2
/// ```
public struct HyperLogLog: Sendable {
    /// The number of index bits, p.
    public static let precision = 14
    /// The number of registers, m = 2ᵖ.
    public static let registerCount = 1 << precision
    /// The relative standard error of ``estimate`` in the dense representation, 1.04 / √m ≈ 0.0081.
    public static let standardError = 1.04 / 128.0

    /// Index bits of a sparse entry, p′.
    @usableFromInline static let sparsePrecision = 25
    /// The most entries a sparse sketch holds; one more makes it dense. 4096 four-byte entries
    /// take the memory of the 16 384 one-byte registers.
    @usableFromInline static let sparseLimit = registerCount / 4
    /// Unsorted sparse entries buffered before they are sorted into ``sparse``.
    @usableFromInline static let pendingLimit = 1024

    /// One byte per register (values 0…51) once dense; empty while sparse.
    @usableFromInline var registers: [UInt8] = []
    /// Sorted, one entry per 25-bit index (the highest rank seen): `index << 6 | rank`.
    @usableFromInline var sparse: [UInt32] = []
    /// Sparse entries not yet merged into ``sparse``.
    @usableFromInline var pending: [UInt32] = []

    /// An empty sketch.
    public init() {}

    /// Whether the sketch uses the dense register array (more than 4096 distinct 25-bit prefixes seen).
    public var isDense: Bool { !registers.isEmpty }

    /// Adds a value given by its 64-bit hash (``StrataHash``).
    ///
    /// Use this when the engine has hashed values once, for example a segment's dictionary.
    /// The hash must come from ``StrataHash`` for sketches to be mergeable with others.
    /// - Complexity: Amortized O(1).
    @inlinable
    public mutating func insert(hash: UInt64) {
        if !registers.isEmpty {
            let index = Int(truncatingIfNeeded: hash &>> UInt64(64 - Self.precision))
            let rank = Self.rank(hash, precision: Self.precision)
            if rank > registers[index] { registers[index] = rank }
        } else {
            pending.append(Self.sparseEntry(hash))
            if pending.count >= Self.pendingLimit { compactSparse() }
        }
    }

    /// Adds a 64-bit integer (hashed with ``StrataHash/hash64(_:)-(Int64)``).
    @inlinable
    public mutating func insert(_ value: Int64) {
        insert(hash: StrataHash.hash64(value))
    }

    /// Adds a double (hashed by its canonical bits: `-0.0` counts as `0.0`, all NaNs as one value).
    @inlinable
    public mutating func insert(_ value: Double) {
        insert(hash: StrataHash.hash64(value))
    }

    /// Adds a string (hashed by its UTF-8 bytes).
    @inlinable
    public mutating func insert(_ string: String) {
        insert(hash: StrataHash.hash64(string))
    }

    /// Adds a value given by its raw bytes.
    @inlinable
    public mutating func insert(bytes: UnsafeRawBufferPointer) {
        insert(hash: StrataHash.hash64(bytes: bytes))
    }

    /// Makes this sketch the sketch of the union of both inputs.
    ///
    /// The result is identical (same ``serialized()`` bytes) to one sketch fed every value of both.
    /// - Complexity: O(m) when either is dense, else O(k log k) in the sparse entries.
    public mutating func merge(_ other: HyperLogLog) {
        if other.isDense {
            if !isDense { makeDense() }
            for i in 0..<Self.registerCount where other.registers[i] > registers[i] {
                registers[i] = other.registers[i]
            }
        } else if isDense {
            for entry in other.sparse { setRegister(fromSparse: entry) }
            for entry in other.pending { setRegister(fromSparse: entry) }
        } else {
            pending += other.sparse
            pending += other.pending
            compactSparse()
        }
    }

    /// The sketch of the union of two sketches, leaving both unchanged.
    public func merging(_ other: HyperLogLog) -> HyperLogLog {
        var copy = self
        copy.merge(other)
        return copy
    }

    /// The estimated number of distinct values, rounded to the nearest integer.
    ///
    /// Relative standard error ≈ 0.81 % (``standardError``); near exact below a few thousand.
    /// - Complexity: O(m) when dense; O(k log k) in the sparse entries otherwise.
    public var estimate: Int64 {
        Int64(cardinality.rounded())
    }

    /// The estimated number of distinct values, unrounded.
    public var cardinality: Double {
        var normalized = self
        normalized.compactSparse()
        if normalized.isDense {
            return Self.denseEstimate(normalized.registers)
        }
        return Self.sparseEstimate(entries: normalized.sparse.count)
    }

    // MARK: Internals

    /// The rank of a hash for `precision` index bits: 1 + the leading zeros of the bits after the
    /// index, at most 64 − precision + 1.
    @inlinable
    static func rank(_ hash: UInt64, precision: Int) -> UInt8 {
        let rest = (hash &<< UInt64(precision)) | (1 &<< UInt64(precision &- 1))
        return UInt8(truncatingIfNeeded: rest.leadingZeroBitCount &+ 1)
    }

    /// `index′ << 6 | rank′` for p′ = 25; ranks are 1…40, so an entry fits 31 bits.
    @inlinable
    static func sparseEntry(_ hash: UInt64) -> UInt32 {
        let index = UInt32(truncatingIfNeeded: hash &>> UInt64(64 - sparsePrecision))
        return index &<< 6 | UInt32(rank(hash, precision: sparsePrecision))
    }

    /// The dense register index and rank a sparse entry stands for (no information is lost:
    /// the rank at p = 14 follows from the 11 extra index bits and the rank at p′ = 25).
    static func denseRegister(fromSparse entry: UInt32) -> (index: Int, rank: UInt8) {
        let extraBits = sparsePrecision - precision
        let sparseIndex = entry >> 6
        let sparseRank = UInt8(entry & 0x3F)
        let index = Int(sparseIndex >> UInt32(extraBits))
        let extra = sparseIndex & ((1 << UInt32(extraBits)) - 1)
        if extra != 0 {
            return (index, UInt8(extra.leadingZeroBitCount - (32 - extraBits) + 1))
        }
        return (index, UInt8(extraBits) + sparseRank)
    }

    mutating func setRegister(fromSparse entry: UInt32) {
        let (index, rank) = Self.denseRegister(fromSparse: entry)
        if rank > registers[index] { registers[index] = rank }
    }

    /// Sorts pending entries into the sparse list (keeping the highest rank per index) and turns
    /// the sketch dense when the list outgrows ``sparseLimit``.
    @usableFromInline
    mutating func compactSparse() {
        guard !isDense, !pending.isEmpty else { return }
        Self.sortEntries(&pending)
        var merged: [UInt32] = []
        merged.reserveCapacity(sparse.count + pending.count)
        var i = 0
        var j = 0
        while i < sparse.count || j < pending.count {
            let next: UInt32
            if j == pending.count || (i < sparse.count && sparse[i] <= pending[j]) {
                next = sparse[i]
                i += 1
            } else {
                next = pending[j]
                j += 1
            }
            // Entries sort by index then rank, so the last entry of an index has its highest rank.
            if let last = merged.last, last >> 6 == next >> 6 {
                merged[merged.count - 1] = next
            } else {
                merged.append(next)
            }
        }
        pending = []
        sparse = merged
        if sparse.count > Self.sparseLimit { makeDense() }
    }

    /// Sorts sparse entries ascending: a radix sort, one byte a pass (a comparison sort of the 1024 random
    /// entries of a full pending list mispredicts a branch at every other comparison); short lists by `sort()`.
    @usableFromInline
    static func sortEntries(_ entries: inout [UInt32]) {
        guard entries.count > 64 else {
            entries.sort()
            return
        }
        var scratch = [UInt32](repeating: 0, count: entries.count)
        entries.withUnsafeMutableBufferPointer { a in
            scratch.withUnsafeMutableBufferPointer { b in
                withUnsafeTemporaryAllocation(of: Int.self, capacity: 256) { counts in
                    var from = a
                    var to = b
                    // Four passes (an even number): the sorted entries end where they started.
                    for shift: UInt32 in [0, 8, 16, 24] {
                        counts.initialize(repeating: 0)
                        for x in from { counts[Int(truncatingIfNeeded: (x &>> shift) & 0xFF)] &+= 1 }
                        var offset = 0
                        for d in 0..<256 {
                            let n = counts[d]
                            counts[d] = offset
                            offset &+= n
                        }
                        for x in from {
                            let d = Int(truncatingIfNeeded: (x &>> shift) & 0xFF)
                            to[counts[d]] = x
                            counts[d] &+= 1
                        }
                        swap(&from, &to)
                    }
                }
            }
        }
    }

    mutating func makeDense() {
        guard !isDense else { return }
        registers = [UInt8](repeating: 0, count: Self.registerCount)
        for entry in sparse { setRegister(fromSparse: entry) }
        for entry in pending { setRegister(fromSparse: entry) }
        sparse = []
        pending = []
    }
}

extension HyperLogLog: Equatable {
    /// Two sketches are equal when they summarize the same set of hashes as far as the sketch can
    /// tell, that is when their ``serialized()`` bytes are equal.
    public static func == (lhs: HyperLogLog, rhs: HyperLogLog) -> Bool {
        var a = lhs
        var b = rhs
        a.compactSparse()
        b.compactSparse()
        return a.registers == b.registers && a.sparse == b.sparse
    }
}
