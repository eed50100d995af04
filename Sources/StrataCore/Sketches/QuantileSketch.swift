/// A deterministic, mergeable quantile sketch with a relative-error guarantee: the state of
/// `approx_quantile(x, q)`.
///
/// This is a DDSketch (Masson, Rim, Lee, *DDSketch: a fast and fully-mergeable quantile sketch
/// with relative-error guarantees*, VLDB 2019) with a piecewise-linear logarithm: a finite value
/// x = ±(1 + s) · 2ᵉ (0 ≤ s < 1) goes to bucket ⌈50 · (e + s)⌉ of its sign. Since e + s grows at
/// least as fast as the natural logarithm of |x|, every bucket spans values whose ratio is at
/// most e^0.02, and its representative (the harmonic mean of its bounds) is within
/// tanh(0.01) ≈ 0.99997 % of every value in it.
///
/// ## Error bound
/// For q in [0, 1] over n finite values with order statistics x₍₀₎ ≤ … ≤ x₍ₙ₋₁₎, let
/// r = q · (n − 1), lo = x₍⌊r⌋₎, hi = x₍⌈r⌉₎, and let c = lo · (1 − d) + hi · d with d = r − ⌊r⌋ be the exact
/// `quantile_cont(x, q)`. ``quantile(_:)`` returns the same interpolation over the buckets' values
/// and guarantees
/// - |estimate − c| ≤ α · |c| with α = ``relativeAccuracy`` = 1 % whenever lo and hi do not have
///   opposite signs (always, for non-negative data such as latencies or counts), and
/// - |estimate − c| ≤ α · max(|lo|, |hi|) when they do;
/// - q = 0 and q = 1 return the exact minimum and maximum, and every estimate lies in
///   [minimum, maximum].
///
/// Values with magnitude below `Double.leastNormalMagnitude` (≈ 2.2e−308) count as zero (absolute
/// error below 2.3e−308). Non-finite values (±∞, NaN) are ignored, as DuckDB's `approx_quantile`
/// ignores them.
///
/// ## Determinism and merging
/// The state is bucket counts plus the exact minimum and maximum, so it depends only on the
/// *multiset* of inserted values: input order, and how inputs are split across merged sketches,
/// never change it. `a.merge(b)` is byte-identical to a sketch fed both inputs.
///
/// ## Size
/// One bucket per distinct ⌈50 · log₂-ish⌉ key in use: about 166 buckets per decade of magnitude
/// (values from 0.001 to 10⁶ use at most ~1 500 buckets). There is no bucket cap, so the bound
/// holds for every quantile; serialized, each non-empty bucket takes 2–6 bytes.
///
/// ## Compared with DuckDB
/// DuckDB's `approx_quantile` is a t-digest without a hard error bound; its estimates differ from
/// these (both are approximations of the same `quantile_cont` target, but DuckDB's is not
/// guaranteed within 1 %). DuckDB casts the result to the input type (BIGINT input gives a BIGINT
/// result); this sketch returns a `Double` and leaves rounding to the caller.
public struct QuantileSketch: Sendable {
    /// The guaranteed relative accuracy α of ``quantile(_:)``: 1 % (the exact worst case is
    /// tanh(0.01) ≈ 0.0099997).
    public static let relativeAccuracy = 0.01
    /// Buckets per unit of the piecewise-linear log₂ (that is, per doubling of magnitude).
    @usableFromInline static let bucketsPerBinade = 50.0
    /// The key of `Double.leastNormalMagnitude`, the lowest key in use.
    @usableFromInline static let minKey = -51_100
    /// The key of `Double.greatestFiniteMagnitude`, the highest key in use.
    @usableFromInline static let maxKey = 51_200

    @usableFromInline var positive = BucketStore()
    @usableFromInline var negative = BucketStore()
    @usableFromInline var zeroCount: UInt64 = 0
    @usableFromInline var total: UInt64 = 0
    /// The exact smallest value inserted (`+∞` while empty); `-0.0` is stored as `0.0`.
    @usableFromInline var minimumValue = Double.infinity
    /// The exact largest value inserted (`-∞` while empty).
    @usableFromInline var maximumValue = -Double.infinity

    /// An empty sketch.
    public init() {}

    /// The number of finite values inserted.
    public var count: UInt64 { total }

    /// Whether no finite value was inserted.
    public var isEmpty: Bool { count == 0 }

    /// The exact smallest finite value inserted, or `nil` when empty.
    public var minimum: Double? { count == 0 ? nil : minimumValue }

    /// The exact largest finite value inserted, or `nil` when empty.
    public var maximum: Double? { count == 0 ? nil : maximumValue }

    /// Adds one value. Non-finite values are ignored.
    /// - Complexity: Amortized O(1).
    @inlinable
    public mutating func insert(_ x: Double) {
        insert(x, count: 1)
    }

    /// Adds a value `n` times (for example a value and its count from a rolled-up row).
    /// Non-finite values are ignored.
    /// - Complexity: Amortized O(1).
    @inlinable
    public mutating func insert(_ x: Double, count n: UInt64) {
        guard x.isFinite, n > 0 else { return }
        total &+= n
        let value = x == 0 ? 0.0 : x
        if value < minimumValue { minimumValue = value }
        if value > maximumValue { maximumValue = value }
        let magnitude = value.magnitude
        if magnitude < Double.leastNormalMagnitude {
            zeroCount &+= n
        } else if value > 0 {
            positive.add(Self.key(magnitude), n)
        } else {
            negative.add(Self.key(magnitude), n)
        }
    }

    /// Adds every value of `other`, as if they had been inserted here.
    ///
    /// The result is identical (same ``serialized()`` bytes) to one sketch fed both inputs.
    /// - Complexity: O(buckets of `other`).
    public mutating func merge(_ other: QuantileSketch) {
        guard other.count > 0 else { return }
        total &+= other.total
        zeroCount &+= other.zeroCount
        if other.minimumValue < minimumValue { minimumValue = other.minimumValue }
        if other.maximumValue > maximumValue { maximumValue = other.maximumValue }
        other.positive.forEachBucket(ascending: true) { key, n in positive.add(key, n) }
        other.negative.forEachBucket(ascending: true) { key, n in negative.add(key, n) }
    }

    /// The sketch of both inputs, leaving both unchanged.
    public func merging(_ other: QuantileSketch) -> QuantileSketch {
        var copy = self
        copy.merge(other)
        return copy
    }

    /// The estimated `quantile_cont(x, q)`: within 1 % of the exact value (see the type's
    /// discussion for the precise bound).
    ///
    /// - Parameter q: The quantile, in [0, 1].
    /// - Returns: The estimate, or `nil` when the sketch is empty (SQL NULL).
    /// - Throws: `StrataError` with code `.invalidArgument` when `q` is outside [0, 1] or NaN.
    /// - Complexity: O(buckets).
    public func quantile(_ q: Double) throws(StrataError) -> Double? {
        guard q >= 0, q <= 1 else {
            throw StrataError(
                .invalidArgument, "APPROXIMATE QUANTILE can only take parameters in range [0, 1], got \(q)")
        }
        guard count > 0 else { return nil }
        let position = Double(count - 1) * q
        let lower = position.rounded(.down)
        let upper = position.rounded(.up)
        let lo = value(atRank: UInt64(lower))
        if lower == upper { return lo }
        let hi = value(atRank: UInt64(upper))
        let estimate = ExactQuantile.interpolate(lo, hi, position - lower)
        return Swift.min(Swift.max(estimate, minimumValue), maximumValue)
    }

    // MARK: Internals

    /// The bucket key of a positive normal magnitude: ⌈50 · (e + s)⌉ for magnitude = (1 + s) · 2ᵉ.
    /// Exact IEEE arithmetic only, so keys are the same on every platform.
    @inlinable
    static func key(_ magnitude: Double) -> Int {
        let bits = magnitude.bitPattern
        let exponent = Int(truncatingIfNeeded: bits &>> 52) &- 1023
        let fraction = Double(bitPattern: (bits & 0x000F_FFFF_FFFF_FFFF) | 0x3FF0_0000_0000_0000) - 1
        return Int(((Double(exponent) + fraction) * bucketsPerBinade).rounded(.up))
    }

    /// The inverse of the piecewise-linear logarithm: (1 + s) · 2ᵉ for y = e + s.
    static func magnitude(atLog y: Double) -> Double {
        let exponent = y.rounded(.down)
        return Double(sign: .plus, exponent: Int(exponent), significand: 1 + (y - exponent))
    }

    /// The representative magnitude of bucket `key`: the harmonic mean of its bounds, which is
    /// within tanh(0.01) relative error of every magnitude in the bucket.
    static func representative(_ key: Int) -> Double {
        let lo = magnitude(atLog: Double(key - 1) / bucketsPerBinade)
        let hi = magnitude(atLog: Double(key) / bucketsPerBinade)
        return 2 / (1 / lo + 1 / hi)
    }

    /// The estimated value of order statistic `rank` (0-based, ascending); exact at both ends.
    func value(atRank rank: UInt64) -> Double {
        if rank == 0 { return minimumValue }
        if rank == count - 1 { return maximumValue }
        var remaining = rank
        var found: Double?
        negative.forEachBucket(ascending: false) { key, n in
            guard found == nil else { return }
            if remaining < n { found = -Self.representative(key) } else { remaining -= n }
        }
        if let found { return Swift.min(Swift.max(found, minimumValue), maximumValue) }
        if remaining < zeroCount { return 0 }
        remaining -= zeroCount
        positive.forEachBucket(ascending: true) { key, n in
            guard found == nil else { return }
            if remaining < n { found = Self.representative(key) } else { remaining -= n }
        }
        return Swift.min(Swift.max(found ?? maximumValue, minimumValue), maximumValue)
    }
}

extension QuantileSketch: Equatable {
    /// Two sketches are equal when they hold the same buckets, minimum and maximum, that is when
    /// their ``serialized()`` bytes are equal.
    public static func == (lhs: QuantileSketch, rhs: QuantileSketch) -> Bool {
        lhs.count == rhs.count && lhs.zeroCount == rhs.zeroCount
            && lhs.minimumValue.bitPattern == rhs.minimumValue.bitPattern
            && lhs.maximumValue.bitPattern == rhs.maximumValue.bitPattern
            && lhs.positive == rhs.positive && lhs.negative == rhs.negative
    }
}
