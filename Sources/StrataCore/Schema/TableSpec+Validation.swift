public import Foundation

extension TableSpec {
    /// Decodes and validates a JSON table spec.
    /// - Throws: ``StrataError`` with code `schema`, naming the offending field.
    public static func decode(json: Data) throws(StrataError) -> TableSpec {
        let spec: TableSpec
        do {
            spec = try JSONDecoder().decode(TableSpec.self, from: json)
        } catch let error as DecodingError {
            throw StrataError(.schema, Self.describe(error))
        } catch {
            throw StrataError(.schema, "invalid table spec: \(error)")
        }
        try spec.validate()
        return spec
    }

    /// Encodes the spec as pretty-printed JSON (the format ``decode(json:)`` reads).
    public func encodeJSON() -> Data {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys]
        // A spec holds only strings, numbers, booleans and enums: encoding cannot fail.
        return (try? encoder.encode(self)) ?? Data()
    }

    /// The longest table name, in UTF-8 bytes. The name becomes a directory name (`segments/<table>`,
    /// `dictionaries/<table>`), and file systems refuse names over 255 bytes; a longer name would be
    /// accepted by `createTable` and then fail every flush.
    public static let maxNameLength = 128

    /// The longest retention, in days (about 2,700 years). Larger values would overflow the cutoff
    /// arithmetic in milliseconds and mean nothing as a retention period.
    public static let maxRetentionDays = 1_000_000

    /// Checks names, types and references.
    /// - Throws: ``StrataError`` with code `schema` naming the field at fault.
    public func validate() throws(StrataError) {
        func fail(_ field: String, _ message: String) -> StrataError {
            StrataError(.schema, "table spec field '\(field)': \(message)")
        }
        guard Self.isValidName(name) else {
            throw fail("name", "'\(name)' is not a valid table name (letters, digits, '_', not starting with a digit)")
        }
        guard name.utf8.count <= Self.maxNameLength else {
            throw fail("name", "a table name has at most \(Self.maxNameLength) bytes; this one has \(name.utf8.count)")
        }
        var seen: [String: String] = [:]
        if let timestamp {
            guard Self.isValidName(timestamp.column) else {
                throw fail("timestamp.column", "'\(timestamp.column)' is not a valid column name")
            }
            seen[timestamp.column.lowercased()] = "timestamp.column"
            guard timestamp.type == .timestamp || timestamp.type == .date else {
                throw fail("timestamp.type", "the time column is a timestamp or a date, not \(timestamp.type)")
            }
        }
        func claim(_ name: String, _ field: String) throws(StrataError) {
            guard Self.isValidName(name) else { throw fail(field, "'\(name)' is not a valid column name") }
            if let other = seen[name.lowercased()] {
                throw fail(field, "duplicate column name '\(name)' (also \(other))")
            }
            seen[name.lowercased()] = field
        }
        func checkDecimal(_ type: DataType, _ field: String) throws(StrataError) {
            // Columns keep decimal units in 64 bits: 18 digits at most.
            guard case .decimal(let p, let s) = type else { return }
            guard DataType.isValidDecimal(precision: p, scale: s, maxPrecision: DecimalValue.maxInt64Precision) else {
                throw fail(
                    field, "decimal(\(p),\(s)) is not supported: precision must be 1...18 and scale 0...precision")
            }
        }
        for (i, d) in dimensions.enumerated() {
            try claim(d.name, "dimensions[\(i)].name")
            try checkDecimal(d.type, "dimensions[\(i)].type")
            if d.dictionary != nil, d.type != .string {
                throw fail("dimensions[\(i)].dictionary", "only string dimensions have dictionaries")
            }
            if d.dictionary == .table, d.bitmapIndex == true {
                throw fail("dimensions[\(i)].bitmapIndex", "columns with a table dictionary have no bitmap index")
            }
        }
        for (i, m) in metrics.enumerated() {
            try claim(m.name, "metrics[\(i)].name")
            try checkDecimal(m.type, "metrics[\(i)].type")
            // Rolled-up tables may take any input that only distinct-count sketches read (user ids).
            let onlySketched =
                rollup?.aggregates.contains { $0.column == m.name } == true
                && rollup?.aggregates.allSatisfy { $0.column != m.name || $0.type == .hll } == true
            guard m.type.isNumeric || onlySketched else {
                throw fail(
                    "metrics[\(i)].type",
                    "metric '\(m.name)' must be int64, double or decimal, not \(m.type) "
                        + "(other types are allowed only as the input of hll rollup aggregates)")
            }
        }
        if let sortKey {
            for (i, key) in sortKey.enumerated() where !dimensions.contains(where: { $0.name == key }) {
                throw fail("sortKey[\(i)]", "'\(key)' is not a dimension")
            }
        }
        if !hasTime, dimensions.isEmpty, metrics.isEmpty {
            throw fail("dimensions", "a table without a timestamp needs at least one dimension or metric")
        }
        if retentionDays != nil, !hasTime {
            // Retention drops chunks by age; a table without time is one chunk with no age.
            throw fail("retentionDays", "a table without a timestamp has no time to expire rows by; remove it")
        }
        if let retentionDays, retentionDays <= 0 || retentionDays > Self.maxRetentionDays {
            throw fail("retentionDays", "must be a number of days from 1 to \(Self.maxRetentionDays)")
        }
        if let rollup { try validate(rollup, fail: fail) }
    }

    private func validate(_ rollup: RollupSpec, fail: (String, String) -> StrataError) throws(StrataError) {
        guard !rollup.aggregates.isEmpty else {
            throw fail("rollup.aggregates", "a rollup needs at least one aggregate")
        }
        var names = Set([timeColumn.lowercased()] + dimensions.map { $0.name.lowercased() })
        for (i, agg) in rollup.aggregates.enumerated() {
            let field = "rollup.aggregates[\(i)]"
            guard Self.isValidName(agg.name) else { throw fail("\(field).name", "'\(agg.name)' is not a valid name") }
            guard names.insert(agg.name.lowercased()).inserted else {
                throw fail("\(field).name", "duplicate column name '\(agg.name)'")
            }
            switch agg.type {
            case .count:
                break
            case .sum, .min, .max, .moments, .quantile:
                guard let column = agg.column else {
                    throw fail("\(field).column", "aggregate '\(agg.name)' of type \(agg.type) needs a column")
                }
                guard let metric = metrics.first(where: { $0.name == column }) else {
                    throw fail("\(field).column", "'\(column)' is not a metric")
                }
                guard metric.type.isNumeric else {
                    throw fail("\(field).column", "\(agg.type) needs a numeric metric; '\(column)' is \(metric.type)")
                }
                // sum, min and max of a decimal keep its int64 units (exact); moments and quantile sketches
                // would hold units where values belong, which is not built yet.
                guard metric.type.decimalScale == nil || [.sum, .min, .max].contains(agg.type) else {
                    throw fail(
                        "\(field).type",
                        "\(agg.type) of decimal metric '\(column)' is not supported yet (sum, min, "
                            + "max, count and hll are)")
                }
            case .hll:
                guard let column = agg.column else {
                    throw fail("\(field).column", "aggregate '\(agg.name)' of type hll needs a column")
                }
                guard metrics.contains(where: { $0.name == column }) else {
                    throw fail(
                        "\(field).column",
                        "'\(column)' is not a metric (declare the column to count, such as a user id, as a metric; "
                            + "as a dimension it would split the rollup by every value)")
                }
            }
        }
    }

    package static func isValidName(_ name: String) -> Bool {
        guard let first = name.utf8.first, !(48...57).contains(first) else { return false }
        return name.utf8.allSatisfy { c in
            (65...90).contains(c) || (97...122).contains(c) || (48...57).contains(c) || c == 95
        }
    }

    static func describe(_ error: DecodingError) -> String {
        func path(_ codingPath: [any CodingKey]) -> String {
            var text = ""
            for key in codingPath {
                if let index = key.intValue {
                    text += "[\(index)]"
                } else {
                    text += text.isEmpty ? key.stringValue : ".\(key.stringValue)"
                }
            }
            return text.isEmpty ? "(top level)" : text
        }
        switch error {
        case .keyNotFound(let key, let context):
            let field = path(context.codingPath + [key])
            return "table spec field '\(field)' is missing"
        case .typeMismatch(_, let context), .valueNotFound(_, let context):
            return "table spec field '\(path(context.codingPath))': \(context.debugDescription)"
        case .dataCorrupted(let context):
            let field = path(context.codingPath)
            if let last = context.codingPath.last?.stringValue {
                let allowed: [String]? =
                    switch last {
                    case "type" where context.codingPath.contains(where: { $0.stringValue == "aggregates" }):
                        AggregatorKind.allCases.map(\.rawValue)
                    case "type": DataType.specNames
                    case "segmentGranularity": SegmentGranularity.allCases.map(\.rawValue)
                    case "granularity": QueryGranularity.allCases.map(\.rawValue)
                    case "codec": Codec.allCases.map(\.rawValue)
                    case "dictionary": DictionaryScope.allCases.map(\.rawValue)
                    default: nil
                    }
                if let allowed {
                    return
                        "table spec field '\(field)': unknown value (expected one of \(allowed.joined(separator: ", ")))"
                }
            }
            return "table spec field '\(field)': \(context.debugDescription)"
        @unknown default:
            return "invalid table spec: \(error)"
        }
    }
}
