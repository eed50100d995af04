import StrataCore
import StrataExecution

/// How a query result is written for people and scripts.
public enum ResultFormat: String, Sendable, Hashable, CaseIterable {
    /// An aligned text table: numbers right-aligned, long results cut in the middle with a count.
    case table
    /// RFC 4180 CSV with a header row; NULL is an empty field.
    case csv
    /// A JSON array of objects: numbers as numbers, NULL as null, timestamps as text.
    case json
}

extension QueryResult {
    /// The result written in `format`.
    ///
    /// - Parameters:
    ///   - format: Table, CSV or JSON.
    ///   - maxRows: For tables: at most this many rows are shown, the first and last halves, with a line
    ///     counting the rows left out. CSV and JSON always hold every row.
    /// - Returns: The text, ending with a newline.
    /// - Complexity: O(cells).
    public func rendered(as format: ResultFormat, maxRows: Int = 40) -> String {
        switch format {
        case .table: TextTable.render(self, maxRows: maxRows)
        case .csv: CSVResultWriter.render(self)
        case .json: JSONResultWriter.render(self)
        }
    }
}

/// The text of one cell as Strata prints it everywhere: DuckDB's forms for doubles
/// (`0.1`, `100.0`, `1e+20`) and timestamps (`2026-10-01 12:34:56.7`).
enum CellText {
    static func text(_ value: Value) -> String? {
        switch value {
        case .null: nil
        case .double(let d): SQLEvaluation.formatDouble(d)
        case .timestamp(let ms): SQLEvaluation.formatTimestamp(ms)
        default: value.description
        }
    }
}

/// Renders results as aligned text tables.
public enum TextTable {
    /// The result as an aligned table with a header, a rule, the rows and a row count; numeric columns are
    /// right-aligned; NULL shows as `NULL`.
    ///
    /// - Parameter maxRows: Beyond this many rows, the first and last halves are shown around a line
    ///   saying how many rows were left out.
    public static func render(_ result: QueryResult, maxRows: Int = 40) -> String {
        let header = result.columnNames
        let total = result.rows.count
        var shown = Array(result.rows.indices)
        var omitted = 0
        if total > maxRows, maxRows >= 2 {
            let head = (maxRows + 1) / 2
            let tail = maxRows / 2
            shown = Array(0..<head) + Array((total - tail)..<total)
            omitted = total - head - tail
        }
        let cells = shown.map { r in result.rows[r].map { CellText.text($0) ?? "NULL" } }
        var widths = header.map(\.count)
        for row in cells {
            for (i, c) in row.enumerated() where i < widths.count { widths[i] = max(widths[i], c.count) }
        }
        let numeric = result.columns.map { $0.type?.isNumeric ?? false }
        func line(_ row: [String], alignRight: [Bool]) -> String {
            var text = zip(row, widths).enumerated().map { i, pair in
                let pad = String(repeating: " ", count: max(0, pair.1 - pair.0.count))
                return alignRight[i] ? pad + pair.0 : pair.0 + pad
            }.joined(separator: "  ")
            while text.hasSuffix(" ") { text.removeLast() }
            return text
        }
        var out = [
            line(header, alignRight: numeric), widths.map { String(repeating: "-", count: $0) }.joined(separator: "  "),
        ]
        let head = omitted > 0 ? (maxRows + 1) / 2 : cells.count
        out += cells.prefix(head).map { line($0, alignRight: numeric) }
        if omitted > 0 {
            out.append("… \(omitted) more row\(omitted == 1 ? "" : "s") …")
            out += cells.dropFirst(head).map { line($0, alignRight: numeric) }
        }
        out.append("(\(total) row\(total == 1 ? "" : "s"))")
        return out.joined(separator: "\n") + "\n"
    }
}

/// Writes results as CSV.
enum CSVResultWriter {
    static func render(_ result: QueryResult) -> String {
        var out = result.columnNames.map(field).joined(separator: ",") + "\n"
        for row in result.rows {
            out += row.map { CellText.text($0).map(field) ?? "" }.joined(separator: ",") + "\n"
        }
        return out
    }

    /// A field, quoted when it holds a comma, a quote or a line break (RFC 4180), or is empty text (so
    /// that it differs from NULL).
    static func field(_ text: String) -> String {
        // Bytes, not characters: a scan of the UTF-8 needs no grapheme breaking.
        let needsQuotes =
            text.isEmpty || text.utf8.contains { $0 == UInt8(ascii: ",") || $0 == UInt8(ascii: "\"") || $0 == 10 || $0 == 13 }
        guard needsQuotes else { return text }
        var quoted = "\""
        for character in text {
            if character == "\"" { quoted.append("\"") }
            quoted.append(character)
        }
        return quoted + "\""
    }
}

/// Writes results as a JSON array of objects, one object per line.
package enum JSONResultWriter {
    static func render(_ result: QueryResult) -> String {
        guard !result.rows.isEmpty else { return "[]\n" }
        let keys = result.columnNames.map(string)
        var lines: [String] = []
        for row in result.rows {
            let members = zip(keys, row).map { key, value in key + ":" + json(value) }
            lines.append("{" + members.joined(separator: ",") + "}")
        }
        return "[\n" + lines.joined(separator: ",\n") + "\n]\n"
    }

    static func json(_ value: Value) -> String {
        switch value {
        case .null: "null"
        case .bool(let b): b ? "true" : "false"
        case .int64(let x): String(x)
        case .double(let d): d.isFinite ? SQLEvaluation.formatDouble(d) : "null"
        case .string(let s): string(s)
        case .timestamp(let ms): string(SQLEvaluation.formatTimestamp(ms))
        // Exact numbers as JSON numbers, digit for digit (a reader that wants them exact gets the text).
        case .hugeint(let x): String(x)
        case .decimal(let d): d.description
        }
    }

    package static func string(_ text: String) -> String {
        var out = "\""
        for scalar in text.unicodeScalars {
            switch scalar {
            case "\"": out += "\\\""
            case "\\": out += "\\\\"
            case "\n": out += "\\n"
            case "\r": out += "\\r"
            case "\t": out += "\\t"
            default:
                if scalar.value < 0x20 {
                    let hex = String(scalar.value, radix: 16)
                    out += "\\u" + String(repeating: "0", count: 4 - hex.count) + hex
                } else {
                    out.unicodeScalars.append(scalar)
                }
            }
        }
        return out + "\""
    }
}

/// Writes a result as CSV or JSON as its batches arrive (``QueryStream``), the same text the whole
/// result renders to, so an export of any size holds one batch at a time.
public struct ResultStreamWriter {
    public let format: ResultFormat
    private let columns: [String]
    private var rows = 0

    /// - Parameter format: `.csv` or `.json` (a table needs every row to size its columns).
    public init?(format: ResultFormat, columns: [QueryResult.Column]) {
        guard format == .csv || format == .json else { return nil }
        self.format = format
        self.columns = columns.map(\.name)
    }

    /// The text before the first row.
    public func header() -> String {
        format == .csv ? columns.map(CSVResultWriter.field).joined(separator: ",") + "\n" : ""
    }

    /// The text of one batch's rows.
    public mutating func text(_ batch: QueryResult) -> String {
        var out = ""
        switch format {
        case .csv:
            for row in batch.rows {
                out += row.map { CellText.text($0).map(CSVResultWriter.field) ?? "" }.joined(separator: ",") + "\n"
            }
        default:
            let keys = columns.map(JSONResultWriter.string)
            for row in batch.rows {
                out += (rows == 0 ? "[\n" : ",\n") + "{"
                out += zip(keys, row).map { key, value in key + ":" + JSONResultWriter.json(value) }.joined(separator: ",")
                out += "}"
                rows += 1
            }
        }
        return out
    }

    /// The text after the last row.
    public func footer() -> String {
        guard format == .json else { return "" }
        return rows == 0 ? "[]\n" : "\n]\n"
    }
}
