import FuzzSupport
import Strata
import StrataCore

/// Queries over the fixed table: parse, bind, plan and run, then read every cell of the result.
let database = FuzzTable.populated()

/// Longest statement tried (longer inputs only slow the fuzzer down).
let maximumLength = 4096

@main
enum SQLFuzzTarget {
    static func main() { FuzzDriver.run(fuzzSQL) }
}

func fuzzSQL(_ data: UnsafePointer<UInt8>?, _ size: Int) -> CInt {
    guard let data, size <= maximumLength else { return 0 }
    let sql = String(decoding: UnsafeBufferPointer(start: data, count: size), as: UTF8.self)
    // Joins can ask for more rows than any table has (`FROM events a, events b, …` multiplies them): a
    // timeout ends such a query with a `limit` error, as it would for a user, instead of the fuzzer's.
    guard let result = try? database.query(sql, options: QueryOptions(timeout: .seconds(2))) else { return 0 }
    for format in ResultFormat.allCases { _ = result.rendered(as: format) }
    return 0
}
