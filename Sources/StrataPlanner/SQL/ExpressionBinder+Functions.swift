import StrataCore
import StrataExecution
import StrataSQL

extension ExpressionBinder {
    /// Scalar function names the binder knows (for "did you mean").
    static let scalarFunctions = [
        "date_trunc", "time_bucket", "date_part", "extract", "abs", "round", "floor", "ceil", "ceiling", "sqrt", "ln",
        "exp", "power", "pow", "coalesce", "nullif", "greatest", "least", "lower", "upper", "length", "substring", "substr", "epoch_ms",
        "typeof", "version", "current_schema", "current_database", "ifnull", "try_cast",
    ]

    func argumentCount(_ call: FunctionCall, _ counts: ClosedRange<Int>, at expression: SQLExpression)
        throws(StrataError)
    {
        guard !call.isStar, counts.contains(call.arguments.count) else {
            let expected =
                counts.lowerBound == counts.upperBound
                ? "\(counts.lowerBound) argument\(counts.lowerBound == 1 ? "" : "s")"
                : counts.upperBound > 100
                    ? "at least \(counts.lowerBound) arguments"
                    : "\(counts.lowerBound) to \(counts.upperBound) arguments"
            let got = call.isStar ? "*" : "\(call.arguments.count)"
            throw error(.binding, "\(call.name.name)() takes \(expected), got \(got)", at: expression)
        }
    }

    /// The text of a constant string argument such as the unit of `date_trunc`.
    private func constantText(_ bound: BoundExpression, _ ast: SQLExpression, what: String) throws(StrataError)
        -> String
    {
        guard case .constant(.string(let text), _) = bound else {
            throw error(.type, "\(what) must be a constant string", at: ast)
        }
        return text.lowercased()
    }

    func bindScalarFunction(_ call: FunctionCall, at expression: SQLExpression, child: Child) throws(StrataError)
        -> BoundExpression
    {
        let name = call.name.normalized
        if call.over != nil {
            throw error(
                .binding, "window functions are only allowed in the select list, QUALIFY and ORDER BY",
                at: expression)
        }
        if call.ignoresNulls != nil {
            throw error(
                .binding,
                "IGNORE NULLS and RESPECT NULLS apply to the window functions lag, lead, first_value, last_value "
                    + "and nth_value", at: expression)
        }
        if call.isDistinct || call.filter != nil || !call.orderBy.isEmpty || call.withinGroup != nil {
            throw error(
                .binding, "DISTINCT, ORDER BY, WITHIN GROUP and FILTER apply to aggregate functions, not \(name)()",
                at: expression)
        }
        func arguments() throws(StrataError) -> [BoundExpression] {
            try call.arguments.map { x throws(StrataError) in try child(x) }
        }
        func numeric(_ x: BoundExpression, _ i: Int) throws(StrataError) {
            guard x.type.isNumeric || x.type == .null else {
                throw error(.type, "\(name)() needs a number, not \(x.type)", at: call.arguments[i])
            }
        }
        func temporal(_ x: BoundExpression, _ i: Int) throws(StrataError) {
            guard x.type.isTemporal || x.type == .null else {
                throw error(.type, "\(name)() needs a TIMESTAMP or DATE, not \(x.type)", at: call.arguments[i])
            }
        }
        func text(_ x: BoundExpression, _ i: Int) throws(StrataError) {
            guard x.type == .varchar || x.type == .null else {
                throw error(.type, "\(name)() needs a VARCHAR, not \(x.type)", at: call.arguments[i])
            }
        }
        switch name {
        case "version", "current_schema", "current_database":
            // The catalog as DuckDB names it: one schema, `main`, in a catalog named after the database.
            try argumentCount(call, 0...0, at: expression)
            let text = name == "version" ? StrataVersion.string : name == "current_schema" ? "main" : databaseName
            return .constant(.string(text), .varchar)
        case "date_trunc":
            try argumentCount(call, 2...2, at: expression)
            let args = try arguments()
            var unitText = try constantText(args[0], call.arguments[0], what: "the date_trunc unit")
            if unitText.hasSuffix("s") { unitText.removeLast() }
            guard let unit = TimeUnit(rawValue: unitText) else {
                let units = TimeUnit.allCases.map(\.rawValue).joined(separator: ", ")
                throw error(
                    .binding, "unknown date_trunc unit '\(unitText)' (expected one of \(units))", at: call.arguments[0])
            }
            try temporal(args[1], 1)
            return .function(.dateTrunc(unit), [args[1]], .timestamp)
        case "time_bucket":
            try argumentCount(call, 2...2, at: expression)
            let args = try arguments()
            guard case .intervalConstant(let width) = args[0] else {
                throw error(.type, "the width of time_bucket must be a constant INTERVAL", at: call.arguments[0])
            }
            let valid =
                width.months == 0
                ? (width.fixedMilliseconds ?? 0) > 0 : (width.months > 0 && width.days == 0 && width.milliseconds == 0)
            guard valid else {
                throw error(
                    .invalidArgument, "a time_bucket width must be positive, in months or in days and smaller units",
                    at: call.arguments[0])
            }
            // DuckDB converts a width without months to 64-bit microseconds, and fails past that.
            guard (width.fixedMilliseconds ?? 0) <= IntervalValue.maximumMilliseconds else {
                throw error(
                    .invalidArgument, "the time_bucket width \(width) is out of range (over 64-bit microseconds)",
                    at: call.arguments[0])
            }
            try temporal(args[1], 1)
            return .function(.timeBucket(width), [args[1]], .timestamp)
        case "date_part", "extract":
            try argumentCount(call, 2...2, at: expression)
            let args = try arguments()
            let partText = try constantText(args[0], call.arguments[0], what: "the date part")
            let aliases = [
                "years": "year", "months": "month", "days": "day", "hours": "hour", "minutes": "minute",
                "seconds": "second", "milliseconds": "millisecond", "weekday": "dow", "weeks": "week",
            ]
            guard let part = DatePart(rawValue: aliases[partText] ?? partText) else {
                throw error(.binding, "unknown date part '\(partText)'", at: call.arguments[0])
            }
            try temporal(args[1], 1)
            return .function(.datePart(part), [args[1]], part == .epoch ? .double : .bigint)
        case "epoch_ms":
            try argumentCount(call, 1...1, at: expression)
            let args = try arguments()
            // DuckDB's two directions: epoch_ms(BIGINT) is a TIMESTAMP (NULL picks this one), epoch_ms(TIMESTAMP)
            // a BIGINT.
            if args[0].type == .bigint || args[0].type == .null {
                return .function(.epochMilliseconds, args, .timestamp)
            }
            try temporal(args[0], 0)
            return .function(.epochMilliseconds, args, .bigint)
        case "abs", "floor", "ceil", "ceiling":
            try argumentCount(call, 1...1, at: expression)
            let args = try arguments()
            try numeric(args[0], 0)
            let function: ScalarFunction = name == "abs" ? .abs : name == "floor" ? .floor : .ceil
            var type = args[0].type == .null ? .bigint : args[0].type
            if function != .abs {
                // DuckDB: floor and ceil of a DECIMAL keep its width and drop its scale; of an integer they are
                // DOUBLE.
                if case .decimal(let p, _) = type { type = .decimal(precision: p, scale: 0) }
                if type.isInteger { type = .double }
            }
            return .function(function, args, type)
        case "round":
            try argumentCount(call, 1...2, at: expression)
            var args = try arguments()
            try numeric(args[0], 0)
            if args.count > 1 {
                // DuckDB's precision is an INTEGER: a DOUBLE does not convert to it implicitly.
                guard args[1].type == .bigint || args[1].type == .null else {
                    let message = "the precision of round() must be an INTEGER, not \(args[1].type)"
                    throw error(.type, message, at: call.arguments[1])
                }
                if let value = args[1].constantValue {
                    do {
                        _ = try SQLEvaluation.roundPrecision(value)
                    } catch {
                        throw self.error(error.code, error.message, at: call.arguments[1])
                    }
                }
            }
            guard case .decimal(let p, let s) = args[0].type else {
                return .function(.round, args, args[0].type == .null ? .double : args[0].type)
            }
            // DuckDB rounds a DECIMAL to a DECIMAL of the same width with the requested scale; with digits
            // that are not a constant it rounds a DOUBLE.
            var digits: Int64 = 0
            if args.count > 1 {
                guard case .constant(.int64(let n), _) = args[1] else {
                    args[0] = .cast(args[0], .double)
                    return .function(.round, args, .double)
                }
                digits = n
            }
            let scale = Int(max(0, min(Int64(s), digits)))
            // An integral DECIMAL rounded to tens or hundreds can carry into one more digit: DuckDB widens it.
            let width = s == 0 && digits < 0 ? min(p + 1, DecimalValue.maxPrecision) : p
            return .function(.round, args, .decimal(precision: width, scale: scale))
        case "sqrt", "ln", "exp":
            try argumentCount(call, 1...1, at: expression)
            let args = try arguments()
            try numeric(args[0], 0)
            return .function(name == "sqrt" ? .sqrt : name == "ln" ? .ln : .exp, args, .double)
        case "power", "pow":
            try argumentCount(call, 2...2, at: expression)
            let args = try arguments()
            for (i, x) in args.enumerated() { try numeric(x, i) }
            return .function(.power, args, .double)
        case "lower", "upper", "length", "lcase", "ucase", "char_length", "character_length", "len":
            try argumentCount(call, 1...1, at: expression)
            let args = try arguments()
            try text(args[0], 0)
            if name.hasSuffix("length") || name == "len" { return .function(.length, args, .bigint) }
            return .function(name == "lower" || name == "lcase" ? .lower : .upper, args, .varchar)
        case "substring", "substr":
            try argumentCount(call, 2...3, at: expression)
            let args = try arguments()
            try text(args[0], 0)
            for i in 1..<args.count where args[i].type != .bigint && args[i].type != .null {
                throw error(.type, "\(name)() needs an integer position, not \(args[i].type)", at: call.arguments[i])
            }
            return .function(.substring, args, .varchar)
        case "typeof":
            // The bound type, as DuckDB names it (`DECIMAL(4,2)`, `HUGEINT`); Strata's integers are BIGINT.
            try argumentCount(call, 1...1, at: expression)
            let args = try arguments()
            return .constant(.string(args[0].type.description), .varchar)
        case "try_cast":
            // The parser's `TRY_CAST(x AS type)`: one argument, the CAST.
            guard call.arguments.count == 1, case .cast(let operand, let target) = call.arguments[0].kind else {
                throw error(.syntax, "write TRY_CAST(x AS type)", at: expression)
            }
            let x = try child(operand)
            let type = SQLValueType(target)
            // A cast between types that never convert (DATE to BIGINT) is NULL, as in DuckDB.
            guard let cast = try? bindCast(x, to: type, operand: operand) else { return .constant(.null, type) }
            guard case .cast = cast else { return x }
            return .function(.tryCast, [x], type)
        case "coalesce", "greatest", "least", "nullif", "ifnull":
            try argumentCount(call, name == "nullif" || name == "ifnull" ? 2...2 : 1...Int.max, at: expression)
            let args = try arguments()
            var type: SQLValueType = .null
            for (i, x) in args.enumerated() {
                guard let common = SQLValueType.common(type, x.type), common != .interval else {
                    throw error(
                        .type, "\(name)() arguments have incompatible types \(type) and \(x.type)",
                        at: call.arguments[i])
                }
                type = common
            }
            type = widenedDecimal(type, args)
            if name == "nullif" { type = args[0].type == .null ? type : args[0].type }
            let function: ScalarFunction =
                name == "coalesce" || name == "ifnull"
                ? .coalesce : name == "greatest" ? .greatest : name == "least" ? .least : .nullif
            return .function(function, args, type)
        case "row":
            throw error(
                .unsupported,
                "row constructors such as (a, b) are not supported yet, but as the argument of count(DISTINCT …)",
                at: expression)
        default:
            if let bound = try bindTextFunction(call, name: name, at: expression, child: child) { return bound }
            if let bound = try bindMathFunction(call, name: name, at: expression, child: child) { return bound }
            if let bound = try bindDateFunction(call, name: name, at: expression, child: child) { return bound }
            var message = "unknown function '\(call.name.name)'"
            let known =
                ExpressionBinder.scalarFunctions + ExpressionBinder.textFunctionNames
                + ExpressionBinder.mathFunctionNames + ExpressionBinder.dateFunctionNames
                + AggregateCall.Function.names
            if let suggestion = NameSuggestion.closest(to: name, among: known) {
                message += "; did you mean '\(suggestion)'?"
            }
            throw error(.binding, message, at: expression)
        }
    }
}
