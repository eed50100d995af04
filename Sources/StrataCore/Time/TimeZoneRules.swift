import Foundation
import Synchronization

/// A time zone's offsets from UTC over time, read from the system's tz database (the TZif files under
/// `/usr/share/zoneinfo`), for converting between UTC instants and local wall-clock times DST-correctly.
///
/// The file's transitions give the offsets up to its last one (2037 in the "fat" files Debian ships); after
/// it, the POSIX rule in the file's footer (`CET-1CEST,M3.5.0,M10.5.0/3`) gives them for any year.
package struct TimeZoneRules: Sendable, Hashable {
    /// The zone's tz database name, as given: `Europe/Berlin`.
    package let name: String
    /// Instants (seconds since the Unix epoch, ascending) at which the offset changes.
    let transitions: [Int64]
    /// The offset (seconds east of UTC) in effect from `transitions[i]` on.
    let offsets: [Int32]
    /// The offset before the first transition.
    let initialOffset: Int32
    /// The rule after the last transition; nil when the last offset holds for ever.
    let rule: PosixTimeZoneRule?

    /// The directory of the system's tz database.
    package static let databaseDirectory = "/usr/share/zoneinfo"

    private static let cache = Mutex<[String: TimeZoneRules]>([:])

    /// The rules of the zone `name` (`Europe/Berlin`, `America/New_York`, `UTC`), read once and cached.
    ///
    /// - Throws: `invalidArgument` for a name that is not in the tz database; `corruption` for a file that
    ///   is not valid TZif.
    package static func named(_ name: String) throws(StrataError) -> TimeZoneRules {
        if let cached = cache.withLock({ $0[name] }) { return cached }
        // Names are paths inside the database: letters, digits and `/_+-` only, so no name leaves it.
        let allowed = name.unicodeScalars.allSatisfy {
            ($0.isASCII && (CharacterSet.alphanumerics.contains($0) || "/_+-".unicodeScalars.contains($0)))
        }
        guard !name.isEmpty, allowed, !name.hasPrefix("/"), !name.split(separator: "/").contains("..") else {
            throw StrataError(.invalidArgument, "unknown time zone '\(name)'")
        }
        guard let data = FileManager.default.contents(atPath: databaseDirectory + "/" + name) else {
            throw StrataError(
                .invalidArgument, "unknown time zone '\(name)': not in the tz database at \(databaseDirectory)")
        }
        let rules = try TimeZoneRules(name: name, tzif: [UInt8](data))
        cache.withLock { $0[name] = rules }
        return rules
    }

    /// Parses a TZif file (RFC 8536, versions 1 to 4): the 64-bit block when there is one, and its footer.
    package init(name: String, tzif bytes: [UInt8]) throws(StrataError) {
        self.name = name
        var reader = TZifReader(bytes: bytes, zone: name)
        var header = try reader.header()
        if header.version >= 2 {
            try reader.skip(header.blockSize(timeBytes: 4))
            header = try reader.header()
        }
        let timeBytes = header.version >= 2 ? 8 : 4
        var transitions: [Int64] = []
        for _ in 0..<header.timeCount { transitions.append(try reader.integer(bytes: timeBytes)) }
        var indexes: [Int] = []
        for _ in 0..<header.timeCount { indexes.append(Int(try reader.integer(bytes: 1))) }
        var types: [(offset: Int32, isDST: Bool)] = []
        for _ in 0..<header.typeCount {
            let offset = try reader.integer(bytes: 4)
            let isDST = try reader.integer(bytes: 1) != 0
            _ = try reader.integer(bytes: 1)
            guard let offset = Int32(exactly: offset), abs(offset) < 26 * 3600 else {
                throw reader.corrupt("a UTC offset out of range")
            }
            types.append((offset, isDST))
        }
        guard !types.isEmpty, indexes.allSatisfy({ $0 < types.count }),
            zip(transitions, transitions.dropFirst()).allSatisfy({ $0 < $1 })
        else { throw reader.corrupt("inconsistent transitions") }
        try reader.skip(header.charCount + header.leapCount * (timeBytes + 4) + header.stdCount + header.utCount)
        self.transitions = transitions
        self.offsets = indexes.map { types[$0].offset }
        // RFC 8536 §3.2: before the first transition, the first standard-time type (or type 0).
        self.initialOffset = (types.first { !$0.isDST } ?? types[0]).offset
        var rule: PosixTimeZoneRule?
        if header.version >= 2 {
            guard let footer = reader.footer() else { throw reader.corrupt("no footer") }
            if !footer.isEmpty {
                guard let parsed = PosixTimeZoneRule(footer) else {
                    throw reader.corrupt("an unreadable rule '\(footer)'")
                }
                rule = parsed
            }
        }
        self.rule = rule
    }

    /// The offset from UTC, in seconds east, at the UTC instant `seconds` (since the Unix epoch).
    package func offset(atUTC seconds: Int64) -> Int64 {
        guard let first = transitions.first, seconds >= first else { return Int64(initialOffset) }
        if let rule, let last = transitions.last, seconds >= last { return rule.offset(atUTC: seconds) }
        // The last transition at or before `seconds`.
        var low = 0
        var high = transitions.count - 1
        while low < high {
            let mid = (low + high + 1) / 2
            if transitions[mid] <= seconds { low = mid } else { high = mid - 1 }
        }
        return Int64(offsets[low])
    }

    /// The UTC instant (seconds since the Unix epoch) of the local wall-clock time `local` (seconds since
    /// 1970-01-01 00:00 local time), as DuckDB's ICU resolves it: a time that occurs twice (clocks go back)
    /// is the later instant; a time that never occurs (clocks go forward) is read with the offset before the
    /// change, so it lands that much after it (02:30 on the day Berlin skips to 03:00 is 03:30 CEST).
    package func utc(fromLocal local: Int64) -> Int64 {
        let before = offset(atUTC: local &- 86_400)
        let after = offset(atUTC: local &+ 86_400)
        let early = local &- before
        let late = local &- after
        let earlyValid = offset(atUTC: early) == before
        let lateValid = offset(atUTC: late) == after
        switch (earlyValid, lateValid) {
        case (true, true): return max(early, late)
        case (false, true): return late
        default: return early
        }
    }
}

/// Reads the big-endian fields of a TZif file, with errors that name the zone.
private struct TZifReader {
    let bytes: [UInt8]
    let zone: String
    var position = 0

    struct Header {
        var version: Int
        var utCount, stdCount, leapCount, timeCount, typeCount, charCount: Int

        /// The size of the data block after this header, for times of `timeBytes` bytes.
        func blockSize(timeBytes: Int) -> Int {
            timeCount * (timeBytes + 1) + typeCount * 6 + charCount + leapCount * (timeBytes + 4) + stdCount + utCount
        }
    }

    func corrupt(_ what: String) -> StrataError {
        StrataError(.corruption, "the tz database file of '\(zone)' is not valid TZif: \(what)")
    }

    mutating func skip(_ count: Int) throws(StrataError) {
        guard count >= 0, bytes.count - position >= count else { throw corrupt("it ends early") }
        position += count
    }

    /// A signed big-endian integer of 1, 4 or 8 bytes.
    mutating func integer(bytes count: Int) throws(StrataError) -> Int64 {
        guard bytes.count - position >= count else { throw corrupt("it ends early") }
        var value: UInt64 = 0
        for i in 0..<count { value = value << 8 | UInt64(bytes[position + i]) }
        position += count
        if count == 1 { return Int64(value) }
        let shift = UInt64(64 - 8 * count)
        return Int64(bitPattern: value << shift) >> Int64(shift)
    }

    mutating func header() throws(StrataError) -> Header {
        guard bytes.count - position >= 44, bytes[position..<position + 4].elementsEqual("TZif".utf8) else {
            throw corrupt("no TZif header")
        }
        let versionByte = bytes[position + 4]
        let version = versionByte == 0 ? 1 : Int(versionByte) - Int(UInt8(ascii: "0"))
        position += 20
        var counts: [Int] = []
        for _ in 0..<6 {
            let n = try integer(bytes: 4)
            guard n >= 0, n < 1 << 20 else { throw corrupt("a count out of range") }
            counts.append(Int(n))
        }
        return Header(
            version: version, utCount: counts[0], stdCount: counts[1], leapCount: counts[2], timeCount: counts[3],
            typeCount: counts[4], charCount: counts[5])
    }

    /// The POSIX TZ string between the two newlines that end a version 2+ file.
    func footer() -> String? {
        guard position < bytes.count, bytes[position] == UInt8(ascii: "\n"),
            let end = bytes[(position + 1)...].firstIndex(of: UInt8(ascii: "\n"))
        else { return nil }
        return String(decoding: bytes[(position + 1)..<end], as: UTF8.self)
    }
}
