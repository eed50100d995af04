package import StrataCore
package import StrataExecution

extension Filter {
    /// The filter as a bound SQL predicate over the positions of `spec.queryableColumns`, which the
    /// pipeline's vectorized expressions evaluate (``VectorExpression``), so native queries, scans and
    /// experiment analyses filter rows the way SQL does.
    ///
    /// Literals are coerced to their column's type as the native API always has: text or epoch milliseconds
    /// for a timestamp, an integer for a double. A decimal column compares exactly with integers, decimals,
    /// text and doubles (a double by its shortest text: `0.05`, not its binary expansion). NULLs in an IN list
    /// never match, and no value is in an empty list, not even NULL.
    /// - Throws: `binding` for an unknown column (with the closest name), `type` for a literal the column
    ///   cannot be compared with or LIKE on a non-string column, and for a column holding sketches.
    package func bound(in spec: TableSpec) throws(StrataError) -> BoundExpression {
        switch self {
        case .compare(let name, let op, let literal):
            let (column, stored) = try Self.valueColumn(name, in: spec)
            return .compare(op, column, try Self.constant(literal, for: stored))
        case .in(let name, let list):
            let (column, stored) = try Self.valueColumn(name, in: spec)
            guard !list.isEmpty else { return .constant(.bool(false), .boolean) }
            var items: [BoundExpression] = []
            for literal in list { items.append(try Self.constant(literal, for: stored)) }
            return .inList(column, items, negated: false)
        case .like(let name, let pattern):
            let (column, stored) = try Self.valueColumn(name, in: spec)
            guard stored.type == .string else {
                throw StrataError(.type, "LIKE needs a string column; '\(stored.name)' is \(stored.type)")
            }
            return .like(column, pattern: .constant(.string(pattern), .varchar), negated: false, caseInsensitive: false)
        case .isNull(let name):
            return .isNull(try Self.valueColumn(name, in: spec).column, negated: false)
        case .and(let parts):
            guard !parts.isEmpty else { return .constant(.bool(true), .boolean) }
            var out: [BoundExpression] = []
            for part in parts { out.append(try part.bound(in: spec)) }
            return out.count == 1 ? out[0] : .and(out)
        case .or(let parts):
            guard !parts.isEmpty else { return .constant(.bool(false), .boolean) }
            var out: [BoundExpression] = []
            for part in parts { out.append(try part.bound(in: spec)) }
            return out.count == 1 ? out[0] : .or(out)
        case .not(let inner):
            return .not(try inner.bound(in: spec))
        }
    }

    /// The stored column `name` names (case-insensitively) as a bound column, refusing sketch columns.
    private static func valueColumn(_ name: String, in spec: TableSpec) throws(StrataError)
        -> (column: BoundExpression, stored: StoredColumn)
    {
        let position = try spec.valueColumn(name)
        let column = spec.storedColumns[position]
        return (.column(position, SQLValueType(column.type), name: column.name), column)
    }

    /// `literal` as a constant comparable with `column`'s values.
    private static func constant(_ literal: Value, for column: StoredColumn) throws(StrataError) -> BoundExpression {
        let mismatch = StrataError(
            .type, "cannot compare column '\(column.name)' of type \(column.type) with \(literal)")
        switch (literal, column.type) {
        case (.null, _):
            return .constant(.null, .null)
        case (.string(let text), .timestamp), (.string(let text), .date):
            // A DATE column compares with the instant as SQL does: the date is its midnight.
            guard case .success(let ms) = Timestamp.parse(text) else {
                throw StrataError(.type, "'\(text)' is not a timestamp (column '\(column.name)')")
            }
            return .constant(.timestamp(ms), .timestamp)
        case (.int64(let ms), .timestamp), (.timestamp(let ms), .timestamp), (.int64(let ms), .date),
            (.timestamp(let ms), .date):
            return .constant(.timestamp(ms), .timestamp)
        case (.int64(let x), .double):
            return .constant(.double(Double(x)), .double)
        case (.string, .string), (.bool, .bool), (.int64, .int64), (.double, .double), (.double, .int64):
            return .constant(literal, SQLValueType(literal.dataType ?? column.type))
        case (_, .decimal(let precision, let scale)):
            guard let exact = exactDecimal(literal, scale: scale) else {
                throw StrataError(
                    .type, "cannot compare decimal(\(precision),\(scale)) column '\(column.name)' with \(literal)")
            }
            return .constant(.decimal(exact), .decimal(precision: exact.precision, scale: exact.scale))
        default:
            throw mismatch
        }
    }

    /// A numeric literal as an exact decimal for comparing with a decimal column of `scale`: doubles by
    /// their shortest text, text with enough fraction digits for any such comparison; `nil` for a non-number.
    private static func exactDecimal(_ literal: Value, scale: Int) -> DecimalValue? {
        switch literal {
        case .decimal(let d): return d
        case .int64(let x): return DecimalValue(unscaled: Int128(x), precision: DecimalValue.maxPrecision, scale: 0)
        case .hugeint(let x): return DecimalValue(unscaled: x, precision: DecimalValue.maxPrecision, scale: 0)
        case .double(let x):
            guard x.isFinite else { return nil }
            return exactDecimal(.string(x.description), scale: scale)
        case .string(let text):
            let finer = min(DecimalValue.maxPrecision, scale + 18)
            guard let units = DecimalValue.parse(text, precision: DecimalValue.maxPrecision, scale: finer) else {
                return nil
            }
            return DecimalValue(unscaled: units, precision: DecimalValue.maxPrecision, scale: finer)
        default: return nil
        }
    }
}

extension StoredColumn {
    /// The error for reading a rolled-up table's sketch column as values (in a filter, a key, or an aggregate
    /// other than the one that merges it).
    var sketchMisuse: StrataError {
        let reader =
            if case .aggregate(.hll, _) = role { "approx_count_distinct(\(name))" } else { "approx_quantile(\(name), q)" }
        return StrataError(.type, "column '\(name)' holds sketches of '\(source ?? "?")'; only \(reader) reads it")
    }
}
