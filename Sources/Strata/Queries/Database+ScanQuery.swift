public import StrataCore
public import StrataPlanner

extension Database {
    /// Runs a scan query on a fresh snapshot of its table.
    public func execute(_ scan: ScanQuery, options: QueryOptions = QueryOptions()) throws(StrataError) -> QueryResult {
        try table(named: scan.table).snapshot().execute(scan, options: options)
    }
}
