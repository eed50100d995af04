import StrataCore
import StrataExecution

/// One operator of a SQL plan. Each produces rows of values with named, typed columns; the general
/// path chains them row at a time, the native node hands a whole aggregation to the vectorized engine.
indirect enum PlanNode: Sendable {
    /// Constant rows: `SELECT 1 + 1` reads one row of no columns.
    case values(columns: [SQLScope.Column], rows: [[Value]])
    /// Reads stored columns of a table, skipping segments and rows outside `timeRange`.
    case scan(ScanNode)
    /// `experiment_analysis(…)` in FROM: the rows of an experiment report.
    case experiment(ExperimentNode)
    case filter(PlanNode, BoundExpression)
    /// Groups by `keys` and computes `aggregates`; the output row is the keys, then the aggregates.
    case aggregate(PlanNode, keys: [BoundExpression], aggregates: [AggregateCall])
    case project(PlanNode, [BoundExpression], columns: [SQLScope.Column])
    case distinct(PlanNode)
    case sort(PlanNode, [SortKey])
    case limit(PlanNode, limit: Int?, offset: Int)

    /// An ORDER BY key: a position in the input row.
    typealias SortKey = StrataExecution.SortKey

    /// The output columns.
    var columns: [SQLScope.Column] {
        switch self {
        case .values(let columns, _): columns
        case .scan(let node): node.columns
        case .experiment(let node): node.columns
        case .filter(let input, _), .distinct(let input), .sort(let input, _), .limit(let input, _, _): input.columns
        case .aggregate(let input, let keys, let aggregates):
            keys.enumerated().map { i, key in SQLScope.Column(name: key.displayName(input.columns), type: key.type) }
                + aggregates.map { SQLScope.Column(name: $0.text, type: $0.type) }
        case .project(_, _, let columns): columns
        }
    }

    var inputs: [PlanNode] {
        switch self {
        case .values, .scan, .experiment: []
        case .filter(let input, _), .aggregate(let input, _, _), .project(let input, _, _), .distinct(let input),
            .sort(let input, _), .limit(let input, _, _):
            [input]
        }
    }
}

/// A scan of stored columns.
struct ScanNode: Sendable {
    var snapshot: TableSnapshot
    /// Positions in the table's stored columns, in output order.
    var storedColumns: [Int]
    var timeRange: Range<Int64>?
    /// Conjuncts of the WHERE that bitmap indexes answer (the filter above still checks every row read).
    var indexFilters: [IndexFilter] = []
    /// The WHERE, over the scan's columns, evaluated in the scan: the columns it reads decode first, the
    /// others only for blocks with rows left (``SegmentScan``).
    var filter: BoundExpression?
    /// Stop after this many rows (a LIMIT, plus its OFFSET, with nothing between it and
    /// the scan that could drop or reorder rows).
    var rowLimit: Int?

    var columns: [SQLScope.Column] {
        let stored = snapshot.spec.storedColumns
        return storedColumns.map { SQLScope.Column(name: stored[$0].name, type: SQLValueType(stored[$0].type)) }
    }
}

extension BoundExpression {
    /// A readable name for plans: the column name, or the expression as text.
    func displayName(_ input: [SQLScope.Column]) -> String {
        if case .column(_, _, let name) = self { return name }
        return explainText
    }
}
