import Foundation
import FuzzSupport
import Strata
import StrataCore

/// A JSON table spec: decode and validate; a valid one is created in an in-memory database, gets one
/// row, is flushed to a segment and queried.
@main
enum TableSpecFuzzTarget {
    static func main() { FuzzDriver.run(fuzzTableSpec) }
}

func fuzzTableSpec(_ data: UnsafePointer<UInt8>?, _ size: Int) -> CInt {
    guard let data else { return 0 }
    guard let spec = try? TableSpec.decode(json: Data(bytes: data, count: size)) else { return 0 }
    let db = Database.inMemory(options: FuzzTable.options)
    defer { try? db.close() }
    guard let table = try? db.createTable(spec) else { return 0 }
    var row: [String: Value] = [:]
    for column in spec.inputColumns {
        row[column.name] =
            switch column.type {
            case .timestamp, .date: .timestamp(1_790_000_000_000)
            case .string: .string("a")
            case .int64: .int64(7)
            case .double: .double(1.5)
            case .bool: .bool(true)
            case .hugeint: .hugeint(7)
            case .decimal: .int64(7)
            }
    }
    _ = try? table.append(rows: [row, row])
    _ = try? table.flush()
    _ = try? db.query("SELECT * FROM \(spec.name)")
    _ = try? db.query("SELECT count(*) FROM \(spec.name) GROUP BY ALL")
    return 0
}
