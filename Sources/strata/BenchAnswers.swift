import Foundation
import Strata
import StrataCore

/// DuckDB's answers to one suite file (`Benchmarks/peers/bench_answers.py` writes them), which
/// `strata bench --answers FILE` holds every answer of that file's queries to: the table's and the rolled-up
/// copy's.
struct BenchAnswers {
    /// One JSON cell, as compare.py normalizes it.
    enum Cell: Decodable, CustomStringConvertible {
        case null, bool(Bool), integer(Int64), number(Double), text(String)

        init(from decoder: any Decoder) throws {
            let c = try decoder.singleValueContainer()
            if c.decodeNil() {
                self = .null
            } else if let b = try? c.decode(Bool.self) {
                self = .bool(b)
            } else if let i = try? c.decode(Int64.self) {
                self = .integer(i)
            } else if let d = try? c.decode(Double.self) {
                self = .number(d)
            } else {
                self = .text(try c.decode(String.self))
            }
        }

        var description: String {
            switch self {
            case .null: "NULL"
            case .bool(let b): "\(b)"
            case .integer(let i): "\(i)"
            case .number(let d): "\(d)"
            case .text(let t): t
            }
        }
    }

    struct Answer: Decodable {
        var columns: [String]
        var rows: [[Cell]]
        /// The rows are the exact query's; `approx_*` columns are held to them within ``approximateBound``.
        var approximate: Bool
    }

    struct File: Decodable {
        var rows: Int
        /// The suite file's name (`dashboard.sql`); files written before it was recorded omit it.
        var suite: String?
        var queries: [String: Answer]
    }

    /// The suite's bound on approximate aggregates (`Benchmarks/queries/events.sql`).
    static let approximateBound = 0.03

    var rows: Int
    /// The file name of the suite these answer (`events.sql`).
    var suite: String
    var answers: [String: Answer]

    static func read(_ path: String) throws -> BenchAnswers {
        guard let data = FileManager.default.contents(atPath: path) else {
            throw StrataError(.io, "cannot read the answers file '\(path)' (see Benchmarks/peers/bench_answers.py)")
        }
        do {
            let file = try JSONDecoder().decode(File.self, from: data)
            return BenchAnswers(rows: file.rows, suite: file.suite ?? suite(named: path), answers: file.queries)
        } catch {
            throw StrataError(.corruption, "answers file '\(path)' is malformed: \(error)")
        }
    }

    /// The suite an answers file without a `suite` field is for, from the name bench_answers.py gives it:
    /// `events-answers-1000000.json` answers `events.sql`.
    static func suite(named path: String) -> String {
        let name = URL(fileURLWithPath: path).lastPathComponent
        guard let range = name.range(of: "-answers-") else { return name }
        return name[..<range.lowerBound] + ".sql"
    }

    /// The first difference between `result` and DuckDB's answer to `query`, described; nil when they agree.
    /// A shape-only query (`-- check: shape`) has no full order, so only its row and column counts count.
    func difference(query: BenchQuery, _ result: QueryResult) -> String? {
        guard let answer = answers[query.nameInFile] else {
            return "no DuckDB answer for '\(query.nameInFile)' in the answers file for \(suite)"
        }
        guard answer.columns.count == result.columns.count else {
            return "\(result.columns.count) columns, DuckDB has \(answer.columns.count)"
        }
        guard answer.rows.count == result.rows.count else {
            return "\(result.rows.count) rows, DuckDB has \(answer.rows.count)"
        }
        if query.shapeOnly { return nil }
        for (r, (want, got)) in zip(answer.rows, result.rows).enumerated() {
            for c in want.indices where c < got.count {
                let name = answer.columns[c]
                let bound = answer.approximate && name.hasPrefix("approx_") ? Self.approximateBound : 1e-9
                if !Self.agree(want[c], got[c], bound: bound) {
                    return "row \(r + 1), column '\(name)': \(got[c]), DuckDB \(want[c])"
                }
            }
        }
        return nil
    }

    /// A DuckDB cell against a value of Strata's: integers exactly (unless approximate), other numbers
    /// within `bound` (relative), text and timestamps as compare.py normalizes them.
    static func agree(_ expected: Cell, _ value: Value, bound: Double) -> Bool {
        switch expected {
        case .null: return value.isNull
        case .bool(let b): return value == .bool(b)
        case .text(let t): return normalized(value) == t
        case .integer(let i):
            // JSON writes a whole double as `32.0`, which decodes as an integer: integers compare exactly
            // with integers, as numbers with anything else.
            switch value {
            case .int64(let v) where bound <= 1e-9: return v == i
            case .hugeint(let v) where bound <= 1e-9: return v == Int128(i)
            default: return close(Double(i), value, bound)
            }
        case .number(let d): return close(d, value, bound)
        }
    }

    static func close(_ y: Double, _ value: Value, _ bound: Double) -> Bool {
        guard let x = value.doubleValue ?? Double(value.description) else { return false }
        return x == y || abs(x - y) <= bound * max(abs(x), abs(y))
    }

    /// Timestamps (and DATE text) as `YYYY-MM-DD HH:MM:SS.mmm`, other values as they print.
    static func normalized(_ value: Value) -> String {
        switch value {
        case .timestamp(let ms):
            let text = Timestamp.format(milliseconds: ms)
            return normalizedTimestamp(text) ?? text
        case .string(let s): return normalizedTimestamp(s) ?? s
        default: return value.description
        }
    }

    static func normalizedTimestamp(_ text: String) -> String? {
        guard let match = text.wholeMatch(of: /(\d{4}-\d{2}-\d{2})(?:[ T](\d{2}:\d{2}:\d{2})(\.\d+)?)?/) else {
            return nil
        }
        let fraction = String((match.3.map { $0.dropFirst() } ?? "0") + "000").prefix(3)
        return "\(match.1) \(match.2 ?? "00:00:00").\(fraction)"
    }
}
