import Foundation
import FuzzSupport
import Strata
import StrataCore

/// Writes the binary seeds of the segment, WAL and catalog targets (`fuzz-seeds <Fixtures/fuzz>`): a database
/// on disk gets the fixed table's rows, and its write-ahead log, segment and `CATALOG` are copied out.
/// Not a fuzz target; run it by hand when the file formats change.
@main
enum SeedWriter {
    static func main() throws {
        let arguments = CommandLine.arguments
        guard arguments.count == 2 else {
            print("usage: fuzz-seeds <Fixtures/fuzz directory>")
            exit(2)
        }
        let out = arguments[1]
        let files = FileManager.default
        let directory = NSTemporaryDirectory() + "strata-fuzz-seeds-\(getpid())"
        defer { try? files.removeItem(atPath: directory) }
        var options = FuzzTable.options
        options.blockRowCount = 64
        let db = try Database.open(at: directory, options: options)
        let table = try db.createTable(FuzzTable.spec)
        try table.ingest(csvData: Array(FuzzTable.csvRows.utf8))
        // The rows are in the log now (fewer than directWriteRows): copy it before the flush retires it.
        let logs = try files.contentsOfDirectory(atPath: directory + "/wal").sorted()
        guard let log = logs.last else { throw StrataError(.internal, "no write-ahead log was written") }
        try copy(directory + "/wal/" + log, to: out + "/wal/events.log")
        try table.flush()
        let segments = try files.contentsOfDirectory(atPath: directory + "/segments/events").sorted()
        guard let segment = segments.first else { throw StrataError(.internal, "no segment was written") }
        try copy(directory + "/segments/events/" + segment, to: out + "/segment/events.seg")
        try copy(directory + "/CATALOG", to: out + "/catalog/CATALOG")
        try db.close()
    }

    static func copy(_ from: String, to path: String) throws {
        let files = FileManager.default
        try files.createDirectory(
            atPath: (path as NSString).deletingLastPathComponent, withIntermediateDirectories: true)
        try? files.removeItem(atPath: path)
        try files.copyItem(atPath: from, toPath: path)
        print("wrote \(path) (\(try files.attributesOfItem(atPath: path)[.size] ?? 0) bytes)")
    }
}
