import Foundation

/// SplitMix64: a tiny deterministic generator, so every sketch test sees the same data on every run.
struct SketchRandom {
    var state: UInt64

    init(seed: UInt64) {
        state = seed
    }

    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }

    /// Uniform in [0, 1).
    mutating func unit() -> Double {
        Double(next() >> 11) * 0x1p-53
    }

    /// Standard normal (Box–Muller).
    mutating func normal() -> Double {
        let u = 1 - unit()
        let v = unit()
        return (-2 * log(u)).squareRoot() * cos(2 * Double.pi * v)
    }

    /// Fisher–Yates shuffle driven by this generator.
    mutating func shuffle<T>(_ array: inout [T]) {
        guard array.count > 1 else { return }
        for i in stride(from: array.count - 1, to: 0, by: -1) {
            let j = Int(next() % UInt64(i + 1))
            array.swapAt(i, j)
        }
    }
}

/// The distributions the quantile tests run on.
enum SketchDistribution: String, CaseIterable, CustomStringConvertible {
    /// Uniform in [0, 1000).
    case uniform
    /// Latencies in ms: lognormal with median 120, σ = 1.5, capped at 60 000.
    case lognormalLatency
    /// Discrete and skewed: Zipf-like integers 1…100 (1 is most frequent), many exact duplicates.
    case skewedDiscrete
    /// Normal around 0 with σ = 50: both signs and values near zero.
    case signedNormal
    /// Magnitudes spread over 600 orders of magnitude, both signs, and exact zeros.
    case extremeRange

    var description: String { rawValue }

    func values(count: Int, seed: UInt64) -> [Double] {
        var random = SketchRandom(seed: seed)
        return (0..<count).map { _ in
            switch self {
            case .uniform:
                return random.unit() * 1000
            case .lognormalLatency:
                return min(60_000, exp(log(120) + 1.5 * random.normal()))
            case .skewedDiscrete:
                // Inverse-CDF of a continuous 1/x² tail, floored: P(k) ~ 1/k².
                return min(100, (1 / (1 - random.unit() * 0.99)).rounded(.down))
            case .signedNormal:
                return 50 * random.normal()
            case .extremeRange:
                let r = random.next()
                if r % 17 == 0 { return 0 }
                let magnitude = pow(10, random.unit() * 600 - 300)
                return r % 2 == 0 ? magnitude : -magnitude
            }
        }
    }
}
