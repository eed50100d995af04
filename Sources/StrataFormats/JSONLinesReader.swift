package import StrataCore

#if canImport(Glibc)
    import Glibc
#elseif canImport(Musl)
    import Musl
#elseif canImport(Darwin)
    import Darwin
#endif

/// Reads JSON Lines (one JSON object per line; fields by name; `null`, numbers, booleans and strings;
/// nested objects and arrays rejected) straight from bytes into ``IngestColumns``.
package struct JSONLinesReader {
    let spec: TableSpec
    let options: IngestOptions

    package init(spec: TableSpec, options: IngestOptions) {
        self.spec = spec
        self.options = options
    }

    /// Reads one file's bytes; bad rows go to `problems`.
    /// - Returns: the number of (non-blank) lines read.
    package func read(
        _ bytes: UnsafeRawBufferPointer, file: String, into columns: inout IngestColumns, problems: inout ProblemLog,
        context: QueryContext = QueryContext()
    ) throws(StrataError) -> Int {
        guard let base = bytes.baseAddress?.assumingMemoryBound(to: UInt8.self) else { return 0 }
        let names = spec.inputColumns.map { Array($0.name.lowercased().utf8) }
        var seen = [Bool](repeating: false, count: names.count)
        var parser = JSONLineParser(base: base, names: names)
        var lineNumber = 0
        var start = bytes.count >= 3 && base[0] == 0xEF && base[1] == 0xBB && base[2] == 0xBF ? 3 : 0
        var rowsRead = 0
        while start < bytes.count && !problems.shouldStop {
            if lineNumber & 65535 == 0 { try context.check() }
            lineNumber += 1
            let newline = memchr(base + start, 0x0A, bytes.count - start)
            let next = newline.map { UnsafeRawPointer($0).assumingMemoryBound(to: UInt8.self) - base } ?? bytes.count
            var lineEnd = next
            if lineEnd > start && base[lineEnd - 1] == 0x0D { lineEnd -= 1 }
            defer { start = next + 1 }
            var blank = true
            for i in start..<lineEnd where !JSONLineParser.isSpace(base[i]) {
                blank = false
                break
            }
            if blank { continue }
            rowsRead += 1
            if lineEnd - start > options.maxLineBytes {
                problems.add(
                    file: file, line: lineNumber, column: 1,
                    reason: "line is longer than the limit of \(options.maxLineBytes) bytes")
                continue
            }
            for c in seen.indices { seen[c] = false }
            parser.reset(start: start, end: lineEnd)
            var problem = parser.parseObject(
                into: &columns, seen: &seen, rejectUnknown: options.extraColumns == .reject)
            if problem == nil {
                for c in seen.indices where !seen[c] {
                    if columns.appendNull(c) != nil {
                        problem = (1, "required field '\(columns.names[c])' is missing")
                        break
                    }
                }
            }
            if let problem {
                columns.rollbackRow()
                problems.add(file: file, line: lineNumber, column: problem.column, reason: problem.reason)
            } else {
                columns.commitRow()
            }
        }
        return rowsRead
    }
}

/// Parses one JSON object of a line.
struct JSONLineParser {
    let base: UnsafePointer<UInt8>
    /// Lowercased column names, in input-column order.
    let names: [[UInt8]]
    var lineStart = 0
    var pos = 0
    var end = 0
    var scratch: [UInt8] = []
    /// The column the previous key matched (keys usually come in the same order on every line).
    var guess = 0

    init(base: UnsafePointer<UInt8>, names: [[UInt8]]) {
        self.base = base
        self.names = names
    }

    typealias Problem = (column: Int, reason: String)

    mutating func reset(start: Int, end: Int) {
        lineStart = start
        pos = start
        self.end = end
    }

    @inline(__always)
    static func isSpace(_ c: UInt8) -> Bool { c == 0x20 || c == 0x09 || c == 0x0D || c == 0x0A }

    private var column: Int { pos - lineStart + 1 }

    @inline(__always)
    private mutating func skipSpace() {
        while pos < end && Self.isSpace(base[pos]) { pos += 1 }
    }

    private func describe(_ what: String) -> String {
        pos < end
            ? "invalid JSON: expected \(what), found '\(String(decoding: [base[pos]], as: UTF8.self))'"
            : "invalid JSON: expected \(what), found the end of the line"
    }

    mutating func parseObject(into columns: inout IngestColumns, seen: inout [Bool], rejectUnknown: Bool) -> Problem? {
        skipSpace()
        guard pos < end, base[pos] == UInt8(ascii: "{") else {
            return (
                column,
                pos < end && base[pos] == UInt8(ascii: "[")
                    ? "expected a JSON object, found an array"
                    : describe("a JSON object '{'")
            )
        }
        pos += 1
        skipSpace()
        if pos < end && base[pos] == UInt8(ascii: "}") {
            pos += 1
        } else {
            while true {
                skipSpace()
                let keyColumn = column
                guard pos < end, base[pos] == 0x22 else { return (column, describe("a field name in quotes")) }
                let key: (start: Int, count: Int, escaped: Bool)
                switch parseString() {
                case .failure(let p): return (p.column, p.reason)
                case .success(let k): key = k
                }
                let c = lookup(key)
                skipSpace()
                guard pos < end, base[pos] == UInt8(ascii: ":") else { return (column, describe("':'")) }
                pos += 1
                skipSpace()
                let valueColumn = column
                if c < 0 {
                    if rejectUnknown {
                        return (
                            keyColumn,
                            "unknown field '\(keyText(key))' (not a column of the table; extra fields are rejected)"
                        )
                    }
                    if let p = skipValue() { return p }
                } else {
                    if seen[c] { return (keyColumn, "field '\(columns.names[c])' appears twice") }
                    seen[c] = true
                    if let reason = parseValue(column: c, into: &columns) { return (valueColumn, reason) }
                }
                skipSpace()
                guard pos < end else { return (column, describe("',' or '}'")) }
                if base[pos] == UInt8(ascii: ",") {
                    pos += 1
                    continue
                }
                if base[pos] == UInt8(ascii: "}") {
                    pos += 1
                    break
                }
                return (column, describe("',' or '}'"))
            }
        }
        skipSpace()
        guard pos == end else { return (column, "unexpected text after the JSON object (one object per line)") }
        return nil
    }

    private func keyText(_ key: (start: Int, count: Int, escaped: Bool)) -> String {
        key.escaped
            ? String(decoding: scratch, as: UTF8.self)
            : String(decoding: UnsafeBufferPointer(start: base + key.start, count: key.count), as: UTF8.self)
    }

    /// The input column of a key (ASCII case-insensitive), or -1.
    private mutating func lookup(_ key: (start: Int, count: Int, escaped: Bool)) -> Int {
        func matches(_ c: Int) -> Bool {
            let name = names[c]
            guard name.count == key.count else { return false }
            if key.escaped {
                for i in 0..<key.count where Self.lower(scratch[i]) != name[i] { return false }
            } else {
                for i in 0..<key.count where Self.lower(base[key.start + i]) != name[i] { return false }
            }
            return true
        }
        if guess < names.count, matches(guess) {
            guess += 1
            return guess - 1
        }
        for c in names.indices where matches(c) {
            guess = c + 1
            return c
        }
        return -1
    }

    @inline(__always)
    private static func lower(_ c: UInt8) -> UInt8 { c >= 0x41 && c <= 0x5A ? c | 0x20 : c }

    /// Parses a string at `pos` (on its opening quote). Unescaped strings are a range of the line;
    /// escaped ones are decoded into `scratch`.
    private mutating func parseString() -> Result<(start: Int, count: Int, escaped: Bool), ProblemBox> {
        let open = pos
        pos += 1
        let start = pos
        while pos < end {
            let c = base[pos]
            if c == 0x22 {
                pos += 1
                return .success((start, pos - 1 - start, false))
            }
            if c == 0x5C { break }
            if c < 0x20 { return .failure(ProblemBox(column, "invalid JSON: control character in a string")) }
            pos += 1
        }
        guard pos < end else { return .failure(ProblemBox(open - lineStart + 1, "invalid JSON: unterminated string")) }
        // Escapes: decode into scratch.
        scratch.removeAll(keepingCapacity: true)
        scratch.append(contentsOf: UnsafeBufferPointer(start: base + start, count: pos - start))
        while pos < end {
            let c = base[pos]
            if c == 0x22 {
                pos += 1
                return .success((0, scratch.count, true))
            }
            if c < 0x20 { return .failure(ProblemBox(column, "invalid JSON: control character in a string")) }
            if c != 0x5C {
                scratch.append(c)
                pos += 1
                continue
            }
            let escapeColumn = column
            pos += 1
            guard pos < end else { break }
            let e = base[pos]
            pos += 1
            switch e {
            case 0x22, 0x5C, 0x2F: scratch.append(e)
            case UInt8(ascii: "b"): scratch.append(0x08)
            case UInt8(ascii: "f"): scratch.append(0x0C)
            case UInt8(ascii: "n"): scratch.append(0x0A)
            case UInt8(ascii: "r"): scratch.append(0x0D)
            case UInt8(ascii: "t"): scratch.append(0x09)
            case UInt8(ascii: "u"):
                guard var scalar = hex4() else {
                    return .failure(ProblemBox(escapeColumn, "invalid JSON: bad \\u escape"))
                }
                if scalar >= 0xD800 && scalar < 0xDC00 {
                    guard pos + 1 < end, base[pos] == 0x5C, base[pos + 1] == UInt8(ascii: "u") else {
                        return .failure(ProblemBox(escapeColumn, "invalid JSON: unpaired surrogate in \\u escape"))
                    }
                    pos += 2
                    guard let low = hex4(), low >= 0xDC00 && low < 0xE000 else {
                        return .failure(ProblemBox(escapeColumn, "invalid JSON: unpaired surrogate in \\u escape"))
                    }
                    scalar = 0x10000 + ((scalar - 0xD800) << 10) + (low - 0xDC00)
                } else if scalar >= 0xDC00 && scalar < 0xE000 {
                    return .failure(ProblemBox(escapeColumn, "invalid JSON: unpaired surrogate in \\u escape"))
                }
                scratch.append(contentsOf: String(Character(Unicode.Scalar(scalar)!)).utf8)
            default:
                return .failure(
                    ProblemBox(escapeColumn, "invalid JSON: unknown escape '\\\(String(decoding: [e], as: UTF8.self))'")
                )
            }
        }
        return .failure(ProblemBox(open - lineStart + 1, "invalid JSON: unterminated string"))
    }

    private mutating func hex4() -> UInt32? {
        guard pos + 4 <= end else { return nil }
        var v: UInt32 = 0
        for k in 0..<4 {
            let c = base[pos + k]
            let d: UInt8
            switch c {
            case UInt8(ascii: "0")...UInt8(ascii: "9"): d = c - 48
            case UInt8(ascii: "a")...UInt8(ascii: "f"): d = c - 87
            case UInt8(ascii: "A")...UInt8(ascii: "F"): d = c - 55
            default: return nil
            }
            v = v << 4 | UInt32(d)
        }
        pos += 4
        return v
    }

    /// A JSON number token at `pos`: its bytes (validated for JSON number syntax) and whether it is an integer.
    private mutating func numberToken() -> (start: Int, end: Int, integer: Bool)? {
        let start = pos
        var integer = true
        if pos < end && base[pos] == UInt8(ascii: "-") { pos += 1 }
        let digitsStart = pos
        while pos < end && base[pos] &- 48 < 10 { pos += 1 }
        guard pos > digitsStart else { return nil }
        if pos - digitsStart > 1 && base[digitsStart] == UInt8(ascii: "0") { return nil }
        if pos < end && base[pos] == UInt8(ascii: ".") {
            integer = false
            pos += 1
            let f = pos
            while pos < end && base[pos] &- 48 < 10 { pos += 1 }
            guard pos > f else { return nil }
        }
        if pos < end && (base[pos] | 0x20) == UInt8(ascii: "e") {
            integer = false
            pos += 1
            if pos < end && (base[pos] == UInt8(ascii: "+") || base[pos] == UInt8(ascii: "-")) { pos += 1 }
            let e = pos
            while pos < end && base[pos] &- 48 < 10 { pos += 1 }
            guard pos > e else { return nil }
        }
        return (start, pos, integer)
    }

    private mutating func literal(_ word: StaticString) -> Bool {
        let n = word.utf8CodeUnitCount
        guard pos + n <= end, memcmp(base + pos, word.utf8Start, n) == 0 else { return false }
        pos += n
        return true
    }

    /// Parses the value at `pos` into column `c`; the reason if it is bad.
    private mutating func parseValue(column c: Int, into columns: inout IngestColumns) -> String? {
        guard pos < end else { return describe("a value") }
        let name = columns.names[c]
        let kind = columns.kinds[c]
        let first = base[pos]
        switch first {
        case 0x22:
            let s: (start: Int, count: Int, escaped: Bool)
            switch parseString() {
            case .failure(let p): return p.reason
            case .success(let v): s = v
            }
            switch kind {
            case .string, .timestamp, .date, .decimal:
                if s.escaped {
                    return scratch.withUnsafeBytes { columns.appendText(c, $0, quoted: true) }
                }
                return columns.appendText(
                    c, UnsafeRawBufferPointer(start: base + s.start, count: s.count), quoted: true)
            default:
                return "field '\(name)' expects \(kindName(kind)), got a string"
            }
        case UInt8(ascii: "{"), UInt8(ascii: "["):
            return "field '\(name)': nested \(first == UInt8(ascii: "{") ? "objects" : "arrays") are not supported "
                + "(expected \(kindName(kind)))"
        case UInt8(ascii: "n"):
            guard literal("null") else { return describe("a value") }
            return columns.appendNull(c)
        case UInt8(ascii: "t"), UInt8(ascii: "f"):
            guard literal(first == UInt8(ascii: "t") ? "true" : "false") else { return describe("a value") }
            guard kind == .bool else { return "field '\(name)' expects \(kindName(kind)), got a boolean" }
            columns.appendBool(c, first == UInt8(ascii: "t"))
            return nil
        case UInt8(ascii: "-"), UInt8(ascii: "0")...UInt8(ascii: "9"):
            guard let token = numberToken() else { return "invalid JSON: malformed number" }
            let bytes = UnsafeRawBufferPointer(start: base + token.start, count: token.end - token.start)
            switch kind {
            case .int64:
                guard token.integer, let v = FieldParser.int64(bytes) else {
                    return "field '\(name)' expects int64, got \(FieldParser.quote(bytes))"
                }
                columns.appendInt64(c, v)
                return nil
            case .double:
                guard let v = FieldParser.double(bytes) else {
                    return "field '\(name)': not a number \(FieldParser.quote(bytes))"
                }
                columns.appendDouble(c, v)
                return nil
            case .timestamp, .date:
                guard columns.timestampFormat != .iso else {
                    return "field '\(name)' expects an ISO timestamp string, got a number"
                }
                guard token.integer else {
                    return "field '\(name)': epoch milliseconds must be an integer, got \(FieldParser.quote(bytes))"
                }
                return columns.appendText(c, bytes, quoted: false)
            case .decimal:
                // Parsed from the number's text, exactly (never through a double).
                return columns.appendText(c, bytes, quoted: false)
            case .bool, .string:
                return "field '\(name)' expects \(kindName(kind)), got a number"
            }
        default:
            return describe("a value")
        }
    }

    private func kindName(_ kind: IngestColumns.Kind) -> String {
        switch kind {
        case .timestamp: "a timestamp"
        case .date: "a date"
        case .int64: "int64"
        case .double: "a double"
        case .bool: "a boolean"
        case .string: "a string"
        case .decimal(let p, let s): "a decimal(\(p),\(s))"
        }
    }

    /// Skips any JSON value (of an ignored field), nested ones included.
    private mutating func skipValue() -> Problem? {
        var depth = 0
        repeat {
            skipSpace()
            guard pos < end else { return (column, describe("a value")) }
            let c = base[pos]
            switch c {
            case 0x22:
                if case .failure(let p) = parseString() { return (p.column, p.reason) }
            case UInt8(ascii: "{"), UInt8(ascii: "["):
                depth += 1
                pos += 1
                continue
            case UInt8(ascii: "}"), UInt8(ascii: "]"):
                guard depth > 0 else { return (column, describe("a value")) }
                depth -= 1
                pos += 1
            case UInt8(ascii: ","), UInt8(ascii: ":"):
                guard depth > 0 else { return (column, describe("a value")) }
                pos += 1
                continue
            case UInt8(ascii: "n"):
                guard literal("null") else { return (column, describe("a value")) }
            case UInt8(ascii: "t"):
                guard literal("true") else { return (column, describe("a value")) }
            case UInt8(ascii: "f"):
                guard literal("false") else { return (column, describe("a value")) }
            default:
                guard numberToken() != nil else { return (column, "invalid JSON: malformed value") }
            }
        } while depth > 0
        return nil
    }
}

/// A problem as an `Error`, so it can travel in a `Result`.
struct ProblemBox: Error {
    var column: Int
    var reason: String
    init(_ column: Int, _ reason: String) {
        self.column = column
        self.reason = reason
    }
}
