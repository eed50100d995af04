import FuzzSupport
import Strata
import StrataCore

/// CSV ingest into a fresh table of the fixed spec, with both error policies, then a query over what was stored.
@main
enum CSVFuzzTarget {
    static func main() { FuzzDriver.run(fuzzCSV) }
}

func fuzzCSV(_ data: UnsafePointer<UInt8>?, _ size: Int) -> CInt {
    guard let data else { return 0 }
    let bytes = Array(UnsafeBufferPointer(start: data, count: size))
    for policy in [IngestOptions.ErrorPolicy.fail, .skip] {
        let (db, table) = FuzzTable.emptyTable()
        _ = try? table.ingest(csvData: bytes, options: IngestOptions(onError: policy, maxLineBytes: 1 << 16))
        _ = try? db.query("SELECT count(*), count(DISTINCT user_id), sum(revenue), max(ts) FROM events")
        try? db.close()
    }
    return 0
}
