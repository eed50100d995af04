public import Strata
public import StrataCore
public import StrataDatasets
public import StrataStorage

/// The events table spec (``EventsDataset/tableSpec(name:)``) with block codec `codec`.
public func eventsSpec(codec: Codec = .lz4) -> TableSpec {
    var spec = EventsDataset.tableSpec()
    spec.codec = codec
    return spec
}

/// A rolled-up variant of ``eventsSpec(codec:)``: per minute and dimension combination (user ids
/// dropped), a row count, the revenue sum and the latency moments.
public func eventsRollupSpec() -> TableSpec {
    var spec = eventsSpec()
    spec.name = "events_minutely"
    spec.dimensions.removeFirst()
    spec.rollup = RollupSpec(
        granularity: .minute,
        aggregates: [
            AggregateSpec(name: "events", type: .count),
            AggregateSpec(name: "revenue", type: .sum, column: "revenue"),
            AggregateSpec(name: "latency", type: .moments, column: "latency_ms"),
        ])
    return spec
}

extension EventsBatch {
    /// Appends the rows of `other` (same columns).
    public mutating func append(contentsOf other: EventsBatch) {
        ts += other.ts
        userId += other.userId
        event += other.event
        experiment += other.experiment
        variant += other.variant
        country += other.country
        platform += other.platform
        appVersion += other.appVersion
        revenue += other.revenue
        latencyMs += other.latencyMs
        isNewUser += other.isNewUser
    }

    /// The rows as input columns of ``eventsSpec(codec:)`` (``TableSpec/inputColumns`` order:
    /// time, dimensions, metrics), strings dictionary-encoded in first-seen order, no nulls.
    public var inputColumns: [ColumnData] {
        [
            .int64(ts, validity: nil),
            Self.dictionaryEncoded(userId), Self.dictionaryEncoded(event), Self.dictionaryEncoded(experiment),
            Self.dictionaryEncoded(variant), Self.dictionaryEncoded(country), Self.dictionaryEncoded(platform),
            Self.dictionaryEncoded(appVersion),
            .bool(isNewUser, validity: nil),
            .double(revenue, validity: nil),
            .int64(latencyMs, validity: nil),
        ]
    }

    static func dictionaryEncoded(_ values: [String]) -> ColumnData {
        var dictionary: [String] = []
        var codesByValue: [String: UInt32] = [:]
        var codes: [UInt32] = []
        codes.reserveCapacity(values.count)
        for value in values {
            if let code = codesByValue[value] {
                codes.append(code)
            } else {
                let code = UInt32(dictionary.count)
                codesByValue[value] = code
                dictionary.append(value)
                codes.append(code)
            }
        }
        return .string(dictionary: dictionary, codes: codes, validity: nil)
    }
}

extension ColumnData {
    /// Bytes of the column as an uncompressed in-memory input: 8 per int64, timestamp or double,
    /// 1 per bool, 4 per dictionary code plus the dictionary's UTF-8 bytes, a sketch's bytes and offset.
    public var rawByteCount: Int {
        switch self {
        case .int64(let v, _): v.count * 8
        case .double(let v, _): v.count * 8
        case .bool(let v, _): v.count
        case .string(let dictionary, let codes, _): codes.count * 4 + dictionary.reduce(0) { $0 + $1.utf8.count }
        case .sketch(let bytes, let offsets, _): bytes.count + offsets.count * 8
        }
    }
}

/// Every day of an events dataset of `rows` rows concatenated into one batch (timestamps stay sorted).
public func eventsBatch(rows: Int, seed: UInt64 = 42) throws(StrataError) -> EventsBatch {
    let generator = try EventsDataset(rows: rows, seed: seed).makeGenerator()
    var all = EventsBatch(dayIndex: 0, capacity: rows)
    for day in 0..<EventsDataset.dayCount {
        all.append(contentsOf: generator.batch(dayIndex: day))
    }
    return all
}
