import Foundation
import StrataCore

extension SQLEvaluation {
    /// 2000-01-03 00:00:00 UTC, a Monday: DuckDB's origin for `time_bucket` widths without months.
    package static let timeBucketOrigin: Int64 = 946_857_600_000

    /// The start of the `time_bucket` of `width` holding `ms`, counted from DuckDB's origins.
    static func timeBucket(_ ms: Int64, width: IntervalValue) -> Int64 {
        if let fixed = width.fixedMilliseconds {
            return timeBucketOrigin + Timestamp.floorDiv(ms - timeBucketOrigin, fixed) * fixed
        }
        // Months: counted from 2000-01-01.
        let (y, m, _) = CivilDate.date(days: Int(Timestamp.floorDiv(ms, Timestamp.millisecondsPerDay)))
        let since = Int64(y - 2000) * 12 + Int64(m - 1)
        let start = Timestamp.floorDiv(since, width.months) * width.months
        let year = 2000 + Int(Timestamp.floorDiv(start, 12))
        let month = Int(start - Int64(year - 2000) * 12) + 1
        return Int64(CivilDate.days(year: year, month: month, day: 1)) * Timestamp.millisecondsPerDay
    }

    /// The start of the `width`-millisecond bucket counted from the epoch that holds `ms`.
    static func epochBucket(_ ms: Int64, width: Int64) throws(StrataError) -> Int64 {
        let (start, overflow) = Timestamp.floorDiv(ms, width).multipliedReportingOverflow(by: width)
        guard !overflow, start >= Timestamp.minimum else {
            throw StrataError(
                .invalidArgument,
                "a \(width) ms time bucket starts at \(overflow ? Int64.min : start) ms, before the year 0001; "
                    + "use a narrower bucket")
        }
        return start
    }

    static func datePart(_ part: DatePart, _ ms: Int64) -> Value {
        let day = Timestamp.floorDiv(ms, Timestamp.millisecondsPerDay)
        let timeOfDay = ms - day * Timestamp.millisecondsPerDay
        let (y, m, d) = CivilDate.date(days: Int(day))
        switch part {
        case .year: return .int64(Int64(y))
        case .quarter: return .int64(Int64((m - 1) / 3 + 1))
        case .month: return .int64(Int64(m))
        case .day: return .int64(Int64(d))
        case .dayofweek, .dow: return .int64(Int64(CivilDate.weekday(days: Int(day)) % 7))
        case .isodow: return .int64(Int64(CivilDate.weekday(days: Int(day))))
        case .dayofyear, .doy: return .int64(day - Int64(CivilDate.days(year: y, month: 1, day: 1)) + 1)
        case .week:
            // ISO week: the week (Monday-based) holding this date's Thursday, counted in that Thursday's year.
            let thursday = Int(day) - (CivilDate.weekday(days: Int(day)) - 1) + 3
            let year = CivilDate.date(days: thursday).year
            return .int64(Int64((thursday - CivilDate.days(year: year, month: 1, day: 1)) / 7 + 1))
        case .hour: return .int64(timeOfDay / Timestamp.millisecondsPerHour)
        case .minute: return .int64(timeOfDay / Timestamp.millisecondsPerMinute % 60)
        case .second: return .int64(timeOfDay / Timestamp.millisecondsPerSecond % 60)
        case .millisecond: return .int64(timeOfDay % Timestamp.millisecondsPerMinute)
        case .epoch: return .double(Double(ms) / 1000)
        }
    }

    static func call(_ function: ScalarFunction, _ arguments: [BoundExpression], row: [Value], type: SQLValueType)
        throws(StrataError) -> Value
    {
        if function.hasBatchRule {
            // One rule for both paths: the batch kernel over one-row vectors.
            var vectors: [Vector] = []
            for argument in arguments { vectors.append(Vector.from([try argument.evaluate(row)], type: argument.type)) }
            guard let out = try VectorKernels.function(function, vectors, type: type) else {
                throw StrataError(.internal, "no kernel for \(function.name) over \(arguments.map(\.type))")
            }
            return out.value(at: 0)
        }
        // The functions that do not propagate NULL first.
        switch function {
        case .random(let seed):
            return .double(RandomDraws.values(seed: seed, count: 1)[0])
        case .tryCast:
            let value = try arguments[0].evaluate(row)
            return (try? cast(value, from: arguments[0].type, to: type)) ?? .null
        case .coalesce:
            for argument in arguments {
                let value = try argument.evaluate(row)
                if !value.isNull { return try convert(value, from: argument.type, to: type) }
            }
            return .null
        case .greatest, .least:
            var best: Value = .null
            for argument in arguments {
                let value = try convert(try argument.evaluate(row), from: argument.type, to: type)
                guard !value.isNull else { continue }
                if best.isNull {
                    best = value
                } else if let order = ValueOrder.compare(value, best), function == .greatest ? order > 0 : order < 0 {
                    best = value
                }
            }
            return best
        case .nullif:
            let a = try arguments[0].evaluate(row)
            let b = try arguments[1].evaluate(row)
            if let order = ValueOrder.compare(a, b), order == 0 { return .null }
            return try convert(a, from: arguments[0].type, to: type)
        default:
            break
        }
        var values: [Value] = []
        for argument in arguments {
            let value = try argument.evaluate(row)
            if value.isNull { return .null }
            values.append(value)
        }
        switch function {
        case .dateTrunc(let unit):
            guard case .timestamp(let ms) = values[0] else { return .null }
            return .timestamp(unit.truncate(try checkedTimestamp(ms)))
        case .timeBucket(let width):
            guard case .timestamp(let ms) = values[0] else { return .null }
            return .timestamp(try checkedTimestamp(timeBucket(try checkedTimestamp(ms), width: width)))
        case .epochBucket(let width):
            guard case .timestamp(let ms) = values[0] else { return .null }
            return .timestamp(try epochBucket(try checkedTimestamp(ms), width: width))
        case .datePart(let part):
            guard case .timestamp(let ms) = values[0] else { return .null }
            return datePart(part, try checkedTimestamp(ms))
        case .epochMilliseconds:
            switch values[0] {
            case .timestamp(let ms): return .int64(ms)
            case .int64(let ms): return .timestamp(try checkedTimestamp(ms))
            default: return .null
            }
        case .abs:
            switch values[0] {
            case .int64(let x):
                guard x != .min else { throw overflow("abs", x, 0) }
                return .int64(Swift.abs(x))
            case .double(let x): return .double(Swift.abs(x))
            case .hugeint(let x):
                guard x != .min else { throw StrataError(.invalidArgument, "overflow in abs of HUGEINT (\(x))") }
                return .hugeint(Swift.abs(x))
            case .decimal(var d):
                d.unscaled = Swift.abs(d.unscaled)
                return .decimal(d)
            default: return .null
            }
        case .round:
            let precision = values.count > 1 ? try roundPrecision(values[1]) : 0
            switch values[0] {
            case .int64(let x): return .int64(try round(x, precision: precision))
            case .hugeint(let x): return .hugeint(try round(x, precision: precision))
            case .decimal(let d):
                guard case .decimal(let p, let s) = type else { return .null }
                let digits = Int(Swift.max(-38, Swift.min(38, Int64(precision))))
                return roundDecimal(d, digits: digits, function: .round, precision: p, scale: s)
            // DuckDB rounds half away from zero.
            case .double(let x):
                return .double(values.count > 1 ? round(x, precision: precision) : x.rounded(.toNearestOrAwayFromZero))
            default: return .null
            }
        case .floor, .ceil:
            switch values[0] {
            case .int64, .hugeint: return .double(values[0].doubleValue ?? 0)
            case .decimal(let d):
                guard case .decimal(let p, let s) = type else { return .null }
                return roundDecimal(d, digits: 0, function: function, precision: p, scale: s)
            case .double(let x): return .double(function == .floor ? x.rounded(.down) : x.rounded(.up))
            default: return .null
            }
        case .sqrt, .ln, .exp:
            guard let x = values[0].doubleValue else { return .null }
            switch function {
            case .sqrt: return .double(x.squareRoot())
            case .ln: return .double(Foundation.log(x))
            default: return .double(Foundation.exp(x))
            }
        case .power:
            guard let x = values[0].doubleValue, let y = values[1].doubleValue else { return .null }
            return .double(Foundation.pow(x, y))
        case .lower, .upper:
            guard case .string(let s) = values[0] else { return .null }
            return .string(caseMapped(s, upper: function == .upper))
        case .substring:
            guard case .string(let s) = values[0], case .int64(let start) = values[1] else { return .null }
            var length: Int64?
            if values.count > 2 {
                guard case .int64(let l) = values[2] else { return .null }
                length = l
            }
            return .string(substring(s, start: start, length: length))
        case .length:
            guard case .string(let s) = values[0] else { return .null }
            // DuckDB counts code points, not grapheme clusters: length('🇺🇸') is 2.
            return .int64(Int64(s.unicodeScalars.count))
        case .coalesce, .greatest, .least, .nullif, .text, .regex, .math, .calendar, .tryCast, .random:
            return .null
        }
    }

    /// DuckDB's `substring`: the code points at 1-based positions `[start, start + length)` (with a negative
    /// length, `[start + length, start)`; a negative start counts from the end, -1 being the last), clipped to
    /// the string. Without a length, to the end.
    static func substring(_ s: String, start: Int64, length: Int64?) -> String {
        let scalars = s.unicodeScalars
        let ascii = s.utf8.allSatisfy { $0 < 0x80 }
        let count = Int64(ascii ? s.utf8.count : scalars.count)
        // Clamped so that the arithmetic below cannot overflow: positions beyond ±2·count clip the same way.
        let bound = 2 * count + 2
        var first = Swift.max(-bound, Swift.min(bound, start))
        if first < 0 { first += count + 1 }
        var end = count + 1
        if let length {
            let l = Swift.max(-bound, Swift.min(bound, length))
            (first, end) = l >= 0 ? (first, first + l) : (first + l, first)
        }
        let lower = Swift.max(first, 1) - 1
        let upper = Swift.min(end, count + 1) - 1
        guard lower < upper else { return "" }
        if ascii {
            let bytes = s.utf8
            let from = bytes.index(bytes.startIndex, offsetBy: Int(lower))
            let to = bytes.index(from, offsetBy: Int(upper - lower))
            return String(Substring(bytes[from..<to]))
        }
        let from = scalars.index(scalars.startIndex, offsetBy: Int(lower))
        let to = scalars.index(from, offsetBy: Int(upper - lower))
        return String(String.UnicodeScalarView(scalars[from..<to]))
    }

    /// A value converted to the common type of a function's arguments (an integer to a double).
    static func convert(_ value: Value, from source: SQLValueType, to target: SQLValueType) throws(StrataError)
        -> Value
    {
        guard source != target, !value.isNull, target != .null else { return value }
        if target == .timestamp, source == .date { return value }
        return try cast(value, from: source, to: target)
    }
}
