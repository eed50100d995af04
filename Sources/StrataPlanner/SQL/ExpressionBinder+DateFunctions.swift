import StrataCore
import StrataExecution
import StrataSQL

extension ExpressionBinder {
    /// DuckDB's one-field shorthands for `date_part`: `year(ts)` is `date_part('year', ts)`.
    static let datePartShorthands: [String: DatePart] = [
        "year": .year, "quarter": .quarter, "month": .month, "week": .week, "weekofyear": .week, "day": .day,
        "dayofmonth": .day, "dayofweek": .dayofweek, "weekday": .dow, "isodow": .isodow, "dayofyear": .dayofyear,
        "hour": .hour, "minute": .minute, "second": .second, "millisecond": .millisecond, "epoch": .epoch,
    ]

    /// The spellings of `date_diff` and `date_sub` units DuckDB accepts, by unit.
    static let unitSpellings: [String: TimeUnit] = [
        "years": .year, "y": .year, "yr": .year, "yrs": .year, "quarters": .quarter, "months": .month,
        "mon": .month, "mons": .month, "weeks": .week, "w": .week, "days": .day, "d": .day, "hours": .hour,
        "h": .hour, "hr": .hour, "hrs": .hour, "minutes": .minute, "min": .minute, "mins": .minute, "m": .minute,
        "seconds": .second, "s": .second, "sec": .second, "secs": .second, "milliseconds": .millisecond,
        "ms": .millisecond, "msec": .millisecond, "msecs": .millisecond,
    ]

    /// The date function names ``bindDateFunction(_:name:at:child:)`` knows (for "did you mean").
    static let dateFunctionNames =
        datePartShorthands.keys.sorted() + [
            "dayname", "monthname", "last_day", "date_diff", "datediff", "date_sub", "datesub", "date_add",
            "strftime", "strptime", "try_strptime", "make_date", "make_timestamp", "to_timestamp", "now",
            "current_timestamp", "current_date", "today", "get_current_timestamp", "transaction_timestamp",
        ]

    /// Binds a call of a date function; `nil` when `name` is not one.
    func bindDateFunction(_ call: FunctionCall, name: String, at expression: SQLExpression, child: Child)
        throws(StrataError) -> BoundExpression?
    {
        func arguments() throws(StrataError) -> [BoundExpression] {
            try call.arguments.map { x throws(StrataError) in try child(x) }
        }
        /// Argument `i` as a timestamp or date (NULL as a NULL TIMESTAMP).
        func temporal(_ x: BoundExpression, _ i: Int) throws(StrataError) -> BoundExpression {
            if x.type.isTemporal { return x }
            if x.type == .null { return x.constantValue != nil ? .constant(.null, .timestamp) : .cast(x, .timestamp) }
            throw error(.type, "\(name)() needs a TIMESTAMP or DATE, not \(x.type)", at: call.arguments[i])
        }
        if let part = Self.datePartShorthands[name] {
            try argumentCount(call, 1...1, at: expression)
            let x = try temporal(try child(call.arguments[0]), 0)
            return .function(.datePart(part), [x], part == .epoch ? .double : .bigint)
        }
        switch name {
        case "now", "current_timestamp", "get_current_timestamp", "transaction_timestamp":
            try argumentCount(call, 0...0, at: expression)
            return .constant(.timestamp(statementTime), .timestamp)
        case "current_date", "today":
            try argumentCount(call, 0...0, at: expression)
            return .constant(.timestamp(TimeUnit.day.truncate(statementTime)), .date)
        case "dayname", "monthname", "last_day":
            try argumentCount(call, 1...1, at: expression)
            let x = try temporal(try child(call.arguments[0]), 0)
            let function: CalendarFunction = name == "dayname" ? .dayName : name == "monthname" ? .monthName : .lastDay
            return .function(.calendar(function), [x], function.resultType)
        case "date_diff", "datediff", "date_sub", "datesub":
            try argumentCount(call, 3...3, at: expression)
            let args = try arguments()
            guard case .constant(.string(let text), _) = args[0] else {
                throw error(.type, "the unit of \(name)() must be a constant string", at: call.arguments[0])
            }
            let spelled = text.lowercased()
            guard let unit = TimeUnit(rawValue: spelled) ?? Self.unitSpellings[spelled] else {
                let units = TimeUnit.allCases.map(\.rawValue).joined(separator: ", ")
                throw error(
                    .binding, "unknown \(name) unit '\(text)' (expected one of \(units))", at: call.arguments[0])
            }
            let (a, b) = (try temporal(args[1], 1), try temporal(args[2], 2))
            let function: CalendarFunction =
                name.hasPrefix("date_d") || name == "datediff" ? .dateDiff(unit) : .dateSub(unit)
            return .function(.calendar(function), [a, b], .bigint)
        case "date_add":
            try argumentCount(call, 2...2, at: expression)
            let args = try arguments()
            guard case .intervalConstant(let interval) = args[1] else {
                throw error(
                    .type, "the second argument of date_add() must be a constant INTERVAL", at: call.arguments[1])
            }
            return .addInterval(try temporal(args[0], 0), interval)
        case "strftime":
            try argumentCount(call, 2...2, at: expression)
            var args = try arguments()
            // DuckDB takes strftime(format, ts) as well as strftime(ts, format).
            if args[0].type == .varchar, args[1].type != .varchar { args.swapAt(0, 1) }
            let x = try temporal(args[0], 0)
            guard let format = try dateFormat(args[1], name: name, at: call.arguments[1]) else {
                return .constant(.null, .varchar)
            }
            return .function(.calendar(.strftime(format)), [x], .varchar)
        case "strptime", "try_strptime":
            try argumentCount(call, 2...2, at: expression)
            let args = try arguments()
            let x = try coerce(args[0], to: .varchar, name: name, ordinal: 0, at: call.arguments[0])
            guard let format = try dateFormat(args[1], name: name, at: call.arguments[1]) else {
                return .constant(.null, .timestamp)
            }
            return .function(.calendar(.strptime(format, nullOnFailure: name == "try_strptime")), [x], .timestamp)
        case "make_date":
            try argumentCount(call, 3...3, at: expression)
            var args = try arguments()
            for i in args.indices {
                args[i] = try coerce(args[i], to: .bigint, name: name, ordinal: i, at: call.arguments[i])
            }
            return .function(.calendar(.makeDate), args, .date)
        case "make_timestamp":
            guard call.arguments.count == 1 || call.arguments.count == 6 else {
                throw error(
                    .binding,
                    "make_timestamp() takes 6 arguments (year, month, day, hour, minute, seconds) or 1 "
                        + "(microseconds since the epoch), got \(call.arguments.count)", at: expression)
            }
            var args = try arguments()
            for i in args.indices {
                if i == 5 {
                    guard args[i].type.isNumeric || args[i].type == .null else {
                        throw error(.type, "the seconds of make_timestamp() must be a number", at: call.arguments[i])
                    }
                    if args[i].type != .double { args[i] = .cast(args[i], .double) }
                } else {
                    args[i] = try coerce(args[i], to: .bigint, name: name, ordinal: i, at: call.arguments[i])
                }
            }
            return .function(.calendar(.makeTimestamp), args, .timestamp)
        case "to_timestamp":
            try argumentCount(call, 1...1, at: expression)
            var x = try child(call.arguments[0])
            guard x.type.isNumeric || x.type == .null else {
                throw error(.type, "to_timestamp() needs a number of seconds, not \(x.type)", at: call.arguments[0])
            }
            if x.type != .double { x = .cast(x, .double) }
            return .function(.calendar(.toTimestamp), [x], .timestamp)
        default:
            return nil
        }
    }

    /// The parsed constant format of `strftime`/`strptime` (`nil` for a NULL format).
    private func dateFormat(_ x: BoundExpression, name: String, at ast: SQLExpression) throws(StrataError)
        -> DateFormat?
    {
        if x.type == .null { return nil }
        guard case .constant(.string(let text), _) = x else {
            throw error(.unsupported, "the format of \(name)() must be a constant string in Strata", at: ast)
        }
        do {
            return try DateFormat(text)
        } catch {
            throw self.error(error.code, error.message, at: ast)
        }
    }
}
