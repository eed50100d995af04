package import StrataCore
package import StrataSQL

/// The values given for a statement's placeholders: a list for `?` and `$n`, names for `$name`.
package enum ParameterValues: Sendable {
    case positional([Value])
    case named([String: Value])

    /// No values: what a statement without placeholders takes.
    package static let none = ParameterValues.positional([])

    /// The values matched to `parameters`, each placeholder to its value.
    ///
    /// - Throws: A `binding` error at the placeholder that has no value, or at the start of the statement
    ///   for a value no placeholder takes (too many values, an unknown name, a list for named
    ///   placeholders or names for positional ones).
    package func bind(to parameters: StatementParameters, source: SQLSourceText) throws(StrataError)
        -> BoundParameters
    {
        let statementStart = SourceRange(offset: 0, length: 0)
        func error(_ message: String, at range: SourceRange?) -> StrataError {
            source.error(.binding, message, at: range ?? statementStart)
        }
        switch (self, parameters.style) {
        case (.positional(let values), nil):
            guard values.isEmpty else {
                throw error("the statement has no parameters, but \(Self.count(values.count)) given", at: nil)
            }
            return BoundParameters()
        case (.named(let values), nil):
            guard values.isEmpty else {
                let names = values.keys.sorted().map { "$" + $0 }.joined(separator: ", ")
                throw error("the statement has no parameters, but values were given for \(names)", at: nil)
            }
            return BoundParameters()
        case (.named(let values), .question?), (.named(let values), .numbered?):
            guard values.isEmpty else {
                throw error(
                    "the statement's parameters are positional ('?' or '$1'): give the values as a list, not by name",
                    at: parameters.firstRange)
            }
            return try Self.positional([], parameters) { error($0, at: $1) }
        case (.positional(let values), .question?), (.positional(let values), .numbered?):
            return try Self.positional(values, parameters) { error($0, at: $1) }
        case (.positional(let values), .named?):
            guard values.isEmpty else {
                throw error(
                    "the statement's parameters are named ('$name'): give the values by name, not as a list",
                    at: parameters.firstRange)
            }
            return try Self.named([:], parameters) { error($0, at: $1) }
        case (.named(let values), .named?):
            return try Self.named(values, parameters) { error($0, at: $1) }
        }
    }

    private static func count(_ n: Int) -> String {
        n == 1 ? "1 value was" : "\(n) values were"
    }

    private static func positional(
        _ values: [Value], _ parameters: StatementParameters, _ fail: (String, SourceRange?) -> StrataError
    ) throws(StrataError) -> BoundParameters {
        func error(_ message: String, at range: SourceRange?) -> StrataError { fail(message, range) }
        let written = parameters.style == .question ? "'?'" : "'$n'"
        // The lowest-numbered placeholder without a value (walking the placeholders written, not 1…n: `$999999999`
        // is one placeholder).
        let missing = parameters.firstRanges.compactMap { key, range -> (n: Int, range: SourceRange)? in
            guard case .numbered(let n) = key, n > values.count else { return nil }
            return (n, range)
        }.min { $0.n < $1.n }
        if let (n, range) = missing {
            let name = parameters.style == .question ? "parameter \(n) ('?')" : "parameter $\(n)"
            throw error(
                "no value for \(name): the statement takes \(parameters.count), but \(count(values.count)) given",
                at: range)
        }
        if values.count > parameters.count {
            throw error(
                "the statement takes \(parameters.count) \(written) parameter\(parameters.count == 1 ? "" : "s"), "
                    + "but \(count(values.count)) given", at: nil)
        }
        var bound = BoundParameters()
        for (i, value) in values.enumerated() {
            guard parameters.range(of: .numbered(i + 1)) != nil else {
                throw error("value \(i + 1) is not used: the statement has no $\(i + 1)", at: nil)
            }
            bound.values[.numbered(i + 1)] = value
        }
        return bound
    }

    private static func named(
        _ values: [String: Value], _ parameters: StatementParameters,
        _ fail: (String, SourceRange?) -> StrataError
    ) throws(StrataError) -> BoundParameters {
        func error(_ message: String, at range: SourceRange?) -> StrataError { fail(message, range) }
        var bound = BoundParameters()
        for (name, value) in values {
            let key = SQLParameter.named(name.lowercased())
            guard parameters.names.contains(name.lowercased()) else {
                let known = parameters.names.map { "$" + $0 }.joined(separator: ", ")
                throw error("no parameter named $\(name) in the statement (it has \(known))", at: nil)
            }
            guard bound.values[key] == nil else {
                throw error("two values were given for $\(name) (names match without regard to case)", at: nil)
            }
            bound.values[key] = value
        }
        for name in parameters.names where bound.values[.named(name)] == nil {
            throw error("no value for parameter $\(name)", at: parameters.range(of: .named(name)))
        }
        return bound
    }
}

/// Each placeholder of a statement with its value, as the binder reads them.
package struct BoundParameters: Sendable {
    /// By ``StatementParameters``' key: `.numbered(n)` for `?` and `$n`, lower-cased names.
    fileprivate(set) var values: [SQLParameter: Value] = [:]

    package init() {}

    /// The value bound to `parameter`, if any.
    func value(for parameter: SQLParameter) -> Value? {
        switch parameter {
        case .next(let n), .numbered(let n): values[.numbered(n)]
        case .named(let name): values[.named(name.lowercased())]
        }
    }
}
