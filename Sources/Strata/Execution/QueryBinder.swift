import StrataCore

/// A column the query reads, resolved against the table's stored columns.
struct BoundColumn: Hashable {
    let name: String
    let type: DataType
    /// Position in `TableSpec.storedColumns`.
    let index: Int
    /// Holds serialized sketches (typed `string`, but with no dictionary).
    var isSketch = false

    /// A string column read through a dictionary.
    var hasDictionary: Bool { type == .string && !isSketch }
}

/// A query with names resolved and literals coerced to their columns' types.
struct BoundQuery {
    enum Key: Hashable {
        case column(BoundColumn)
        case timeBucket(TimeUnit)
        case fixedBucket(Int64)
    }

    let query: Query
    let columns: [String: BoundColumn]
    let filter: Filter?
    let keys: [Key]
    let aggregations: [(aggregation: Aggregation, column: BoundColumn?, filter: Filter?)]
    /// Every column the scan must decode (time always included, at index 0).
    let needed: [BoundColumn]
    /// Stored-column indexes of string columns with table-wide codes.
    let tableWide: Set<Int>
}

/// Resolves a native query against a table spec.
enum QueryBinder {
    static func bind(_ query: Query, spec: TableSpec) throws(StrataError) -> BoundQuery {
        let stored = spec.storedColumns
        var columns: [String: BoundColumn] = [:]
        for (i, c) in stored.enumerated() {
            columns[c.name.lowercased()] = BoundColumn(name: c.name, type: c.type, index: i, isSketch: c.isSketch)
        }
        func column(_ name: String) throws(StrataError) -> BoundColumn {
            if let c = columns[name.lowercased()] { return c }
            var message = "no column '\(name)' in table '\(spec.name)'"
            if let s = NameSuggestion.closest(to: name, among: stored.map(\.name)) {
                message += "; did you mean '\(s)'?"
            }
            throw StrataError(.binding, message)
        }
        var needed: [BoundColumn] = [columns[stored[0].name.lowercased()]!]
        func need(_ c: BoundColumn) { if !needed.contains(c) { needed.append(c) } }
        /// A column that holds values (not sketches), for filters and group keys.
        func valueColumn(_ name: String) throws(StrataError) -> BoundColumn {
            let c = try column(name)
            if stored[c.index].isSketch { throw sketchMisuse(stored[c.index]) }
            return c
        }
        func bindFilter(_ f: Filter) throws(StrataError) -> Filter {
            switch f {
            case .compare(let name, let op, let literal):
                let c = try valueColumn(name)
                need(c)
                if case .decimal(let p, let s) = c.type {
                    return try DecimalFilter.compare(c.name, op, literal, precision: p, scale: s)
                }
                return .compare(c.name, op, try coerce(literal, to: c))
            case .in(let name, let list):
                let c = try valueColumn(name)
                need(c)
                if case .decimal(let p, let s) = c.type {
                    return try DecimalFilter.in(c.name, list, precision: p, scale: s)
                }
                var out: [Value] = []
                for v in list { out.append(try coerce(v, to: c)) }
                return .in(c.name, out)
            case .like(let name, let pattern):
                let c = try valueColumn(name)
                guard c.type == .string else {
                    throw StrataError(.type, "LIKE needs a string column; '\(c.name)' is \(c.type)")
                }
                need(c)
                return .like(c.name, pattern)
            case .isNull(let name):
                let c = try valueColumn(name)
                need(c)
                return .isNull(c.name)
            case .and(let parts):
                var out: [Filter] = []
                for p in parts { out.append(try bindFilter(p)) }
                return .and(out)
            case .or(let parts):
                var out: [Filter] = []
                for p in parts { out.append(try bindFilter(p)) }
                return .or(out)
            case .not(let inner):
                return .not(try bindFilter(inner))
            }
        }
        let filter = try query.filter.map { f throws(StrataError) in try bindFilter(f) }
        var keys: [BoundQuery.Key] = []
        for key in query.groupBy {
            switch key {
            case .column(let name):
                let c = try valueColumn(name)
                need(c)
                keys.append(.column(c))
            case .timeBucket(let unit): keys.append(.timeBucket(unit))
            case .fixedBucket(let ms):
                guard ms > 0 else { throw StrataError(.invalidArgument, "a time bucket must be positive") }
                keys.append(.fixedBucket(ms))
            }
        }
        var aggregations: [(Aggregation, BoundColumn?, Filter?)] = []
        for a in query.aggregations {
            var c: BoundColumn?
            if let name = a.column {
                let bound = try column(name)
                need(bound)
                c = bound
                if stored[bound.index].isSketch {
                    // Stored sketches merge: HLL states answer approx_count_distinct, quantile states
                    // approx_quantile; nothing else can be computed from them.
                    switch (stored[bound.index].role, a.function) {
                    case (.aggregate(.hll, _), .approxCountDistinct): break
                    case (.aggregate(.quantile, _), .approxQuantile(let q)):
                        guard (0...1).contains(q) else {
                            throw StrataError(
                                .invalidArgument, "quantile must be between 0 and 1, got \(q) ('\(a.name)')")
                        }
                    default: throw sketchMisuse(stored[bound.index])
                    }
                    aggregations.append((a, c, try a.filter.map { f throws(StrataError) in try bindFilter(f) }))
                    continue
                }
                switch a.function {
                case .quantile(let q), .approxQuantile(let q):
                    guard (0...1).contains(q) else {
                        throw StrataError(.invalidArgument, "quantile must be between 0 and 1, got \(q) ('\(a.name)')")
                    }
                    if case .approxQuantile = a.function { try requireNotDecimal(bound) }
                    guard bound.type == .int64 || bound.type == .double || bound.type.decimalScale != nil else {
                        throw StrataError(.type, "quantiles need a numeric column; '\(bound.name)' is \(bound.type)")
                    }
                case .sum, .avg, .varianceSample, .standardDeviationSample:
                    // Decimal columns aggregate their int64 units; results are scaled back.
                    guard bound.type == .int64 || bound.type == .double || bound.type.decimalScale != nil else {
                        throw StrataError(
                            .type, "\(a.function) needs a numeric column; '\(bound.name)' is \(bound.type)")
                    }
                default: break
                }
            } else if a.function != .count {
                throw StrataError(.binding, "aggregation '\(a.name)' (\(a.function)) needs a column")
            }
            aggregations.append((a, c, try a.filter.map { f throws(StrataError) in try bindFilter(f) }))
        }
        let tableWide = Set(stored.indices.filter { stored[$0].tableDictionary })
        return BoundQuery(
            query: query, columns: columns, filter: filter, keys: keys, aggregations: aggregations, needed: needed,
            tableWide: tableWide)
    }

    /// A DDSketch of a decimal column's units would bucket other values than the decimals' (its
    /// buckets are relative to the value), so `approx_quantile` of decimals is not native yet; SQL computes
    /// it on its general path.
    static func requireNotDecimal(_ column: BoundColumn) throws(StrataError) {
        guard column.type.decimalScale == nil else {
            throw StrataError(
                .unsupported,
                "the native query API does not compute approx_quantile of decimal column '\(column.name)' yet; "
                    + "use SQL (db.query)")
        }
    }

    static func sketchMisuse(_ column: StoredColumn) -> StrataError { column.sketchMisuse }

    /// Converts a literal to the column's type where SQL would (text to timestamp, int to double).
    static func coerce(_ value: Value, to column: BoundColumn) throws(StrataError) -> Value {
        switch (value, column.type) {
        case (.null, _): return .null
        case (.string(let s), .timestamp):
            guard case .success(let ms) = Timestamp.parse(s) else {
                throw StrataError(.type, "'\(s)' is not a timestamp (column '\(column.name)')")
            }
            return .timestamp(ms)
        case (.int64(let v), .timestamp): return .timestamp(v)
        case (.int64(let v), .double): return .double(Double(v))
        case (.timestamp, .timestamp), (.string, .string), (.bool, .bool), (.int64, .int64), (.double, .double),
            (.double, .int64):
            return value
        default:
            throw StrataError(.type, "cannot compare column '\(column.name)' of type \(column.type) with \(value)")
        }
    }
}
