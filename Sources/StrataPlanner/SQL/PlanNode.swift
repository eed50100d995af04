import StrataCore
import StrataExecution
import StrataStorage

/// One operator of a SQL plan: the pipeline's operators, each producing rows (as batches, where it streams)
/// with named, typed columns.
indirect enum PlanNode: Sendable {
    /// Constant rows: `SELECT 1 + 1` reads one row of no columns.
    case values(columns: [SQLScope.Column], rows: [[Value]])
    /// Reads stored columns of a table, skipping segments and rows outside `timeRange`.
    case scan(ScanNode)
    /// A table function in FROM (`experiment_analysis(…)`): the rows it produces.
    case tableFunction(any TableFunctionRows)
    case filter(PlanNode, BoundExpression)
    /// Groups by `keys` and computes `aggregates`; the output row is the keys, then the aggregates.
    case aggregate(PlanNode, keys: [BoundExpression], aggregates: [AggregateCall])
    case project(PlanNode, [BoundExpression], columns: [SQLScope.Column])
    case distinct(PlanNode)
    case sort(PlanNode, [SortKey])
    /// Window functions: the input's rows, each with one more column per call (``Window``).
    case window(PlanNode, [WindowCall])
    case limit(PlanNode, limit: Int?, offset: Int)
    /// The query API's gap filling: the missing (other keys × time bucket) rows of an aggregation's output.
    case gapFill(PlanNode, GapFiller)
    /// Two inputs joined on equal keys (a hash join); the output row is the left input's, then the right's.
    case join(JoinNode)
    /// The rows of every input, one input after another (`UNION ALL`); the inputs' columns have one type each.
    case unionAll([PlanNode])
    /// The input's rows, which must be at most one (a subquery used as a value) for each value of the first
    /// `perKey` columns (a correlated subquery's groups; 0: at most one row in all): more is an error.
    case atMostOneRow(PlanNode, perKey: Int)

    /// An ORDER BY key: a position in the input row.
    typealias SortKey = StrataExecution.SortKey

    /// The output columns.
    var columns: [SQLScope.Column] {
        switch self {
        case .values(let columns, _): columns
        case .scan(let node): node.columns
        case .tableFunction(let node): node.columns
        case .filter(let input, _), .distinct(let input), .sort(let input, _), .limit(let input, _, _),
            .gapFill(let input, _), .atMostOneRow(let input, _):
            input.columns
        case .aggregate(let input, let keys, let aggregates):
            keys.enumerated().map { i, key in SQLScope.Column(name: key.displayName(input.columns), type: key.type) }
                + aggregates.map { SQLScope.Column(name: $0.text, type: $0.type) }
        case .project(_, _, let columns): columns
        case .window(let input, let calls): input.columns + calls.map { SQLScope.Column(name: $0.text, type: $0.type) }
        case .join(let node) where node.kind == .semi || node.kind == .anti: node.left.columns
        case .join(let node): node.left.columns + node.right.columns
        case .unionAll(let inputs): inputs[0].columns
        }
    }

    /// The plan with a fresh ``ScanCounters`` on every scan (what each read and skipped: EXPLAIN ANALYZE's
    /// `work:` line and the result's ``QueryStats``), and those counters in plan order.
    func countingScans() -> (PlanNode, [ScanCounters]) {
        var all: [ScanCounters] = []
        func visit(_ node: PlanNode) -> PlanNode {
            switch node {
            case .values, .tableFunction: return node
            case .scan(var scan):
                let counters = ScanCounters()
                let total = scan.snapshot.segmentEntries.count
                counters.update { $0.segmentsTotal = total }
                scan.counters = counters
                all.append(counters)
                return .scan(scan)
            case .filter(let input, let e): return .filter(visit(input), e)
            case .aggregate(let input, let keys, let aggregates):
                return .aggregate(visit(input), keys: keys, aggregates: aggregates)
            case .project(let input, let e, let columns): return .project(visit(input), e, columns: columns)
            case .distinct(let input): return .distinct(visit(input))
            case .sort(let input, let keys): return .sort(visit(input), keys)
            case .window(let input, let calls): return .window(visit(input), calls)
            case .limit(let input, let limit, let offset): return .limit(visit(input), limit: limit, offset: offset)
            case .gapFill(let input, let filler): return .gapFill(visit(input), filler)
            case .join(var join):
                join.left = visit(join.left)
                join.right = visit(join.right)
                join.table = SharedJoinTable()
                return .join(join)
            case .unionAll(let inputs): return .unionAll(inputs.map(visit))
            case .atMostOneRow(let input, let perKey): return .atMostOneRow(visit(input), perKey: perKey)
            }
        }
        let plan = visit(self)
        return (plan, all)
    }

    var inputs: [PlanNode] {
        switch self {
        case .values, .scan, .tableFunction: []
        case .filter(let input, _), .aggregate(let input, _, _), .project(let input, _, _), .distinct(let input),
            .sort(let input, _), .limit(let input, _, _), .gapFill(let input, _), .atMostOneRow(let input, _),
            .window(let input, _):
            [input]
        case .join(let node): [node.left, node.right]
        case .unionAll(let inputs): inputs
        }
    }
}

/// A join of two inputs (``PlanNode/join(_:)``).
struct JoinNode: Sendable {
    enum Kind: String, Sendable {
        case inner, left, right, full, cross
        /// The left rows some right row matches (a WHERE's correlated EXISTS), each once; the output is the left
        /// input's columns only.
        case semi
        /// The left rows no right row matches (NOT EXISTS); the output is the left input's columns only.
        case anti
    }

    var kind: Kind
    var left: PlanNode
    var right: PlanNode
    /// Equal pairs: `leftKeys[k]` over the left input's columns, `rightKeys[k]` over the right's, of one type.
    var leftKeys: [BoundExpression]
    var rightKeys: [BoundExpression]
    /// The rest of the join condition, over the output row (left columns, then right).
    var residual: BoundExpression?
    /// The build side's hash table, made once when the plan runs and shared by the workers that probe it.
    var table = SharedJoinTable()
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
    /// Where the scan adds up its work (the query API's statistics); `nil` for SQL.
    var counters: ScanCounters?

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

extension PlanNode {
    /// The nodes of the plan (each takes one profile id when its stream or rows are made).
    var nodeCount: Int { 1 + inputs.reduce(0) { $0 + $1.nodeCount } }
}
