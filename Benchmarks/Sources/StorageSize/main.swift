// strata-storage-size: stores the events dataset in a fresh database and reports its on-disk size.
//
//   swift run -c release strata-storage-size [--rows N] [--codec lz4|zstd|none] [--seed S] [--dir PATH] [--keep]
//
// Generates EventsDataset(rows:seed:) in memory day by day, appends each day as one ColumnBatch to
// an `events` table (eventsSpec: day segments, the chosen codec), then prints the size of the
// segment files and the catalog, bytes per row, append throughput and a per-column breakdown
// from the segment footers (Table.storageBreakdown()).

import Foundation
import Strata
import StrataBenchmarkSupport
import StrataCore
import StrataDatasets

struct Options {
    var rows = 10_000_000
    var codec = Codec.lz4
    var seed: UInt64 = 42
    var directory: String?
    var keep = false
}

func parseOptions() -> Options {
    var options = Options()
    var arguments = CommandLine.arguments.dropFirst()
    func value(_ flag: String) -> String {
        guard let v = arguments.popFirst() else { fail("\(flag) needs a value") }
        return v
    }
    while let argument = arguments.popFirst() {
        switch argument {
        case "--rows":
            guard let n = Int(value(argument).replacingOccurrences(of: "_", with: "")) else {
                fail("--rows: not a number")
            }
            options.rows = n
        case "--codec":
            guard let c = Codec(rawValue: value(argument)) else { fail("--codec: expected lz4, zstd or none") }
            options.codec = c
        case "--seed":
            guard let s = UInt64(value(argument)) else { fail("--seed: not a number") }
            options.seed = s
        case "--dir": options.directory = value(argument)
        case "--keep": options.keep = true
        case "-h", "--help":
            print("usage: strata-storage-size [--rows N] [--codec lz4|zstd|none] [--seed S] [--dir PATH] [--keep]")
            exit(0)
        default: fail("unknown argument '\(argument)'")
        }
    }
    return options
}

func fail(_ message: String) -> Never {
    FileHandle.standardError.write(Data("strata-storage-size: \(message)\n".utf8))
    exit(2)
}

func seconds(_ d: Duration) -> Double {
    Double(d.components.seconds) + Double(d.components.attoseconds) / 1e18
}

func megabytes(_ bytes: Int) -> String { String(format: "%.1f MB", Double(bytes) / 1e6) }

func fileSize(_ path: String) -> Int {
    ((try? FileManager.default.attributesOfItem(atPath: path))?[.size] as? NSNumber)?.intValue ?? 0
}

func run() throws {
    let options = parseOptions()
    let fm = FileManager.default
    let directory =
        options.directory
        ?? (NSTemporaryDirectory() + "strata-storage-size-\(ProcessInfo.processInfo.processIdentifier)")
    if fm.fileExists(atPath: directory) { fail("\(directory) exists; remove it or pass another --dir") }
    defer { if !options.keep { try? fm.removeItem(atPath: directory) } }

    let clock = ContinuousClock()
    let planStart = clock.now
    let generator = try EventsDataset(rows: options.rows, seed: options.seed).makeGenerator()
    var generateTime = planStart.duration(to: clock.now)
    var appendTime = Duration.zero

    let database = try Database.open(at: directory)
    let table = try database.createTable(eventsSpec(codec: options.codec))
    for day in 0..<EventsDataset.dayCount {
        let t0 = clock.now
        let batch = generator.batch(dayIndex: day).columnBatch
        let t1 = clock.now
        try table.append(batch)
        generateTime += t0.duration(to: t1)
        appendTime += t1.duration(to: clock.now)
    }

    let breakdown = try table.storageBreakdown()
    var segmentFiles = 0
    let segmentDirectory = directory + "/segments"
    if let walker = fm.enumerator(atPath: segmentDirectory) {
        for case let file as String in walker where file.hasSuffix(".seg") {
            segmentFiles += fileSize(segmentDirectory + "/" + file)
        }
    }
    let catalog = fileSize(directory + "/CATALOG")
    let total = segmentFiles + catalog
    let rows = table.rowCount

    print("events dataset: \(rows) rows, seed \(options.seed), codec \(options.codec.rawValue), day segments")
    print("database:       \(directory)\(options.keep ? "" : " (removed on exit)")")
    print(
        "on disk:        \(megabytes(total)) (\(total) bytes: \(breakdown.segmentCount) segment files \(segmentFiles) B + catalog \(catalog) B)"
    )
    print(String(format: "bytes per row:  %.2f", Double(total) / Double(max(rows, 1))))
    print(
        String(
            format: "append:         %.2f s, %.0f rows/s (Table.append of one ColumnBatch per day, fsync on)",
            seconds(appendTime), Double(rows) / seconds(appendTime)))
    print(String(format: "generate:       %.2f s (not included above)", seconds(generateTime)))
    print("")
    print("column          type       blocks (encoded)        dictionary    bitmaps       stored      B/row  share")
    for c in breakdown.columns.sorted(by: { $0.storedBytes > $1.storedBytes }) {
        print(
            c.name.padding(toLength: 16, withPad: " ", startingAt: 0)
                + c.type.rawValue.padding(toLength: 11, withPad: " ", startingAt: 0)
                + String(
                    format: "%10.1f MB (%8.1f MB) %9.2f MB %9.2f MB %9.1f MB %7.2f %5.1f%%",
                    Double(c.blockBytes) / 1e6, Double(c.encodedBlockBytes) / 1e6, Double(c.dictionaryBytes) / 1e6,
                    Double(c.bitmapIndexBytes) / 1e6, Double(c.storedBytes) / 1e6,
                    Double(c.storedBytes) / Double(max(rows, 1)), 100 * Double(c.storedBytes) / Double(max(total, 1))))
    }
    print(
        "(segment overhead: footers, headers, padding)".padding(toLength: 80, withPad: " ", startingAt: 0)
            + String(format: "%9.1f MB", Double(breakdown.overheadBytes) / 1e6))
}

do {
    try run()
} catch {
    fail("\(error)")
}
