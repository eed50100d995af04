package import StrataCore

#if canImport(Glibc)
    import Glibc
#elseif canImport(Musl)
    import Musl
#elseif canImport(Darwin)
    import Darwin
#endif

/// Reads RFC 4180 CSV (quoted fields with doubled quotes and embedded newlines, CRLF or LF line ends,
/// a header row, an optional UTF-8 byte order mark) straight from bytes into ``IngestColumns``.
package struct CSVReader {
    let spec: TableSpec
    let options: IngestOptions

    package init(spec: TableSpec, options: IngestOptions) {
        self.spec = spec
        self.options = options
    }

    /// Reads one file's bytes. Bad rows go to `problems` (and are not appended); problems with the
    /// file as a whole (header, empty file) throw.
    /// - Returns: the number of data rows read.
    package func read(
        _ bytes: UnsafeRawBufferPointer, file: String, into columns: inout IngestColumns, problems: inout ProblemLog,
        context: QueryContext = QueryContext()
    ) throws(StrataError) -> Int {
        guard let base = bytes.baseAddress?.assumingMemoryBound(to: UInt8.self), bytes.count > 0 else {
            throw StrataError(
                .ingest, "file is empty (expected a header line)", location: .init(file: file, line: 1, column: 1))
        }
        var cursor = CSVCursor(base: base, end: bytes.count, delimiter: options.delimiter)
        if bytes.count >= 3, base[0] == 0xEF, base[1] == 0xBB, base[2] == 0xBF {
            cursor.pos = 3
            cursor.lineStart = 3
        }
        let mapping = try readHeader(&cursor, file: file)
        let expected = mapping.count
        let maxLine = options.maxLineBytes
        var rowsRead = 0
        var scratch: [UInt8] = []
        while cursor.pos < cursor.end && !problems.shouldStop {
            if rowsRead & 65535 == 0 { try context.check() }
            let recordStart = cursor.pos
            let recordLine = cursor.line
            // Blank lines are skipped.
            if base[recordStart] == 0x0A
                || (base[recordStart] == 0x0D && recordStart + 1 < cursor.end && base[recordStart + 1] == 0x0A)
            {
                cursor.pos += base[recordStart] == 0x0A ? 1 : 2
                cursor.newLine()
                continue
            }
            rowsRead += 1
            var fieldCount = 0
            var structural: (line: Int, column: Int, reason: String)?
            var valueProblem: (line: Int, column: Int, reason: String)?
            var extra: (line: Int, column: Int)?
            var endLine = recordLine
            var endColumn = 1
            while true {
                let f = cursor.nextField()
                if structural == nil, let error = f.error {
                    structural = (f.errorLine, f.errorColumn, error)
                }
                // Where the first extra field starts, whatever else is wrong with the record (a bad value
                // before it once left this unset and the report below unwrapped nil).
                if fieldCount >= expected, extra == nil { extra = (f.line, f.column) }
                if structural == nil && valueProblem == nil {
                    if fieldCount < expected {
                        let c = mapping[fieldCount]
                        if c >= 0 {
                            let reason: String?
                            if f.escaped {
                                scratch.removeAll(keepingCapacity: true)
                                CSVCursor.unescape(base + f.start, count: f.end - f.start, into: &scratch)
                                reason = scratch.withUnsafeBytes { columns.appendText(c, $0, quoted: true) }
                            } else {
                                reason = columns.appendText(
                                    c, UnsafeRawBufferPointer(start: base + f.start, count: f.end - f.start),
                                    quoted: f.quoted)
                            }
                            if let reason { valueProblem = (f.line, f.column, reason) }
                        }
                    }
                }
                fieldCount += 1
                endLine = f.endLine
                endColumn = f.endColumn
                if f.terminator != .delimiter { break }
            }
            var problem = structural
            if problem == nil, cursor.pos - recordStart > maxLine {
                problem = (recordLine, 1, "line is longer than the limit of \(maxLine) bytes")
            }
            if problem == nil, fieldCount != expected {
                let reason = "expected \(expected) fields (as in the header), found \(fieldCount)"
                let at = fieldCount < expected ? (line: endLine, column: endColumn) : (extra ?? (endLine, endColumn))
                problem = (at.line, at.column, reason)
            }
            if problem == nil { problem = valueProblem }
            if let problem {
                columns.rollbackRow()
                problems.add(file: file, line: problem.line, column: problem.column, reason: problem.reason)
            } else {
                columns.commitRow()
            }
        }
        return rowsRead
    }

    /// Reads the header and maps each field to an input column (-1: ignored).
    private func readHeader(_ cursor: inout CSVCursor, file: String) throws(StrataError) -> [Int] {
        let columns = spec.inputColumns.map(\.name)
        let lowered = columns.map { $0.lowercased() }
        var mapping: [Int] = []
        var seen: [Int: Int] = [:]
        while true {
            let f = cursor.nextField()
            if let error = f.error {
                throw StrataError(
                    .ingest, "header: " + error, location: .init(file: file, line: f.errorLine, column: f.errorColumn))
            }
            var raw: [UInt8] = []
            if f.escaped {
                CSVCursor.unescape(cursor.base + f.start, count: f.end - f.start, into: &raw)
            } else {
                raw = Array(UnsafeBufferPointer(start: cursor.base + f.start, count: f.end - f.start))
            }
            let location = StrataError.Location(file: file, line: f.line, column: f.column)
            guard raw.withUnsafeBytes({ UTF8Validation.isValid($0) }) else {
                throw StrataError(.ingest, "header: invalid UTF-8 in a column name", location: location)
            }
            let name = String(decoding: raw, as: UTF8.self).trimmingSpaces()
            if let c = lowered.firstIndex(of: name.lowercased()) {
                if let earlier = seen[c] {
                    throw StrataError(
                        .ingest,
                        "header: column '\(name)' appears twice (fields \(earlier + 1) and \(mapping.count + 1))",
                        location: location)
                }
                seen[c] = mapping.count
                mapping.append(c)
            } else {
                if options.extraColumns == .reject {
                    var message = "header: column '\(name)' is not in table '\(spec.name)'"
                    if let s = NameSuggestion.closest(to: name, among: columns) { message += "; did you mean '\(s)'?" }
                    message += " (extra columns are rejected; use the ignore policy to skip them)"
                    throw StrataError(.ingest, message, location: location)
                }
                mapping.append(-1)
            }
            if f.terminator != .delimiter { break }
        }
        if cursor.pos > options.maxLineBytes {
            throw StrataError(
                .ingest, "header: line is longer than the limit of \(options.maxLineBytes) bytes",
                location: .init(file: file, line: 1, column: 1))
        }
        let missing = columns.indices.filter { seen[$0] == nil }.map { "'\(columns[$0])'" }
        if !missing.isEmpty {
            throw StrataError(
                .ingest,
                "header lacks column\(missing.count > 1 ? "s" : "") \(missing.joined(separator: ", ")) of table '\(spec.name)'",
                location: .init(file: file, line: 1, column: 1))
        }
        return mapping
    }
}

extension String {
    fileprivate func trimmingSpaces() -> String {
        var s = Substring(self)
        while let first = s.first, first == " " || first == "\t" { s.removeFirst() }
        while let last = s.last, last == " " || last == "\t" { s.removeLast() }
        return String(s)
    }
}

/// Splits CSV bytes into fields, tracking line numbers and line starts for error positions.
struct CSVCursor {
    let base: UnsafePointer<UInt8>
    let end: Int
    let delimiter: UInt8
    var pos = 0
    /// 1-based line number at `pos`.
    var line = 1
    /// Offset of the first byte of the line `pos` is in.
    var lineStart = 0

    init(base: UnsafePointer<UInt8>, end: Int, delimiter: UInt8) {
        self.base = base
        self.end = end
        self.delimiter = delimiter
    }

    enum Terminator { case delimiter, record, file }

    struct Field {
        /// Byte range of the value (inside the quotes for a quoted field).
        var start: Int
        var end: Int
        var quoted: Bool
        /// Quoted with doubled quotes inside: the value needs ``CSVCursor/unescape(_:count:into:)``.
        var escaped: Bool
        var terminator: Terminator
        /// Where the field starts.
        var line: Int
        var column: Int
        /// Where the field ends (the position of its terminator).
        var endLine: Int
        var endColumn: Int
        var error: String?
        var errorLine = 0
        var errorColumn = 0
    }

    @inline(__always)
    mutating func newLine() {
        line += 1
        lineStart = pos
    }

    @inline(__always)
    mutating func nextField() -> Field {
        let fieldLine = line
        let fieldColumn = pos - lineStart + 1
        if pos < end && base[pos] == 0x22 {
            return quotedField(line: fieldLine, column: fieldColumn)
        }
        let start = pos
        let q = scanUnquoted(from: pos)
        var valueEnd = q
        let atLineEnd = q == end || base[q] == 0x0A
        if atLineEnd, valueEnd > start, base[valueEnd - 1] == 0x0D { valueEnd -= 1 }
        let endColumn = valueEnd - lineStart + 1
        var field = Field(
            start: start, end: valueEnd, quoted: false, escaped: false, terminator: .delimiter, line: fieldLine,
            column: fieldColumn, endLine: fieldLine, endColumn: endColumn)
        if q == end {
            pos = end
            field.terminator = .file
        } else {
            pos = q + 1
            if !atLineEnd {
                field.terminator = .delimiter
            } else {
                field.terminator = .record
                newLine()
            }
        }
        return field
    }

    /// The first offset at or after `from` holding the delimiter or LF (or `end`), 8 bytes at a time.
    @inline(__always)
    private func scanUnquoted(from: Int) -> Int {
        var q = from
        let ones: UInt64 = 0x0101_0101_0101_0101
        let highs: UInt64 = 0x8080_8080_8080_8080
        let d = ones &* UInt64(delimiter)
        let l = ones &* 0x0A
        let raw = UnsafeRawPointer(base)
        while q + 8 <= end {
            let w = raw.loadUnaligned(fromByteOffset: q, as: UInt64.self)
            let x = w ^ d
            let y = w ^ l
            let m = ((x &- ones) & ~x & highs) | ((y &- ones) & ~y & highs)
            if m != 0 { return q + m.trailingZeroBitCount >> 3 }
            q += 8
        }
        while q < end {
            let c = base[q]
            if c == delimiter || c == 0x0A { return q }
            q += 1
        }
        return end
    }

    private mutating func quotedField(line fieldLine: Int, column fieldColumn: Int) -> Field {
        let open = pos
        var q = pos + 1
        var escaped = false
        var closing = -1
        while q < end {
            guard let hit = memchr(base + q, 0x22, end - q) else { break }
            let h = UnsafeRawPointer(hit).assumingMemoryBound(to: UInt8.self) - base
            if h + 1 < end && base[h + 1] == 0x22 {
                escaped = true
                q = h + 2
                continue
            }
            closing = h
            break
        }
        if closing < 0 {
            // Unterminated: the rest of the input is this field.
            var field = Field(
                start: open + 1, end: end, quoted: true, escaped: false, terminator: .file, line: fieldLine,
                column: fieldColumn, endLine: fieldLine, endColumn: fieldColumn)
            field.error = "unterminated quoted field (the quote opened here is never closed)"
            field.errorLine = fieldLine
            field.errorColumn = fieldColumn
            countNewlines(from: open + 1, to: end)
            pos = end
            return field
        }
        countNewlines(from: open + 1, to: closing)
        pos = closing + 1
        var field = Field(
            start: open + 1, end: closing, quoted: true, escaped: escaped, terminator: .file, line: fieldLine,
            column: fieldColumn, endLine: line, endColumn: pos - lineStart + 1)
        if pos >= end {
            field.terminator = .file
        } else if base[pos] == delimiter {
            pos += 1
            field.terminator = .delimiter
        } else if base[pos] == 0x0A {
            pos += 1
            field.terminator = .record
            newLine()
        } else if base[pos] == 0x0D && (pos + 1 == end || base[pos + 1] == 0x0A) {
            pos += pos + 1 == end ? 1 : 2
            field.terminator = pos == end && base[pos - 1] == 0x0D ? .file : .record
            if field.terminator == .record { newLine() }
        } else {
            field.error = "unexpected character after a closing quote (a quote inside a quoted field must be doubled)"
            field.errorLine = line
            field.errorColumn = pos - lineStart + 1
            // Resynchronize at the next delimiter or line end.
            let q = scanUnquoted(from: pos)
            if q == end {
                pos = end
                field.terminator = .file
            } else if base[q] == delimiter {
                pos = q + 1
                field.terminator = .delimiter
            } else {
                pos = q + 1
                field.terminator = .record
                newLine()
            }
        }
        return field
    }

    private mutating func countNewlines(from: Int, to: Int) {
        var q = from
        while q < to {
            guard let hit = memchr(base + q, 0x0A, to - q) else { return }
            let h = UnsafeRawPointer(hit).assumingMemoryBound(to: UInt8.self) - base
            line += 1
            lineStart = h + 1
            q = h + 1
        }
    }

    /// Copies a quoted value, turning each doubled quote into one.
    static func unescape(_ p: UnsafePointer<UInt8>, count: Int, into out: inout [UInt8]) {
        var i = 0
        while i < count {
            out.append(p[i])
            if p[i] == 0x22 && i + 1 < count && p[i + 1] == 0x22 { i += 2 } else { i += 1 }
        }
    }
}
