package import StrataCore

extension SQLEvaluation {
    /// Out of Strata's timestamp range. DuckDB says "Date and time not in timestamp range" past its own
    /// range (years 290309 BC to 294247); Strata's is years 0001 to 9999, the range its storage, parser
    /// and text forms keep.
    static func timestampRangeError() -> StrataError {
        StrataError(.invalidArgument, "date and time not in timestamp range (0001-01-01 to 9999-12-31 23:59:59.999)")
    }

    /// `ms` when it is a timestamp Strata can hold; a range error when it is not (or when computing it
    /// overflowed, `nil`).
    static func checkedTimestamp(_ ms: Int64?) throws(StrataError) -> Int64 {
        guard let ms, ms >= Timestamp.minimum, ms <= Timestamp.maximum else { throw timestampRangeError() }
        return ms
    }

    /// `a + b`, or nil when it overflows 64 bits.
    package static func sum(_ a: Int64, _ b: Int64) -> Int64? {
        let (result, overflow) = a.addingReportingOverflow(b)
        return overflow ? nil : result
    }

    /// `a * b`, or nil when it overflows 64 bits.
    package static func product(_ a: Int64, _ b: Int64) -> Int64? {
        let (result, overflow) = a.multipliedReportingOverflow(by: b)
        return overflow ? nil : result
    }

    /// A DATE moved by whole days (`date + n`), range-checked.
    static func addingDays(_ days: Int64, to ms: Int64) throws(StrataError) -> Int64 {
        try checkedTimestamp(product(days, Timestamp.millisecondsPerDay).flatMap { sum(ms, $0) })
    }

    /// The text of a timestamp text that does not parse: out of range, or not a timestamp at all.
    package static func timestampParseMessage(_ text: String, _ failure: Timestamp.ParseFailure, as type: SQLValueType)
        -> String
    {
        switch failure {
        case .outOfRange: "'\(text)' is out of the \(type) range (years 0001 to 9999)"
        case .malformed: "could not convert string '\(text)' to \(type)"
        }
    }
}
