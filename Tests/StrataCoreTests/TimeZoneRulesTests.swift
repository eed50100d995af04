import Foundation
import StrataCore
import Testing

/// The tz database reader: offsets at UTC instants as Foundation's `TimeZone` gives them, and local times
/// resolved across DST changes as DuckDB (ICU) resolves them.
@Suite("Time zone rules")
struct TimeZoneRulesTests {
    static let zones = [
        "Europe/Berlin", "America/New_York", "Australia/Sydney", "Asia/Kolkata", "Pacific/Chatham",
        "Europe/Dublin", "America/Santiago", "UTC", "Asia/Tokyo", "Europe/London",
    ]

    static func seconds(_ year: Int, _ month: Int, _ day: Int, _ hour: Int = 0, _ minute: Int = 0) -> Int64 {
        Int64(CivilDate.days(year: year, month: month, day: day)) * 86_400 + Int64(hour * 3_600 + minute * 60)
    }

    @Test("offsets equal Foundation's every six hours and eleven minutes from 2000 to 2060", arguments: zones)
    func offsetsMatchFoundation(zone: String) throws {
        let rules = try TimeZoneRules.named(zone)
        let foundation = try #require(TimeZone(identifier: zone))
        var mismatches: [String] = []
        var t = Self.seconds(2000, 1, 1)
        // Past 2037 the file's transitions end and its POSIX rule takes over.
        while t < Self.seconds(2060, 1, 1) {
            let expected = Int64(foundation.secondsFromGMT(for: Date(timeIntervalSince1970: Double(t))))
            if rules.offset(atUTC: t) != expected, mismatches.count < 5 {
                mismatches.append("\(t): \(rules.offset(atUTC: t)) != \(expected)")
            }
            t += 6 * 3_600 + 11 * 60
        }
        #expect(mismatches.isEmpty, "\(zone): \(mismatches)")
    }

    @Test("local times across DST changes resolve as DuckDB's AT TIME ZONE does")
    func localTimes() throws {
        let berlin = try TimeZoneRules.named("Europe/Berlin")
        let newYork = try TimeZoneRules.named("America/New_York")
        // Epochs from DuckDB 2.0: epoch(TIMESTAMP '…' AT TIME ZONE '…').
        #expect(berlin.utc(fromLocal: Self.seconds(2026, 3, 29, 2, 30)) == 1_774_747_800)  // skipped: 03:30+02
        #expect(berlin.utc(fromLocal: Self.seconds(2026, 10, 25, 2, 30)) == 1_792_891_800)  // twice: the later
        #expect(newYork.utc(fromLocal: Self.seconds(2026, 10, 25, 1, 30)) == 1_792_906_200)
        #expect(newYork.utc(fromLocal: Self.seconds(2026, 11, 1, 1, 30)) == 1_793_514_600)  // twice: the later
        #expect(berlin.utc(fromLocal: Self.seconds(2026, 7, 1, 12)) == Self.seconds(2026, 7, 1, 10))
        #expect(berlin.utc(fromLocal: Self.seconds(2077, 1, 1, 12)) == Self.seconds(2077, 1, 1, 11))
        #expect(berlin.utc(fromLocal: Self.seconds(2077, 7, 1, 12)) == Self.seconds(2077, 7, 1, 10))
    }

    @Test("every local time that occurs maps back to itself", arguments: zones)
    func roundTrip(zone: String) throws {
        let rules = try TimeZoneRules.named(zone)
        var t = Self.seconds(2020, 1, 1)
        while t < Self.seconds(2050, 1, 1) {
            let local = t + rules.offset(atUTC: t)
            let back = rules.utc(fromLocal: local)
            #expect(back + rules.offset(atUTC: back) == local, "\(zone) at \(t)")
            t += 3 * 3_600 + 17 * 60
        }
    }

    @Test("unknown names and names that would leave the database are refused")
    func unknownNames() {
        for name in ["Europe/Atlantis", "../etc/passwd", "/etc/passwd", "", "Europe/../../etc/passwd", "a\u{0}b"] {
            let error = #expect(throws: StrataError.self) { try TimeZoneRules.named(name) }
            #expect(error?.code == .invalidArgument, "\(name)")
        }
    }

    @Test("a damaged TZif file is a corruption error, never a crash")
    func damagedFiles() throws {
        let bytes = try #require(FileManager.default.contents(atPath: "/usr/share/zoneinfo/Europe/Berlin"))
        let file = [UInt8](bytes)
        #expect(try TimeZoneRules(name: "Europe/Berlin", tzif: file) == TimeZoneRules.named("Europe/Berlin"))
        for length in stride(from: 0, to: file.count - 1, by: 7) {
            #expect(throws: StrataError.self) { try TimeZoneRules(name: "x", tzif: Array(file[..<length])) }
        }
        var flipped = file
        for i in stride(from: 20, to: 44, by: 1) {
            flipped[i] = 0xFF
            do {
                _ = try TimeZoneRules(name: "x", tzif: flipped)
            } catch {
                #expect(error.code == .corruption)
            }
            flipped[i] = file[i]
        }
    }
}
