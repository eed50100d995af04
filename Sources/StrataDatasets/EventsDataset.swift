public import StrataCore

/// The synthetic A/B-experiment event stream of `shared/datasets/events.md`, generated
/// deterministically from a row count and a seed.
///
/// The same `(rows, seed)` gives byte-identical CSV and identical in-memory rows on every machine:
/// the generator uses its own PRNG (SplitMix64 streams, ``DatasetRandom``), its own elementary
/// functions (``DatasetMath``) and integer calendar arithmetic, never `Double.random`, `Hasher`,
/// the platform's libm or Foundation's calendars.
///
/// ## Shape
///
/// - **Time**: 30 days from 2026-10-01 00:00 UTC. Rows are split over days by weight (1 on
///   weekdays, 0.85 on Saturdays and Sundays), exactly, by cumulative rounding. Inside a day the
///   timestamps follow a diurnal curve peaking at 19:00–20:00 UTC (``EventsVocabulary/hourWeights``):
///   row *i* of *n* gets the quantile `(i + U)/n` of the day's curve with `U` uniform, so
///   timestamps are sorted by construction (within and across files) at O(1) cost per row.
/// - **Users**: exactly `max(1, rows / 25)` distinct users (0 when `rows` is 0); every user has at
///   least one row. User *k* (in activity order) gets `1 + R·(F((k+1)/U) − F(k/U))` rows of the
///   `R = rows − U` remaining, with a truncated power law `F(q) ∝ (q + 10⁻⁴)^0.172`, so the top 1%
///   of users hold ≈30% of rows at any scale while the busiest user stays near 10 000 rows.
///   The rows of all users are then shuffled (Fisher–Yates) over the time slots. `user_id` is
///   `u` + 8 digits from an affine bijection of the user number modulo 10⁸.
/// - **Per-user attributes** (fixed for a user): country (60 codes, Zipf, US largest), platform
///   (ios 40%, android 35%, web 25%), app version (40 versions, majors 4/5/6 at 15/60/25%),
///   `is_new_user` (12% true).
/// - **Experiments**: a user is in 1–4 distinct experiments drawn Zipf-weighted (exp_000
///   largest); the busiest users are in the most: the top 1% of users by activity in 4, the
///   next 2% in 3, the next 5% in 2, everybody else in 1. Each row carries one of its user's
///   experiments, uniformly. The variant is a stable hash of (user number, experiment) that does
///   not depend on the seed: control/treatment, plus treatment_b for exp_000…exp_009.
/// - **Exposure**: every (user, experiment) pair that has rows has exactly one `exposure` row,
///   at one of the pair's rows chosen uniformly, so every user with rows tagged with an
///   experiment has an exposure for it (the experiment analysis takes a unit's first `exposure`
///   row with `experiment = E`). Choosing the pair's first row instead would put half of the
///   first day's rows and nearly all exposures in the first week (every user shows up early);
///   a uniform choice spreads exposures evenly over the 30 days and leaves most units
///   pre-exposure rows (a CUPED pre-period). No other row is an exposure. The cost of that
///   guarantee: one exposure per pair, ≈1.12 pairs per user, is ≈4.5% of rows instead of the 3%
///   of events.md (with `rows/25` users and at least one experiment each, full coverage cannot
///   go below 4%). The other eleven events keep the proportions of events.md among the
///   remaining rows (page_view 45/97 of them, …).
/// - **Numbers**: `revenue` is 0 except on purchases, where it is lognormal with mean ≈35
///   rounded to cents (3% higher in the treatment arm of exp_000…exp_004); `latency_ms` is
///   lognormal with median ≈120 and σ 0.5, with a 3% slow tail (median 2 s, up to 60 000 ms),
///   5% slower in treatment_b.
public struct EventsDataset: Sendable, Hashable {
    /// Total number of rows over all days.
    public let rows: Int
    /// The seed; different seeds give different data.
    public let seed: UInt64

    /// The largest supported row count (user ids have 8 digits, so at most 10⁸ users).
    public static let maxRows = 2_500_000_000

    /// Describes a dataset; generating happens in ``makeGenerator()`` or ``writeCSV(to:progress:)``.
    ///
    /// - Parameters:
    ///   - rows: Total rows, 0 … ``maxRows``.
    ///   - seed: Any 64-bit seed.
    /// - Throws: `StrataError` with code `invalidArgument` when `rows` is out of range.
    public init(rows: Int, seed: UInt64 = 42) throws(StrataError) {
        guard rows >= 0, rows <= EventsDataset.maxRows else {
            throw StrataError(.invalidArgument, "rows must be between 0 and \(EventsDataset.maxRows), got \(rows)")
        }
        self.rows = rows
        self.seed = seed
    }

    /// Number of day files (30).
    public static let dayCount = EventsVocabulary.dayCount

    /// The CSV header line (without the newline).
    public static let csvHeader =
        "ts,user_id,event,experiment,variant,country,platform,app_version,revenue,latency_ms,is_new_user"

    /// Milliseconds since the Unix epoch of 2026-10-01 00:00:00 UTC, the start of day 0.
    public static let firstDayMillis = Int64(EventsVocabulary.firstDay) * DatasetCalendar.millisPerDay

    /// The number of distinct users: `max(1, rows / 25)`, or 0 for an empty dataset.
    public var userCount: Int { rows == 0 ? 0 : max(1, rows / 25) }

    /// `YYYY-MM-DD` of a day (0 ..< ``dayCount``).
    public static func dateText(dayIndex: Int) -> String {
        DatasetCalendar.dateText(days: EventsVocabulary.firstDay + dayIndex)
    }

    /// The file name of a day: `events-YYYY-MM-DD.csv`.
    public static func fileName(dayIndex: Int) -> String {
        "events-" + dateText(dayIndex: dayIndex) + ".csv"
    }

    /// Whether a day falls on a Saturday or Sunday.
    public static func isWeekend(dayIndex: Int) -> Bool {
        let weekday = DatasetCalendar.weekday(days: EventsVocabulary.firstDay + dayIndex)
        return weekday == 0 || weekday == 6
    }

    /// The global row numbers of a day's rows (rows are numbered in time order over all days).
    ///
    /// - Complexity: O(``dayCount``).
    public func rowRange(dayIndex: Int) -> Range<Int> {
        precondition(dayIndex >= 0 && dayIndex < EventsDataset.dayCount, "day index out of range")
        let offsets = dayOffsets()
        return offsets[dayIndex]..<offsets[dayIndex + 1]
    }

    /// Start of each day's rows, plus the total at the end (``dayCount`` + 1 values).
    func dayOffsets() -> [Int] {
        var weights: [Double] = []
        for day in 0..<EventsDataset.dayCount {
            weights.append(EventsDataset.isWeekend(dayIndex: day) ? EventsVocabulary.weekendFactor : 1)
        }
        return Self.apportion(rows, weights: weights)
    }

    /// Splits `total` into parts proportional to `weights` by cumulative rounding; returns the
    /// `weights.count + 1` running totals (first 0, last `total`). Deterministic and exact.
    static func apportion(_ total: Int, weights: [Double]) -> [Int] {
        var sum = 0.0
        for weight in weights { sum += weight }
        var offsets = [0]
        var running = 0.0
        for (index, weight) in weights.enumerated() {
            running += weight
            let bound = index == weights.count - 1 ? total : Int((Double(total) * running / sum).rounded(.down))
            offsets.append(min(total, max(offsets[offsets.count - 1], bound)))
        }
        return offsets
    }

    /// Builds the per-user attributes and the row plan, after which days can be generated in any
    /// order (and from several threads).
    ///
    /// - Complexity: O(rows) time; 4 bytes per row plus ≈30 bytes per user of memory.
    public func makeGenerator() -> Generator {
        Generator(self)
    }
}

extension EventsDataset {
    /// One generated row, with the values of the CSV columns.
    public struct Row: Sendable, Hashable {
        /// Milliseconds since the Unix epoch, UTC.
        public var ts: Int64
        public var userId: String
        public var event: String
        public var experiment: String
        public var variant: String
        public var country: String
        public var platform: String
        public var appVersion: String
        /// 0 unless `event == "purchase"`; whole cents.
        public var revenue: Double
        public var latencyMs: Int64
        public var isNewUser: Bool

        public init(
            ts: Int64, userId: String, event: String, experiment: String, variant: String, country: String,
            platform: String, appVersion: String, revenue: Double, latencyMs: Int64, isNewUser: Bool
        ) {
            self.ts = ts
            self.userId = userId
            self.event = event
            self.experiment = experiment
            self.variant = variant
            self.country = country
            self.platform = platform
            self.appVersion = appVersion
            self.revenue = revenue
            self.latencyMs = latencyMs
            self.isNewUser = isNewUser
        }

        /// `ts` as `YYYY-MM-DD HH:MM:SS.mmm`.
        public var timestampText: String { DatasetCalendar.timestampText(millis: ts) }
    }
}
