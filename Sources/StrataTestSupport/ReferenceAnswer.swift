public import Strata
public import StrataCore

/// The reference evaluator's answer: exact cells, and for approximate aggregates the interval
/// their documented bound allows around the exact value.
public struct ReferenceAnswer: Sendable, CustomStringConvertible {
    public enum Cell: Sendable {
        case exact(Value)
        /// The exact value, and the numbers an approximation of it may take.
        case approximately(Value, ClosedRange<Double>)

        public var isApproximate: Bool {
            if case .approximately = self { return true }
            return false
        }

        /// The exact value.
        public var value: Value {
            switch self {
            case .exact(let v), .approximately(let v, _): v
            }
        }
    }

    public var columnNames: [String]
    public var rows: [[Cell]]

    public init(columnNames: [String], rows: [[Cell]]) {
        self.columnNames = columnNames
        self.rows = rows
    }

    /// The answer with every cell's exact value (approximations replaced by what they approximate).
    public var exactRows: [[Value]] { rows.map { $0.map(\.value) } }

    /// Whether `result` holds these rows (in any order unless `ordered`): exact cells equal (doubles
    /// within `tolerance`, relative), approximate cells inside their interval.
    public func matches(_ result: QueryResult, ordered: Bool = false, tolerance: Double = 1e-9) -> Bool {
        mismatch(result, ordered: ordered, tolerance: tolerance) == nil
    }

    /// The first difference between `result` and this answer, described; `nil` when they match.
    public func mismatch(_ result: QueryResult, ordered: Bool = false, tolerance: Double = 1e-9) -> String? {
        guard result.columnNames == columnNames else { return "columns \(result.columnNames) vs \(columnNames)" }
        guard result.rows.count == rows.count else {
            return "\(result.rows.count) rows vs \(rows.count): \(result.rows.prefix(5)) vs \(exactRows.prefix(5))"
        }
        // Rows are matched by their exact cells (group keys make them unique).
        let approximate = rows.first.map { $0.map(\.isApproximate) } ?? []
        func exactKey(_ row: [Value]) -> String {
            Self.key(zip(row, approximate).map { v, a in a ? Value.null : v })
        }
        let x = ordered ? result.rows : result.rows.sorted { exactKey($0) < exactKey($1) }
        let y = ordered ? rows : rows.sorted { exactKey($0.map(\.value)) < exactKey($1.map(\.value)) }
        for (i, (r, s)) in zip(x, y).enumerated() {
            for (c, (v, expected)) in zip(r, s).enumerated() {
                switch expected {
                case .exact(let e):
                    if !Self.close(v, e, tolerance) { return "row \(i) column \(columnNames[c]): \(v) vs \(e); \(r)" }
                case .approximately(let e, let range):
                    guard let d = v.doubleValue, range.contains(d) else {
                        return "row \(i) column \(columnNames[c]): \(v) not in \(range) (exact \(e)); \(r)"
                    }
                }
            }
        }
        return nil
    }

    public var description: String { "\(columnNames) \(exactRows.prefix(10))" }

    static func key(_ r: [Value]) -> String {
        r.map { v in if case .double(let d) = v { String((d * 1000).rounded() / 1000) } else { v.description } }
            .joined(separator: "|")
    }

    static func close(_ a: Value, _ b: Value, _ tolerance: Double) -> Bool {
        switch (a, b) {
        case (.double(let x), .double(let y)):
            return x == y || abs(x - y) <= tolerance * max(abs(x), abs(y), 1e-300) || (x.isNaN && y.isNaN)
        case (.int64(let x), .hugeint(let y)), (.hugeint(let y), .int64(let x)):
            // SQL types integer sums HUGEINT; the native API keeps int64 while they fit.
            return Int128(x) == y
        default:
            return a == b
        }
    }
}
