import Foundation

extension QueryOptions {
    /// Parses a memory limit as DuckDB writes one: `512MB`, `1.5 GB`, `2GiB`, `100000` (bytes), `50%` (of
    /// the machine's memory), or `none` / `unlimited`. KB, MB, GB and TB are powers of 1000; KiB, MiB, GiB
    /// and TiB powers of 1024.
    /// - Returns: The limit in bytes; `Int.max` for `none`.
    /// - Throws: `invalidArgument` naming the accepted forms.
    public static func parseMemoryLimit(_ text: String) throws(StrataError) -> Int {
        let t = text.trimmingCharacters(in: .whitespaces).lowercased()
        if t == "none" || t == "unlimited" || t == "-1" { return Int.max }
        let number = t.prefix { $0.isNumber || $0 == "." }
        let unit = t.dropFirst(number.count).trimmingCharacters(in: .whitespaces)
        let scale: Double? =
            switch unit {
            case "", "b", "byte", "bytes": 1
            case "k", "kb": 1e3
            case "m", "mb": 1e6
            case "g", "gb": 1e9
            case "t", "tb": 1e12
            case "kib": 1024
            case "mib": 1_048_576
            case "gib": 1_073_741_824
            case "tib": 1_099_511_627_776
            case "%": Double(QueryContext.defaultMemoryLimit) / 80
            default: nil
            }
        guard let scale, let value = Double(number), value > 0, value * scale < 9e18, value * scale >= 1 else {
            throw StrataError(
                .invalidArgument,
                "invalid memory limit '\(text)': expected a size such as '512MB', '2GiB' or '50%', or 'none'")
        }
        return Int(value * scale)
    }

    /// Parses a timeout: `5s`, `250ms`, `2min`, `1h`, `1.5 s`; a bare number is milliseconds (as
    /// PostgreSQL's `statement_timeout`); `0` or `none` means no timeout.
    /// - Returns: The timeout, or nil for none.
    /// - Throws: `invalidArgument` naming the accepted forms.
    public static func parseTimeout(_ text: String) throws(StrataError) -> Duration? {
        let t = text.trimmingCharacters(in: .whitespaces).lowercased()
        if t == "none" || t == "0" { return nil }
        let number = t.prefix { $0.isNumber || $0 == "." }
        let unit = t.dropFirst(number.count).trimmingCharacters(in: .whitespaces)
        let scale: Double? =
            switch unit {
            case "us", "µs", "microsecond", "microseconds": 1e-3
            case "", "ms", "millisecond", "milliseconds": 1
            case "s", "sec", "second", "seconds": 1e3
            case "m", "min", "minute", "minutes": 60e3
            case "h", "hour", "hours": 3600e3
            default: nil
            }
        guard let scale, let value = Double(number), value > 0, value * scale < 1e15 else {
            throw StrataError(
                .invalidArgument, "invalid timeout '\(text)': expected a duration such as '5s', '250ms' or '2min'")
        }
        return .microseconds(Int64((value * scale * 1000).rounded()))
    }
}
