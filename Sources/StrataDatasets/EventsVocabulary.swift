/// The values and weights of the `events` dataset (shared/datasets/events.md), in one place.
enum EventsVocabulary {
    // MARK: Events

    /// The 12 event names; an event's code is its index here.
    static let events = [
        "page_view", "click", "search", "notification_sent", "add_to_cart", "exposure",
        "notification_open", "logout", "error", "share", "purchase", "signup",
    ]
    /// Each event's share in half-percent units (sums to 200): 45%, 20%, 8%, 7%, 4%, 3%, 3%, 3%, 2.5%, 2%, 1.5%, 1%.
    static let eventHalfPercents: [Int] = [90, 40, 16, 14, 8, 6, 6, 6, 5, 4, 3, 2]
    static let exposure: UInt8 = 5
    static let purchase: UInt8 = 10

    /// The events a non-exposure row draws from, one entry per half percent, exposure left out
    /// (exposures are placed by the membership plan, see ``EventsDataset``).
    static let nonExposureEventTable: [UInt8] = {
        var table: [UInt8] = []
        for (code, count) in eventHalfPercents.enumerated() where UInt8(code) != exposure {
            table += repeatElement(UInt8(code), count: count)
        }
        return table
    }()

    // MARK: Experiments and variants

    static let experimentCount = 40
    /// `exp_000` … `exp_039`.
    static let experiments: [String] = (0..<experimentCount).map { index in
        "exp_" + String(repeating: "0", count: index < 10 ? 2 : 1) + String(index)
    }
    /// Zipf (s = 1) popularity: exp_000 largest.
    static let experimentWeights: [Double] = (0..<experimentCount).map { 1.0 / Double($0 + 1) }
    /// Experiments exp_000 … exp_009 have a third arm, `treatment_b`.
    static let threeArmExperiments = 10
    /// The `treatment` arm of exp_000 … exp_004 converts to 3% more revenue.
    static let revenueLiftExperiments = 5
    static let revenueLift = 1.03
    /// `treatment_b` is 5% slower.
    static let latencySlowdown = 1.05

    static let variants = ["control", "treatment", "treatment_b"]
    static let control: UInt8 = 0
    static let treatment: UInt8 = 1
    static let treatmentB: UInt8 = 2

    // MARK: Per-user attributes

    /// 60 ISO 3166-1 alpha-2 codes in Zipf order (s = 1): US largest.
    static let countries = [
        "US", "IN", "BR", "GB", "DE", "FR", "JP", "CA", "MX", "ID",
        "IT", "ES", "KR", "AU", "TR", "PH", "NL", "PL", "VN", "AR",
        "CO", "SA", "TH", "EG", "NG", "PK", "BD", "MY", "ZA", "SE",
        "CH", "BE", "AT", "CL", "PE", "IL", "AE", "SG", "IE", "NO",
        "DK", "FI", "PT", "GR", "CZ", "RO", "HU", "UA", "NZ", "HK",
        "TW", "KE", "MA", "DZ", "VE", "EC", "RS", "BG", "HR", "SK",
    ]
    static let countryWeights: [Double] = (0..<60).map { 1.0 / Double($0 + 1) }

    static let platforms = ["ios", "android", "web"]
    static let platformWeights: [Double] = [40, 35, 25]

    /// 40 app versions: 6 of 4.x.y (15% of users), 24 of 5.x.y (60%), 10 of 6.x.y (25%); inside a
    /// major version, newer releases have more users (weight grows linearly).
    static let appVersions: [String] = {
        var names: [String] = []
        for (major, minors) in [(4, 3), (5, 12), (6, 5)] {
            for minor in 0..<minors {
                for patch in 0..<2 { names.append("\(major).\(minor).\(patch)") }
            }
        }
        return names
    }()
    static let appVersionWeights: [Double] = {
        var weights: [Double] = []
        for (share, count) in [(15.0, 6), (60.0, 24), (25.0, 10)] {
            let total = Double(count * (count + 1) / 2)
            for index in 0..<count { weights.append(share * Double(index + 1) / total) }
        }
        return weights
    }()

    /// Share of users with `is_new_user = true`.
    static let newUserShare = 0.12

    // MARK: Time

    /// First day of the dataset: 2026-10-01 (a Thursday), as days since 1970-01-01.
    static let firstDay = DatasetCalendar.daysFromCivil(year: 2026, month: 10, day: 1)
    static let dayCount = 30
    /// A Saturday or Sunday has 15% fewer rows.
    static let weekendFactor = 0.85
    /// Relative traffic of each UTC hour (at the hour's middle); the peak is 19:00–20:00 UTC.
    static let hourWeights: [Double] = [
        0.62, 0.50, 0.40, 0.32, 0.27, 0.24, 0.23, 0.25, 0.30, 0.37, 0.45, 0.53,
        0.61, 0.69, 0.76, 0.83, 0.89, 0.95, 1.00, 1.04, 1.00, 0.93, 0.84, 0.73,
    ]
    /// Cumulative traffic at each minute boundary of a day (1441 values, 0 … 1): the diurnal
    /// curve linearly interpolated between hour middles, constant inside a minute.
    static let minuteCumulative: [Double] = {
        var cumulative = [0.0]
        cumulative.reserveCapacity(1441)
        var total = 0.0
        for minute in 0..<1440 {
            let position = (Double(minute) + 0.5) / 60 - 0.5  // in hours, relative to hour middles
            let lower = Int((position + 24).rounded(.down)) % 24
            let fraction = position + 24 - (position + 24).rounded(.down)
            let weight = hourWeights[lower] * (1 - fraction) + hourWeights[(lower + 1) % 24] * fraction
            total += weight
            cumulative.append(total)
        }
        return cumulative.map { $0 / total }
    }()

    // MARK: Numeric distributions (quantile tables, built with DatasetMath)

    /// Latency body: lognormal, median 120 ms, σ = 0.5; 65 536 quantiles.
    static let latencyBody: [Double] = quantileTable(count: 1 << 16) { z in
        120 * DatasetMath.exp(0.5 * z)
    }
    /// Latency slow tail (3% of rows): lognormal, median 2 s, σ = 1, clamped to 600 … 60 000 ms.
    static let latencyTail: [Double] = quantileTable(count: 1 << 12) { z in
        min(60_000, max(600, 2_000 * DatasetMath.exp(z)))
    }
    /// Share of rows in the latency slow tail, as a threshold on 32 random bits.
    static let latencyTailThreshold = UInt64(0.03 * 4_294_967_296.0)
    /// Purchase revenue: lognormal with mean 35 (σ = 0.8, μ = ln 35 − σ²/2); 65 536 quantiles.
    static let revenue: [Double] = {
        let sigma = 0.8
        let mu = DatasetMath.log(35) - sigma * sigma / 2
        return quantileTable(count: 1 << 16) { z in DatasetMath.exp(mu + sigma * z) }
    }()

    private static func quantileTable(count: Int, _ transform: (Double) -> Double) -> [Double] {
        (0..<count).map { index in transform(DatasetMath.normalQuantile((Double(index) + 0.5) / Double(count))) }
    }
}

/// A discrete distribution over `0..<weights.count`, sampled with one uniform double.
struct WeightedChoice: Sendable {
    private let cumulative: [Double]

    init(_ weights: [Double]) {
        var total = 0.0
        var running: [Double] = []
        for weight in weights {
            total += weight
            running.append(total)
        }
        cumulative = running.map { $0 / total }
    }

    /// The index whose cumulative interval holds `unit` (in [0, 1)).
    func index(_ unit: Double) -> Int {
        var low = 0
        var high = cumulative.count - 1
        while low < high {
            let mid = (low + high) / 2
            if unit < cumulative[mid] { high = mid } else { low = mid + 1 }
        }
        return low
    }
}
