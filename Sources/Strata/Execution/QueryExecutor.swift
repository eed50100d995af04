public import StrataCore
import StrataStorage

/// Runs a bound native query over a snapshot, block by block: prune segments and blocks by time,
/// evaluate the filter into per-row truth values, map rows to groups, update accumulators.
struct QueryExecutor {
    let bound: BoundQuery
    let snapshot: TableSnapshot

    func run() throws(StrataError) -> QueryResult {
        var groups = GroupTable(keyCount: bound.keys.count)
        let accumulators = bound.aggregations.map {
            Accumulator(function: $0.aggregation.function, type: $0.column?.type)
        }
        let intervals = bound.query.intervals
        for (s, entry) in snapshot.segmentEntries.enumerated() {
            if !intervals.isEmpty,
                !intervals.contains(where: { $0.lowerBound <= entry.maxTime && entry.minTime < $0.upperBound })
            {
                continue
            }
            try runSegment(try snapshot.reader(s), groups: &groups, accumulators: accumulators)
        }
        // An ungrouped aggregate answers one row even over no input (count 0, others NULL).
        if bound.keys.isEmpty, groups.count == 0, !bound.aggregations.isEmpty {
            _ = groups.group(GroupTable.Key())
        }
        for a in accumulators { a.grow(to: groups.count) }
        var rows: [[Value]] = []
        rows.reserveCapacity(groups.count)
        for g in 0..<groups.count {
            rows.append(groups.values(of: g) + accumulators.map { $0.result(g) })
        }
        var columns: [QueryResult.Column] = []
        for (i, key) in bound.keys.enumerated() {
            let type: DataType? =
                switch key {
                case .column(let c): c.type
                default: .timestamp
                }
            columns.append(.init(name: bound.query.groupBy[i].name, type: type))
        }
        for (a, acc) in zip(bound.aggregations, accumulators) {
            columns.append(.init(name: a.aggregation.name, type: acc.resultType))
        }
        return try ResultShaper.shape(QueryResult(columns: columns, rows: rows), query: bound.query)
    }

    private func runSegment(_ reader: SegmentReader, groups: inout GroupTable, accumulators: [Accumulator])
        throws(StrataError)
    {
        let stored = snapshot.spec.storedColumns
        var segmentIndex: [Int: Int] = [:]
        for c in bound.needed {
            guard let i = reader.footer.columnIndex(named: stored[c.index].name) else {
                throw StrataError(.corruption, "segment lacks column '\(c.name)'", location: .init(file: reader.name))
            }
            segmentIndex[c.index] = i
        }
        let predicate = try bound.filter.map { f throws(StrataError) in
            try SegmentPredicate.compile(f, bound: bound, reader: reader) { segmentIndex[$0]! }
        }
        let aggregateFilters = try bound.aggregations.map { a throws(StrataError) in
            try a.filter.map { f throws(StrataError) in
                try SegmentPredicate.compile(f, bound: bound, reader: reader) { segmentIndex[$0]! }
            }
        }
        // Per string key column: segment code → key id, filled on first sight.
        var remaps: [Int: [UInt32]] = [:]
        let intervals = bound.query.intervals
        let timeColumn = reader.footer.columns[0]
        for block in 0..<reader.blockCount {
            let zone = timeColumn.blocks[block]
            if !intervals.isEmpty,
                !intervals.contains(where: { $0.lowerBound <= zone.maxInt && zone.minInt < $0.upperBound })
            {
                continue
            }
            var columns = BlockColumns(rowCount: reader.rowCount(ofBlock: block), data: [:])
            for c in bound.needed {
                columns.data[c.index] = try reader.columnBlock(column: segmentIndex[c.index]!, block: block)
            }
            let n = columns.rowCount
            var truth = predicate?.evaluate(columns) ?? [UInt8](repeating: Truth.yes, count: n)
            if !intervals.isEmpty, case .int64(let times, _) = columns[0] {
                for i in 0..<n where !intervals.contains(where: { $0.contains(times[i]) }) { truth[i] = Truth.no }
            }
            var rows: [Int32] = []
            rows.reserveCapacity(n)
            for i in 0..<n where truth[i] == Truth.yes { rows.append(Int32(i)) }
            if rows.isEmpty { continue }
            let rowGroups = assignGroups(rows: rows, columns: columns, groups: &groups, remaps: &remaps)
            for (k, a) in bound.aggregations.enumerated() {
                accumulators[k].grow(to: groups.count)
                let data = a.column.map { columns[$0.index] }
                if let filter = aggregateFilters[k] {
                    let t = filter.evaluate(columns)
                    var subRows: [Int32] = []
                    var subGroups: [Int32] = []
                    for (r, g) in zip(rows, rowGroups) where t[Int(r)] == Truth.yes {
                        subRows.append(r)
                        subGroups.append(g)
                    }
                    accumulators[k].update(rows: subRows, groups: subGroups, data: data)
                } else {
                    accumulators[k].update(rows: rows, groups: rowGroups, data: data)
                }
            }
        }
    }

    /// Group numbers of the selected rows.
    private func assignGroups(
        rows: [Int32], columns: BlockColumns, groups: inout GroupTable, remaps: inout [Int: [UInt32]]
    ) -> [Int32] {
        var keys = [GroupTable.Key](repeating: GroupTable.Key(), count: rows.count)
        for (p, key) in bound.keys.enumerated() {
            switch key {
            case .column(let c):
                let data = columns[c.index]
                switch data {
                case .string(let dictionary, let codes, let validity):
                    var remap = remaps[c.index] ?? [UInt32](repeating: .max, count: dictionary.count)
                    for (k, r) in rows.enumerated() {
                        let i = Int(r)
                        if !(validity?[i] ?? true) {
                            keys[k][p] = groups.positions[p].id(of: .null)
                            continue
                        }
                        let code = Int(codes[i])
                        if remap[code] == .max { remap[code] = groups.positions[p].id(of: .string(dictionary[code])) }
                        keys[k][p] = remap[code]
                    }
                    remaps[c.index] = remap
                default:
                    for (k, r) in rows.enumerated() {
                        keys[k][p] = groups.positions[p].id(of: data.value(at: Int(r), type: c.type))
                    }
                }
            case .timeBucket(let unit):
                guard case .int64(let times, _) = columns[0] else { continue }
                for (k, r) in rows.enumerated() {
                    keys[k][p] = groups.positions[p].id(of: .timestamp(unit.truncate(times[Int(r)])))
                }
            case .fixedBucket(let width):
                guard case .int64(let times, _) = columns[0] else { continue }
                for (k, r) in rows.enumerated() {
                    let start = Timestamp.floorDiv(times[Int(r)], width) * width
                    keys[k][p] = groups.positions[p].id(of: .timestamp(start))
                }
            }
        }
        return keys.map { groups.group($0) }
    }
}

/// HAVING, ORDER BY, OFFSET and LIMIT over result rows.
enum ResultShaper {
    static func shape(_ result: QueryResult, query: Query) throws(StrataError) -> QueryResult {
        var rows = result.rows
        let names = result.columnNames.map { $0.lowercased() }
        func position(_ name: String) throws(StrataError) -> Int {
            guard let p = names.firstIndex(of: name.lowercased()) else {
                throw StrataError(
                    .binding, "no output column '\(name)' (have: \(result.columnNames.joined(separator: ", ")))")
            }
            return p
        }
        if let having = query.having {
            for c in having.columns { _ = try position(c) }
            rows = rows.filter { row in
                having.evaluate { name in names.firstIndex(of: name.lowercased()).map { row[$0] } } == true
            }
        }
        if !query.orderBy.isEmpty {
            var keys: [(Int, OrderKey)] = []
            for k in query.orderBy { keys.append((try position(k.column), k)) }
            rows.sort { a, b in
                for (p, k) in keys {
                    var c = ValueOrder.sortOrder(a[p], b[p], nullsFirst: k.nullsFirst)
                    if k.descending, !a[p].isNull, !b[p].isNull { c = -c }
                    if c != 0 { return c < 0 }
                }
                return false
            }
        }
        let start = min(max(query.offset, 0), rows.count)
        let end = query.limit.map { min(rows.count, start + max($0, 0)) } ?? rows.count
        return QueryResult(columns: result.columns, rows: Array(rows[start..<end]))
    }
}

extension TableSnapshot {
    /// Runs a native query on this snapshot.
    /// - Throws: `binding` for unknown columns, `type` for mismatched literals, `corruption` on a bad block.
    public func execute(_ query: Query) throws(StrataError) -> QueryResult {
        try QueryExecutor(bound: try QueryBinder.bind(query, spec: spec), snapshot: self).run()
    }
}

extension Database {
    /// Runs a native query on a fresh snapshot of `query.table`.
    public func execute(_ query: Query) throws(StrataError) -> QueryResult {
        try table(named: query.table).snapshot().execute(query)
    }
}
