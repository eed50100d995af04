import StrataCore
import StrataExecution
import StrataSQL

extension ExpressionBinder {
    /// DuckDB's other names for the string functions.
    static let textFunctionAliases: [String: TextFunction] = [
        "instr": .strpos, "position": .strpos, "prefix": .startsWith, "suffix": .endsWith,
    ]

    /// The string and regular-expression function names the binder knows (for "did you mean").
    static let textFunctionNames =
        TextFunction.allCases.filter { $0 != .concatenate }.map(\.rawValue) + textFunctionAliases.keys.sorted() + [
            "regexp_matches", "regexp_full_match", "regexp_replace", "regexp_extract",
        ]

    /// Binds a call of a string or regular-expression function; `nil` when `name` is not one.
    func bindTextFunction(_ call: FunctionCall, name: String, at expression: SQLExpression, child: Child)
        throws(StrataError) -> BoundExpression?
    {
        if name.hasPrefix("regexp_") { return try bindRegexFunction(call, name: name, at: expression, child: child) }
        if name == "like_escape" || name == "ilike_escape" {
            return try bindLikeEscape(call, name: name, at: expression, child: child)
        }
        if name == "string_split" || name == "str_split" || name == "string_to_array" {
            throw error(
                .unsupported, "\(name)() returns a LIST, and Strata has no list types yet; use split_part()",
                at: expression)
        }
        guard let function = TextFunction(rawValue: name) ?? Self.textFunctionAliases[name], function != .concatenate
        else { return nil }
        let arity: ClosedRange<Int> =
            switch function {
            case .concat: 1...Int.max
            case .concatenate: 2...2
            case .concatWithSeparator: 2...Int.max
            case .reverse, .md5, .ascii, .chr, .strlen, .unicode, .bitLength: 1...1
            case .trim, .ltrim, .rtrim: 1...2
            case .splitPart, .replace, .lpad, .rpad, .translate: 3...3
            default: 2...2
            }
        try argumentCount(call, arity, at: expression)
        var args: [BoundExpression] = []
        for argument in call.arguments { args.append(try child(argument)) }
        // `position(needle IN haystack)` parses as position(haystack, needle)'s arguments in that order already;
        // the function form `position(needle, haystack)` does not exist in DuckDB, so both read (s, part).
        let integerArguments: Set<Int> =
            switch function {
            case .left, .right, .lpad, .rpad, .repeat: [1]
            case .splitPart: [2]
            case .chr: [0]
            default: []
            }
        for i in args.indices {
            if function == .concat || (function == .concatWithSeparator && i > 0) {
                // concat takes any values, as their text.
                args[i] = try textOf(args[i], call.arguments[i])
                continue
            }
            let type: SQLValueType = integerArguments.contains(i) ? .bigint : .varchar
            args[i] = try coerce(args[i], to: type, name: name, ordinal: i, at: call.arguments[i])
        }
        return .function(.text(function), args, function.resultType)
    }

    private func bindRegexFunction(_ call: FunctionCall, name: String, at expression: SQLExpression, child: Child)
        throws(StrataError) -> BoundExpression?
    {
        let arity: ClosedRange<Int>
        switch name {
        case "regexp_matches", "regexp_full_match", "regexp_extract": arity = 2...3
        case "regexp_replace": arity = 3...4
        default: return nil
        }
        try argumentCount(call, arity, at: expression)
        var args: [BoundExpression] = []
        for argument in call.arguments { args.append(try child(argument)) }
        let subject = try coerce(args[0], to: .varchar, name: name, ordinal: 0, at: call.arguments[0])
        let resultType: SQLValueType = name == "regexp_matches" || name == "regexp_full_match" ? .boolean : .varchar
        // A NULL pattern or options: every row is NULL.
        if args[1...].contains(where: { $0.type == .null }) { return .constant(.null, resultType) }
        let isReplace = name == "regexp_replace"
        let optionIndex = isReplace ? 3 : 2
        let text = try constantString(args[1], name: name, what: "pattern", at: call.arguments[1])
        var options = ""
        if name != "regexp_extract", args.count > optionIndex {
            options = try constantString(
                args[optionIndex], name: name, what: "options", at: call.arguments[optionIndex])
        }
        let pattern: RegexPattern
        do {
            pattern = try RegexPattern(text, options: options, allowsGlobal: isReplace)
        } catch {
            throw self.error(error.code, error.message, at: call.arguments[args.count > optionIndex ? optionIndex : 1])
        }
        switch name {
        case "regexp_matches": return .function(.regex(.matches, pattern), [subject], .boolean)
        case "regexp_full_match": return .function(.regex(.fullMatch, pattern), [subject], .boolean)
        case "regexp_extract":
            var group = 0
            if args.count > 2 {
                guard case .constant(.int64(let k), _) = args[2] else {
                    throw error(.type, "the group of regexp_extract must be a constant integer", at: call.arguments[2])
                }
                guard (0...9).contains(k) else {
                    throw error(
                        .invalidArgument, "the group of regexp_extract must be between 0 and 9", at: call.arguments[2])
                }
                group = Int(k)
            }
            return .function(.regex(.extract(group: group), pattern), [subject], .varchar)
        default:
            let replacement = try coerce(args[2], to: .varchar, name: name, ordinal: 2, at: call.arguments[2])
            if case .constant(.string(let text), _) = replacement {
                do {
                    _ = try RegexPattern.Rewrite(text, groupCount: pattern.groupCount)
                } catch {
                    throw self.error(error.code, error.message, at: call.arguments[2])
                }
            }
            return .function(.regex(.replace, pattern), [subject, replacement], .varchar)
        }
    }

    /// `s LIKE pattern ESCAPE e` (`like_escape(s, pattern, e)`): the constant pattern becomes a full-match
    /// regular expression, `%` any text and `_` any one code point, with the character after `e` literal.
    private func bindLikeEscape(_ call: FunctionCall, name: String, at expression: SQLExpression, child: Child)
        throws(StrataError) -> BoundExpression
    {
        try argumentCount(call, 3...3, at: expression)
        var args: [BoundExpression] = []
        for argument in call.arguments { args.append(try child(argument)) }
        let subject = try coerce(args[0], to: .varchar, name: "LIKE", ordinal: 0, at: call.arguments[0])
        if args[1].type == .null || args[2].type == .null { return .constant(.null, .boolean) }
        let pattern = try constantString(args[1], name: "LIKE … ESCAPE", what: "pattern", at: call.arguments[1])
        let escape = try constantString(args[2], name: "LIKE … ESCAPE", what: "escape", at: call.arguments[2])
        guard escape.unicodeScalars.count <= 1 else {
            throw error(.invalidArgument, "the ESCAPE string must be empty or one character", at: call.arguments[2])
        }
        var regex = ""
        var escaped = false
        for c in pattern.unicodeScalars {
            if escaped {
                regex += Self.regexLiteral(c)
                escaped = false
            } else if String(c) == escape {
                escaped = true
            } else if c == "%" {
                regex += ".*"
            } else if c == "_" {
                regex += "."
            } else {
                regex += Self.regexLiteral(c)
            }
        }
        if escaped {
            throw error(
                .invalidArgument, "a LIKE pattern must not end with its escape character", at: call.arguments[1])
        }
        // `s`: `%` and `_` match a newline too, as LIKE's do.
        let compiled: RegexPattern
        do {
            compiled = try RegexPattern(regex, options: name == "ilike_escape" ? "si" : "s")
        } catch {
            throw self.error(error.code, error.message, at: call.arguments[1])
        }
        return .function(.regex(.fullMatch, compiled), [subject], .boolean)
    }

    /// `c` as a regular expression that matches only it.
    private static func regexLiteral(_ c: Unicode.Scalar) -> String {
        "\\^$.|?*+()[]{}".unicodeScalars.contains(c) ? "\\" + String(c) : String(c)
    }

    /// `x` as an argument of `type`: NULL becomes a NULL of that type; any other type is an error.
    func coerce(_ x: BoundExpression, to type: SQLValueType, name: String, ordinal: Int, at ast: SQLExpression)
        throws(StrataError) -> BoundExpression
    {
        if x.type == type { return x }
        if x.type == .null { return x.constantValue != nil ? .constant(.null, type) : .cast(x, type) }
        let what = type == .bigint ? "an integer" : "a \(type)"
        throw error(.type, "argument \(ordinal + 1) of \(name)() must be \(what), not \(x.type)", at: ast)
    }

    /// `x` as text, as `concat` and `||` convert their operands (an INTERVAL has no text in Strata yet).
    func textOf(_ x: BoundExpression, _ ast: SQLExpression) throws(StrataError) -> BoundExpression {
        if x.type == .varchar { return x }
        if x.type == .null { return x.constantValue != nil ? .constant(.null, .varchar) : .cast(x, .varchar) }
        guard x.type != .interval else { throw error(.type, "cannot concatenate an INTERVAL", at: ast) }
        return .cast(x, .varchar)
    }

    /// The value of a constant string argument (a pattern, options).
    private func constantString(_ x: BoundExpression, name: String, what: String, at ast: SQLExpression)
        throws(StrataError) -> String
    {
        guard case .constant(.string(let text), _) = x else {
            throw error(
                .unsupported, "the \(what) of \(name)() must be a constant string in Strata (it is compiled once)",
                at: ast)
        }
        return text
    }
}
