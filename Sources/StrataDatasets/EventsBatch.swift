/// One day of the `events` dataset in columns, one array per CSV column, all of length ``count``.
///
/// Made by ``EventsDataset/Generator/batch(dayIndex:)``; the input of tests and of columnar appends.
public struct EventsBatch: Sendable, Hashable {
    /// The day (0 ..< ``EventsDataset/dayCount``) these rows belong to.
    public var dayIndex: Int
    /// Milliseconds since the Unix epoch, UTC, non-decreasing.
    public var ts: [Int64] = []
    public var userId: [String] = []
    public var event: [String] = []
    public var experiment: [String] = []
    public var variant: [String] = []
    public var country: [String] = []
    public var platform: [String] = []
    public var appVersion: [String] = []
    /// 0 unless the event is `purchase`; whole cents.
    public var revenue: [Double] = []
    public var latencyMs: [Int64] = []
    public var isNewUser: [Bool] = []

    /// An empty batch with room for `capacity` rows.
    public init(dayIndex: Int, capacity: Int = 0) {
        self.dayIndex = dayIndex
        ts.reserveCapacity(capacity)
        userId.reserveCapacity(capacity)
        event.reserveCapacity(capacity)
        experiment.reserveCapacity(capacity)
        variant.reserveCapacity(capacity)
        country.reserveCapacity(capacity)
        platform.reserveCapacity(capacity)
        appVersion.reserveCapacity(capacity)
        revenue.reserveCapacity(capacity)
        latencyMs.reserveCapacity(capacity)
        isNewUser.reserveCapacity(capacity)
    }

    /// Number of rows.
    public var count: Int { ts.count }

    /// The row at `index` as a typed value.
    public func row(at index: Int) -> EventsDataset.Row {
        EventsDataset.Row(
            ts: ts[index], userId: userId[index], event: event[index], experiment: experiment[index],
            variant: variant[index], country: country[index], platform: platform[index],
            appVersion: appVersion[index], revenue: revenue[index], latencyMs: latencyMs[index],
            isNewUser: isNewUser[index])
    }
}
