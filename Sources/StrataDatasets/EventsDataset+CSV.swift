public import StrataCore

#if canImport(Glibc)
    import Glibc
#elseif canImport(Musl)
    import Musl
#elseif canImport(Darwin)
    import Darwin
#endif

extension EventsDataset {
    /// What ``writeCSV(to:progress:)`` wrote.
    public struct CSVWriteSummary: Sendable, Hashable {
        /// Paths of the files written, in day order.
        public var files: [String]
        /// Data rows written (headers not counted).
        public var rows: Int
        /// Bytes written over all files.
        public var bytes: Int
    }

    /// Generates the dataset and writes one CSV file per day, `events-YYYY-MM-DD.csv`, into
    /// `directory` (created if missing; existing files of the same names are replaced).
    ///
    /// Each file has the header ``csvHeader`` and its rows in time order; `ts` is
    /// `YYYY-MM-DD HH:MM:SS.mmm` (UTC), revenue has two decimals, booleans are `true`/`false`.
    ///
    /// - Parameters:
    ///   - directory: The output directory.
    ///   - progress: Called on the calling thread after each block of rows is written, with the
    ///     number of rows written so far.
    /// - Returns: The files, rows and bytes written.
    /// - Throws: `StrataError` with code `io` when the directory or a file cannot be written.
    /// - Complexity: O(rows); memory: 4 bytes per row for the plan plus a ~12 MB write buffer.
    @discardableResult
    public func writeCSV(to directory: String, progress: ((Int) -> Void)? = nil) throws(StrataError)
        -> CSVWriteSummary
    {
        try Self.makeDirectory(directory)
        let generator = makeGenerator()
        var summary = CSVWriteSummary(files: [], rows: 0, bytes: 0)
        for day in 0..<EventsDataset.dayCount {
            let path = (directory.hasSuffix("/") ? directory : directory + "/") + Self.fileName(dayIndex: day)
            let descriptor = open(path, O_WRONLY | O_CREAT | O_TRUNC, 0o644)
            guard descriptor >= 0 else { throw Self.ioError("cannot create", path) }
            var failure: StrataError?
            generator.forEachCSVBlock(dayIndex: day) { bytes, rows in
                guard failure == nil else { return }
                if !Self.writeAll(descriptor, bytes) {
                    failure = Self.ioError("cannot write", path)
                    return
                }
                summary.bytes += bytes.count
                summary.rows += rows
                if rows > 0 { progress?(summary.rows) }
            }
            if close(descriptor) != 0 && failure == nil { failure = Self.ioError("cannot close", path) }
            if let failure { throw failure }
            summary.files.append(path)
        }
        return summary
    }

    private static func writeAll(_ descriptor: Int32, _ bytes: UnsafeRawBufferPointer) -> Bool {
        var offset = 0
        while offset < bytes.count {
            let written = write(descriptor, bytes.baseAddress! + offset, bytes.count - offset)
            if written < 0 {
                if errno == EINTR { continue }
                return false
            }
            offset += written
        }
        return true
    }

    /// `mkdir -p`.
    private static func makeDirectory(_ directory: String) throws(StrataError) {
        var path = directory.hasPrefix("/") ? "/" : ""
        for component in directory.split(separator: "/") {
            path += (path.isEmpty || path.hasSuffix("/") ? "" : "/") + component
            if mkdir(path, 0o755) != 0 && errno != EEXIST { throw ioError("cannot create directory", path) }
        }
    }

    private static func ioError(_ what: String, _ path: String) -> StrataError {
        let reason = String(cString: strerror(errno))
        return StrataError(.io, "\(what) \(path): \(reason)", location: .init(file: path))
    }
}

extension EventsDataset.Generator {
    /// Rows per formatted block: ≈12 MB of buffer.
    static let csvBlockRows = 1 << 16
    /// An upper bound of the bytes of one CSV row (the longest is under 130).
    static let csvMaxRowBytes = 192

    /// A day's whole CSV file (header included).
    ///
    /// - Complexity: O(rows of the day).
    public func csv(dayIndex: Int) -> [UInt8] {
        var file: [UInt8] = []
        forEachCSVBlock(dayIndex: dayIndex) { bytes, _ in file.append(contentsOf: bytes) }
        return file
    }

    /// Formats a day's CSV in blocks: first the header alone (0 rows), then blocks of up to
    /// ``csvBlockRows`` rows. The buffer is only valid during the call.
    func forEachCSVBlock(dayIndex: Int, _ body: (UnsafeRawBufferPointer, Int) -> Void) {
        let header = Array((EventsDataset.csvHeader + "\n").utf8)
        header.withUnsafeBytes { body($0, 0) }
        var cursor = DayCursor(self, dayIndex: dayIndex)
        let capacity = Self.csvBlockRows * Self.csvMaxRowBytes + 64
        let buffer = UnsafeMutableRawPointer.allocate(byteCount: capacity, alignment: 16)
        defer { buffer.deallocate() }
        let dayStart = EventsDataset.firstDayMillis + Int64(dayIndex) * DatasetCalendar.millisPerDay
        var datePrefix = Array((EventsDataset.dateText(dayIndex: dayIndex) + " ").utf8)
        datePrefix += [UInt8](repeating: 0, count: 16 - datePrefix.count)
        let tables = CSVTables.shared
        tables.bytes.withUnsafeBytes { table in
            tables.lengths.withUnsafeBufferPointer { lengths in
                CSVTables.twoDigits.withUnsafeBufferPointer { twoDigits in
                    datePrefix.withUnsafeBytes { datePrefix in
                        userDigits.withUnsafeBufferPointer { userDigits in
                            userProfile.withUnsafeBufferPointer { userProfile in
                                userIsNew.withUnsafeBufferPointer { userIsNew in
                                    let formatter = CSVRowFormatter(
                                        table: table.baseAddress!, lengths: lengths, twoDigits: twoDigits,
                                        datePrefix: datePrefix.baseAddress!, dayStart: dayStart,
                                        userDigits: userDigits, userProfile: userProfile, userIsNew: userIsNew)
                                    var remaining = cursor.count
                                    while remaining > 0 {
                                        let rows = min(remaining, Self.csvBlockRows)
                                        remaining -= rows
                                        var end = 0
                                        for _ in 0..<rows {
                                            end = formatter.format(cursor.next(), into: buffer, at: end)
                                        }
                                        body(UnsafeRawBufferPointer(start: buffer, count: end), rows)
                                    }
                                }
                            }
                        }
                    }
                }
            }
        }
    }
}

/// Formats one row as a CSV line into a buffer, from pre-formatted fragments.
private struct CSVRowFormatter {
    let table: UnsafeRawPointer
    let lengths: UnsafeBufferPointer<UInt8>
    let twoDigits: UnsafeBufferPointer<UInt16>
    /// `YYYY-MM-DD ` padded to 16 bytes.
    let datePrefix: UnsafeRawPointer
    let dayStart: Int64
    let userDigits: UnsafeBufferPointer<UInt64>
    let userProfile: UnsafeBufferPointer<UInt16>
    let userIsNew: UnsafeBufferPointer<Bool>

    /// Writes `row` and its newline at `buffer + start` (at most
    /// ``EventsDataset/Generator/csvMaxRowBytes`` bytes, plus up to 32 scratch bytes past the
    /// end); returns the end of the line.
    @inline(__always)
    func format(_ row: EventsRawRow, into buffer: UnsafeMutableRawPointer, at start: Int) -> Int {
        var p = start
        // ts: the day's date, then HH:MM:SS.mmm
        (buffer + p).copyMemory(from: datePrefix, byteCount: 16)
        p += 11
        let ms = Int(row.ts - dayStart)
        let milli = ms % 1000
        buffer.storeBytes(of: twoDigits[ms / 3_600_000], toByteOffset: p, as: UInt16.self)
        buffer.storeBytes(of: UInt8(ascii: ":"), toByteOffset: p + 2, as: UInt8.self)
        buffer.storeBytes(of: twoDigits[ms / 60_000 % 60], toByteOffset: p + 3, as: UInt16.self)
        buffer.storeBytes(of: UInt8(ascii: ":"), toByteOffset: p + 5, as: UInt8.self)
        buffer.storeBytes(of: twoDigits[ms / 1000 % 60], toByteOffset: p + 6, as: UInt16.self)
        buffer.storeBytes(of: UInt8(ascii: "."), toByteOffset: p + 8, as: UInt8.self)
        buffer.storeBytes(of: UInt8(0x30 + milli / 100), toByteOffset: p + 9, as: UInt8.self)
        buffer.storeBytes(of: twoDigits[milli % 100], toByteOffset: p + 10, as: UInt16.self)
        buffer.storeBytes(of: UInt8(ascii: ","), toByteOffset: p + 12, as: UInt8.self)
        p += 13
        // user_id
        buffer.storeBytes(of: UInt8(ascii: "u"), toByteOffset: p, as: UInt8.self)
        buffer.storeBytes(of: userDigits[row.user], toByteOffset: p + 1, as: UInt64.self)
        buffer.storeBytes(of: UInt8(ascii: ","), toByteOffset: p + 9, as: UInt8.self)
        p += 10
        // event; experiment and variant; country, platform and app_version
        p = copyEntry(Int(row.event), buffer, p)
        p = copyEntry(CSVTables.experimentBase + Int(row.experiment) * 3 + Int(row.variant), buffer, p)
        p = copyEntry(CSVTables.profileBase + Int(userProfile[row.user]), buffer, p)
        // revenue: integer cents as d.dd
        if row.revenueCents == 0 {
            buffer.storeBytes(of: 0x2C30_302E_30 as UInt64, toByteOffset: p, as: UInt64.self)  // "0.00,"
            p += 5
        } else {
            p = writeDecimal(UInt64(row.revenueCents / 100), buffer, p)
            buffer.storeBytes(of: UInt8(ascii: "."), toByteOffset: p, as: UInt8.self)
            buffer.storeBytes(of: twoDigits[Int(row.revenueCents % 100)], toByteOffset: p + 1, as: UInt16.self)
            buffer.storeBytes(of: UInt8(ascii: ","), toByteOffset: p + 3, as: UInt8.self)
            p += 4
        }
        // latency_ms
        p = writeDecimal(UInt64(row.latencyMs), buffer, p)
        buffer.storeBytes(of: UInt8(ascii: ","), toByteOffset: p, as: UInt8.self)
        p += 1
        // is_new_user and the newline
        return copyEntry(CSVTables.boolBase + (userIsNew[row.user] ? 1 : 0), buffer, p)
    }

    /// Copies table entry `index` (a fixed 32-byte slot) to `buffer + p`; returns the new end.
    @inline(__always)
    private func copyEntry(_ index: Int, _ buffer: UnsafeMutableRawPointer, _ p: Int) -> Int {
        (buffer + p).copyMemory(from: table + index * CSVTables.stride, byteCount: CSVTables.stride)
        return p + Int(lengths[index])
    }

    /// Writes the decimal digits of `value` at `buffer + p`; returns the new end.
    @inline(__always)
    private func writeDecimal(_ value: UInt64, _ buffer: UnsafeMutableRawPointer, _ p: Int) -> Int {
        var digits = 1
        var bound: UInt64 = 10
        while value >= bound && digits < 19 {
            digits += 1
            bound &*= 10
        }
        var rest = value
        var position = p + digits - 1
        while position >= p {
            buffer.storeBytes(of: UInt8(truncatingIfNeeded: 0x30 + rest % 10), toByteOffset: position, as: UInt8.self)
            rest /= 10
            position -= 1
        }
        return p + digits
    }
}
/// Pre-formatted CSV fragments, each in a 32-byte slot with its comma (or newline) included.
struct CSVTables: Sendable {
    static let stride = 32
    static let experimentBase = EventsVocabulary.events.count
    static let profileBase = experimentBase + EventsVocabulary.experimentCount * 3
    static let boolBase =
        profileBase + EventsVocabulary.countries.count * EventsDataset.Generator.profilesPerCountry

    /// `"00"` … `"99"` as little-endian byte pairs.
    static let twoDigits: [UInt16] = (0..<100).map { (n: Int) -> UInt16 in
        let tens = UInt16(0x30 + n / 10)
        let ones = UInt16(0x30 + n % 10)
        return tens | ones << 8
    }

    static let shared = CSVTables()

    let bytes: [UInt8]
    let lengths: [UInt8]

    private init() {
        var texts: [String] = EventsVocabulary.events.map { $0 + "," }
        for experiment in EventsVocabulary.experiments {
            for variant in EventsVocabulary.variants { texts.append(experiment + "," + variant + ",") }
        }
        for country in EventsVocabulary.countries {
            for platform in EventsVocabulary.platforms {
                for version in EventsVocabulary.appVersions {
                    texts.append(country + "," + platform + "," + version + ",")
                }
            }
        }
        texts += ["false\n", "true\n"]
        var bytes = [UInt8](repeating: 0, count: texts.count * Self.stride)
        var lengths: [UInt8] = []
        for (index, text) in texts.enumerated() {
            let utf8 = Array(text.utf8)
            precondition(utf8.count <= Self.stride, "CSV fragment too long")
            bytes.replaceSubrange((index * Self.stride)..<(index * Self.stride + utf8.count), with: utf8)
            lengths.append(UInt8(utf8.count))
        }
        self.bytes = bytes
        self.lengths = lengths
    }
}
