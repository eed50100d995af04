extension HyperLogLog {
    /// Linear counting over the 2²⁵ buckets of the sparse representation:
    /// n̂ = m′ · ln(m′ / (m′ − k)) for k occupied buckets.
    static func sparseEstimate(entries k: Int) -> Double {
        guard k > 0 else { return 0 }
        let m = Double(1 << sparsePrecision)
        // ln(m / (m − k)) = −ln(1 − t) = t + t²/2 + t³/3 + … with t = k/m ≤ 2⁻¹³: a few terms reach
        // full precision, with only IEEE arithmetic (no libm, so the same result everywhere).
        let t = Double(k) / m
        var power = t
        var sum = 0.0
        var n = 1.0
        while true {
            let next = sum + power / n
            if next == sum { break }
            sum = next
            power *= t
            n += 1
        }
        return m * sum
    }

    /// Ertl's improved raw estimator (2017, algorithm 6) over the register histogram: nearly
    /// unbiased from empty to 2⁶⁴ without bias-correction tables or a linear-counting switch.
    static func denseEstimate(_ registers: [UInt8]) -> Double {
        let q = 64 - precision
        var histogram = [Int](repeating: 0, count: q + 2)
        for r in registers { histogram[Int(r)] += 1 }
        let m = Double(registerCount)
        if histogram[0] == registerCount { return 0 }
        var z = m * tau(1 - Double(histogram[q + 1]) / m)
        for k in stride(from: q, through: 1, by: -1) {
            z = 0.5 * (z + Double(histogram[k]))
        }
        z += m * sigma(Double(histogram[0]) / m)
        let alphaInfinity = 1 / (2 * 0.693_147_180_559_945_3)  // 1 / (2 ln 2)
        return alphaInfinity * m * m / z
    }

    /// σ(x) = x + Σₖ≥₁ x^(2ᵏ) · 2ᵏ⁻¹.
    static func sigma(_ x: Double) -> Double {
        if x == 1 { return .infinity }
        var x = x
        var y = 1.0
        var z = x
        while true {
            x *= x
            let previous = z
            z += x * y
            y += y
            if z == previous { return z }
        }
    }

    /// τ(x) = (1 − x − Σₖ≥₁ (1 − x^(2⁻ᵏ))² · 2⁻ᵏ) / 3.
    static func tau(_ x: Double) -> Double {
        if x == 0 || x == 1 { return 0 }
        var x = x
        var y = 1.0
        var z = 1 - x
        while true {
            x = x.squareRoot()
            let previous = z
            y *= 0.5
            let d = 1 - x
            z -= d * d * y
            if z == previous { return z / 3 }
        }
    }
}
