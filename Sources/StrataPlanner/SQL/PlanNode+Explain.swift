import Foundation
import StrataCore
import StrataExecution
import StrataStorage

extension PlanNode {
    /// The plan as indented lines, root first; with a profile, each operator's rows and time.
    func explain(profile: PlanProfile? = nil) -> [String] {
        var lines: [String] = []
        var counter = 0
        explain(into: &lines, depth: 0, counter: &counter, profile: profile)
        return lines
    }

    private func explain(into lines: inout [String], depth: Int, counter: inout Int, profile: PlanProfile?) {
        let id = counter
        counter += 1
        let indent = String(repeating: "  ", count: depth)
        var head = indent + headline
        if let entry = profile?.entries[id] {
            head += String(format: "  [rows=%d, time=%.3f ms]", entry.rows, entry.milliseconds)
        }
        lines.append(head)
        for detail in details { lines.append(indent + "    " + detail) }
        if profile != nil, case .scan(let node) = self, let counters = node.counters {
            lines.append(indent + "    work: \(counters.total.readingDescription)")
        }
        for input in inputs { input.explain(into: &lines, depth: depth + 1, counter: &counter, profile: profile) }
    }

    private var headline: String {
        switch self {
        case .values(_, let rows): "Values (\(rows.count) row\(rows.count == 1 ? "" : "s"))"
        case .scan(let node): "Scan \(node.snapshot.spec.name) (vectorized, one block at a time)"
        case .tableFunction(let node): node.headline
        case .filter(_, let predicate): "Filter \(predicate.explainText)"
        case .aggregate(let input, let keys, let aggregates):
            "HashAggregate keys: [\(keys.map { $0.displayName(input.columns) }.joined(separator: ", "))]"
                + " aggregates: [\(aggregates.map(\.text).joined(separator: ", "))]"
        case .project(_, let expressions, let columns):
            "Project "
                + zip(expressions, columns).map { e, c in
                    let text = e.explainText
                    return text == c.name ? text : "\(text) AS \(c.name)"
                }.joined(separator: ", ")
        case .distinct: "Distinct"
        case .window(_, let calls): "Window " + calls.map(\.text).joined(separator: ", ")
        case .sort(let input, let keys):
            "Sort "
                + keys.map { key in
                    input.columns[key.column].name + (key.descending ? " DESC" : "")
                        + (key.nullsFirst ? " NULLS FIRST" : "")
                }.joined(separator: ", ")
        case .limit(_, let limit, let offset):
            "Limit " + (limit.map(String.init) ?? "ALL") + (offset > 0 ? " OFFSET \(offset)" : "")
        case .atMostOneRow(_, let perKey):
            "AtMostOneRow (a subquery used as a value\(perKey == 0 ? "" : ", per value of its first \(perKey) columns"))"
        case .unionAll(let inputs): "UnionAll (\(inputs.count) inputs, one after another)"
        case .join(let node):
            "HashJoin \(node.kind.rawValue.uppercased())"
                + (node.leftKeys.isEmpty
                    ? ""
                    : " on " + zip(node.leftKeys, node.rightKeys).map { l, r in
                        "\(l.displayName(node.left.columns)) = \(r.displayName(node.right.columns))"
                    }.joined(separator: " AND "))
                + " (builds the \(node.buildsRight ? "right" : "left") side)"
        case .gapFill(_, let fill):
            "GapFill key \(fill.timeKey + 1) of \(fill.keyCount), \(fill.intervals.count) interval"
                + (fill.intervals.count == 1 ? "" : "s")
        }
    }

    private var details: [String] {
        switch self {
        case .scan(let node):
            var lines = ["columns: \(node.columns.map(\.name).joined(separator: ", "))"]
            if let range = node.timeRange {
                lines.append("time range: [\(Self.instant(range.lowerBound)), \(Self.instant(range.upperBound)))")
            }
            lines.append(node.snapshot.segmentLine(intervals: node.timeRange.map { [$0] } ?? []))
            let stored = node.snapshot.spec.storedColumns
            for filter in node.indexFilters {
                let values = filter.values.map { "'\($0.replacingOccurrences(of: "'", with: "''"))'" }
                lines.append(
                    "bitmap index: \(stored[filter.column].name) IN (\(values.joined(separator: ", "))) "
                        + "(skips segments and blocks without such rows)")
            }
            if let filter = node.filter {
                lines.append(
                    "filter: \(filter.explainText)  (its columns decode first; the others only for blocks with rows left)")
            }
            if let limit = node.rowLimit { lines.append("stops after \(limit) rows") }
            return lines
        case .limit(let input, let limit, let offset) where input.parallelScan != nil:
            // The limit stops pulling batches: the scan under it reads no further.
            guard let limit else { return [] }
            return ["stops after \(limit) rows" + (offset > 0 ? " (offset \(offset))" : "")]
        case .tableFunction(let node):
            return node.details
        case .join(let node):
            return node.residual.map { ["condition: \($0.explainText)"] } ?? []
        default:
            return []
        }
    }

    static func instant(_ ms: Int64) -> String {
        if ms == .min { return "-inf" }
        if ms == .max { return "+inf" }
        return SQLEvaluation.formatTimestamp(ms)
    }
}

extension TableSnapshot {
    /// EXPLAIN's line of how many segments the time intervals leave to read.
    package func segmentLine(intervals: [Range<Int64>]) -> String {
        let segments = self.segments
        guard !intervals.isEmpty else { return "segments: \(segments.count) of \(segments.count) (no time bound)" }
        let read = segments.filter { s in
            intervals.contains { $0.lowerBound <= s.timeRange.upperBound && s.timeRange.lowerBound < $0.upperBound }
        }.count
        return "segments: \(read) of \(segments.count) (\(segments.count - read) pruned by time)"
    }
}
