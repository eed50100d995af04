public import StrataCore
public import StrataPlanner

extension Database {
    /// Runs a native query on a fresh snapshot of `query.table`.
    public func execute(_ query: Query, options: QueryOptions = QueryOptions()) throws(StrataError) -> QueryResult {
        try table(named: query.table).snapshot().execute(query, options: options)
    }
}
