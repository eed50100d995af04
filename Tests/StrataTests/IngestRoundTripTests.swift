import Foundation
import Strata
import StrataCore
import StrataDatasets
import Testing

#if canImport(Glibc)
    import Glibc
#endif

@Suite("Ingest round trip and crash safety")
struct IngestRoundTripTests {
    static func eventsSpec() throws -> TableSpec {
        let url = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .deletingLastPathComponent().appendingPathComponent("Fixtures/events-spec.json")
        return try TableSpec.decode(json: try Data(contentsOf: url))
    }

    static func expectedRows(_ generator: EventsDataset.Generator, days: Range<Int>) -> [[Value]] {
        days.flatMap { generator.rows(dayIndex: $0) }.map { r in
            [
                .timestamp(r.ts), .string(r.userId), .string(r.event), .string(r.experiment), .string(r.variant),
                .string(r.country), .string(r.platform), .string(r.appVersion), .bool(r.isNewUser),
                .double(r.revenue), .int64(r.latencyMs),
            ]
        }
    }

    @Test("generated events written as CSV and ingested read back exactly as generated")
    func eventsRoundTrip() throws {
        let dataset = try EventsDataset(rows: 20_000, seed: 1)
        let dir = TestDirectory()
        let summary = try dataset.writeCSV(to: dir.path + "/csv")
        let db = try Database.open(at: dir.path + "/db")
        let table = try db.createTable(try Self.eventsSpec())
        let report = try table.ingest(csv: summary.files)
        #expect(report.rowsRead == 20_000 && report.rowsStored == 20_000 && report.rowsRejected == 0)
        #expect(report.segmentsWritten == EventsDataset.dayCount)
        let expected = Self.expectedRows(dataset.makeGenerator(), days: 0..<EventsDataset.dayCount)
        #expect(sorted(try table.scan().rows) == sorted(expected))
    }

    /// The `strata` executable built next to the test bundle.
    static var strataExecutable: String? {
        let exe = URL(fileURLWithPath: "/proc/self/exe").resolvingSymlinksInPath().deletingLastPathComponent()
        let candidates =
            [exe.appendingPathComponent("strata").path]
            + [Bundle.main.bundleURL, Bundle(for: Marker.self).bundleURL]
            .map { $0.deletingLastPathComponent().appendingPathComponent("strata").path }
        return candidates.first { FileManager.default.isExecutableFile(atPath: $0) }
    }

    final class Marker {}

    @Test(
        "SIGKILL during `strata ingest`: every acknowledged file is complete and no file is partial",
        .enabled(if: strataExecutable != nil, "the strata executable is not built next to the tests"))
    func killMidIngest() throws {
        let dataset = try EventsDataset(rows: 150_000, seed: 3)
        let dir = TestDirectory()
        let summary = try dataset.writeCSV(to: dir.path + "/csv")
        let specPath = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .deletingLastPathComponent().appendingPathComponent("Fixtures/events-spec.json").path
        let process = Process()
        process.executableURL = URL(fileURLWithPath: Self.strataExecutable!)
        process.arguments =
            ["ingest", "--db", dir.path + "/db", "--table", "events", "--spec", specPath] + summary.files
        let pipe = Pipe()
        process.standardOutput = pipe
        process.standardError = FileHandle.nullDevice
        try process.run()
        var output = Data()
        var acknowledged = 0
        while acknowledged < 4 {
            let chunk = pipe.fileHandleForReading.availableData
            if chunk.isEmpty { break }  // finished before we could kill it
            output += chunk
            acknowledged = String(decoding: output, as: UTF8.self).split(separator: "\n").count { $0.hasPrefix("ok ") }
        }
        kill(process.processIdentifier, SIGKILL)
        process.waitUntilExit()
        #expect(process.terminationReason == .uncaughtSignal, "the ingest finished before it could be killed")
        output += pipe.fileHandleForReading.readDataToEndOfFile()
        let acked = Set(
            String(decoding: output, as: UTF8.self).split(separator: "\n").filter { $0.hasPrefix("ok ") }
                .map { String($0.dropFirst(3).prefix { $0 != ":" }) })
        #expect(acked.count >= 4)

        let db = try Database.open(at: dir.path + "/db")
        let table = try db.table(named: "events")
        #expect(db.verify().isEmpty)
        let rows = try table.scan(columns: ["ts"]).rows
        var perDay = [Int](repeating: 0, count: EventsDataset.dayCount)
        for row in rows {
            guard case .timestamp(let ms) = row[0] else { continue }
            perDay[Int((ms - EventsDataset.firstDayMillis) / Timestamp.millisecondsPerDay)] += 1
        }
        for (day, file) in summary.files.enumerated() {
            let full = dataset.rowRange(dayIndex: day).count
            if acked.contains(file) {
                #expect(perDay[day] == full, "acknowledged \(file) has \(perDay[day]) of \(full) rows")
            } else {
                #expect(perDay[day] == 0 || perDay[day] == full, "\(file) is partly stored: \(perDay[day]) of \(full)")
            }
        }
    }
}
