/// A SplitMix64 pseudo-random stream: tiny, fast, and the same on every machine.
///
/// The dataset generators never use the standard library's random numbers (their algorithm is
/// unspecified and may change) nor `Hasher` (seeded per process): every value they produce is a
/// pure function of a seed. Independent streams come from ``DatasetRandom/init(seed:stream:)``,
/// which mixes a stream number into the seed, so a day's rows do not depend on how many numbers
/// another day consumed.
struct DatasetRandom {
    private var state: UInt64

    /// A stream from a raw 64-bit state.
    init(state: UInt64) {
        self.state = state
    }

    /// The stream numbered `stream` of the dataset seeded with `seed`.
    init(seed: UInt64, stream: UInt64) {
        self.state = DatasetRandom.mix(seed ^ DatasetRandom.mix(stream &+ 0x5851_F42D_4C95_7F2D))
    }

    /// The next 64 random bits.
    @inline(__always)
    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        return DatasetRandom.mix(state)
    }

    /// A uniform integer in `0..<bound` (multiply-high; the bias, below bound / 2^64, is negligible).
    @inline(__always)
    mutating func next(below bound: Int) -> Int {
        Int(truncatingIfNeeded: next().multipliedFullWidth(by: UInt64(bound)).high)
    }

    /// A uniform double in [0, 1) with 53 random bits.
    @inline(__always)
    mutating func nextUnit() -> Double {
        Double(next() >> 11) * 0x1p-53
    }

    /// The SplitMix64 finalizer: a bijective 64-bit mix, also used as the stable hash of ids.
    @inline(__always)
    static func mix(_ value: UInt64) -> UInt64 {
        var z = value
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }
}
