import Foundation
import FuzzSupport
import Strata
import StrataCore
import StrataStorage

/// A `CATALOG` file: written to a fresh directory and loaded with `CatalogStore.load()`; a catalog that
/// loads is then opened as a database (which reads the tables' dictionaries and checks the segments it
/// names) and every table is counted.
///
/// When the input starts with a header line of three fields (`strata-catalog <format> <crc>`), the checksum
/// field is replaced by the body's true checksum, so mutations reach the JSON decoder and the path checks
/// instead of stopping at the checksum.
@main
enum CatalogFuzzTarget {
    static func main() { FuzzDriver.run(fuzzCatalog) }
}

func fuzzCatalog(_ data: UnsafePointer<UInt8>?, _ size: Int) -> CInt {
    guard let data else { return 0 }
    var bytes = Array(UnsafeBufferPointer(start: data, count: size))
    if let newline = bytes.firstIndex(of: 10) {
        let fields = bytes[..<newline].split(separator: 32, omittingEmptySubsequences: false)
        if fields.count == 3 {
            let body = Array(bytes[(newline + 1)...])
            let checksum = Array(String(CRC32C.checksum(body), radix: 16).utf8)
            bytes = Array(fields[0]) + [32] + Array(fields[1]) + [32] + checksum + [10] + body
        }
    }
    let directory = NSTemporaryDirectory() + "strata-fuzz-catalog-\(getpid())"
    try? FileManager.default.removeItem(atPath: directory)
    defer { try? FileManager.default.removeItem(atPath: directory) }
    do {
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        try Data(bytes).write(to: URL(fileURLWithPath: directory + "/" + CatalogStore.fileName))
    } catch {
        fatalError("cannot write the catalog: \(error)")
    }
    guard (try? CatalogStore(directory: directory).load()) != nil else { return 0 }
    var options = FuzzTable.options
    options.durability = .buffered
    guard let db = try? Database.open(at: directory, options: options) else { return 0 }
    for name in db.tableNames { _ = try? db.query("SELECT count(*) FROM \"\(name)\"") }
    try? db.close()
    return 0
}
