import Synchronization

/// SQL's `random()`: uniform doubles in [0, 1), each the SplitMix64 mix of the statement's seed and a draw
/// number. Draw numbers come from one process-wide counter, so every row of every batch on every worker gets
/// its own draw without a generator shared under a lock; the seed changes with each statement.
package enum RandomDraws {
    private static let counter = Atomic<UInt64>(0)

    /// `count` values for a statement seeded with `seed`.
    static func values(seed: UInt64, count: Int) -> [Double] {
        let first = counter.add(UInt64(count), ordering: .relaxed).oldValue
        return (0..<count).map { i in uniform(mix(seed ^ mix(first &+ UInt64(i)))) }
    }

    /// SplitMix64's output function.
    package static func mix(_ x: UInt64) -> UInt64 {
        var z = x &+ 0x9E37_79B9_7F4A_7C15
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }

    /// The top 53 bits as a double in [0, 1).
    private static func uniform(_ bits: UInt64) -> Double { Double(bits >> 11) * 0x1.0p-53 }
}
