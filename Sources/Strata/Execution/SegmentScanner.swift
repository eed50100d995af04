import StrataCore
import StrataExecution
import StrataStorage

/// Scans one segment into a worker's partial aggregate.
struct SegmentScanner: Sendable {
    let bound: BoundQuery
    let context: QueryContext
    /// The columns each block decodes: `bound.needed`, without the time column when the query
    /// does not read it (no intervals, time buckets or conditions on it).
    let decoded: [BoundColumn]

    init(bound: BoundQuery, context: QueryContext) {
        self.bound = bound
        self.context = context
        decoded = Self.needsTime(bound) ? bound.needed : Array(bound.needed.dropFirst())
    }

    func scan(_ reader: SegmentReader, into partial: inout PartialAggregation) throws(StrataError) {
        partial.stats.segmentsScanned += 1
        var segmentIndex: [Int: Int] = [:]
        for c in bound.needed {
            guard let i = reader.footer.columnIndex(named: c.name) else {
                throw StrataError(.corruption, "segment lacks column '\(c.name)'", location: .init(file: reader.name))
            }
            segmentIndex[c.index] = i
        }
        let column = { (stored: Int) in segmentIndex[stored]! }
        let predicate = try bound.filter.map { f throws(StrataError) in
            try SegmentPredicate.compile(f, bound: bound, reader: reader, segmentColumn: column)
        }
        let aggregateFilters = try bound.aggregations.map { a throws(StrataError) in
            try a.filter.map { f throws(StrataError) in
                try SegmentPredicate.compile(f, bound: bound, reader: reader, segmentColumn: column)
            }
        }
        for (a, accumulator) in zip(bound.aggregations, partial.accumulators) {
            let count = try a.column.flatMap { c throws(StrataError) -> Int? in
                c.hasDictionary ? try reader.dictionary(column: column(c.index)).count : nil
            }
            accumulator.beginSegment(dictionaryCount: count ?? 0)
        }
        var dictionaries: [Int: StringDictionary] = [:]
        for c in bound.needed where c.hasDictionary {
            dictionaries[c.index] = try reader.dictionary(column: column(c.index))
        }
        var grouper = try SegmentGrouper(bound: bound, reader: reader, segmentColumn: column)
        let sparse = bound.sparseRegroup
        var outerGrouper = try sparse.map { s throws(StrataError) in
            try SegmentGrouper(bound: s.outerBound(bound), reader: reader, segmentColumn: column)
        }
        if let sparse, let units = dictionaries[sparse.unitColumn] {
            partial.presence?.units.reserve(codes: units.count)
        }
        let intervals = bound.query.intervals
        let timeColumn = reader.footer.columns[0]
        let selector = predicate.map(RowSelector.init)
        // Without GROUP BY every row is in group 0: no group number per row.
        let oneGroup = bound.keys.isEmpty
        let maxRows = (0..<reader.blockCount).reduce(0) { max($0, reader.rowCount(ofBlock: $1)) }
        // The selection vector, reused by every block of the segment.
        var selection = [Int32](repeating: 0, count: maxRows)
        for block in 0..<reader.blockCount {
            // The state's size sums over every group's distinct sets: measured every 4th block, checked on all.
            if block & 3 == 0 {
                try context.account(&partial.reservedBytes, to: partial.estimatedBytes)
            } else {
                try context.check()
            }
            let zone = timeColumn.blocks[block]
            if !intervals.isEmpty,
                !intervals.contains(where: { $0.lowerBound <= zone.maxInt && zone.minInt < $0.upperBound })
            {
                partial.stats.blocksPruned += 1
                continue
            }
            if let predicate, !predicate.mayMatch({ reader.footer.columns[column($0)].blocks[block] }) {
                partial.stats.blocksPruned += 1
                continue
            }
            partial.stats.blocksScanned += 1
            var columns = BlockColumns(rowCount: reader.rowCount(ofBlock: block), data: [:], dictionaries: dictionaries)
            for c in decoded {
                let s = column(c.index)
                if !reader.isCached(column: s, block: block) {
                    partial.stats.bytesDecoded += Int(reader.footer.columns[s].blocks[block].rawLength)
                }
                columns.data[c.index] = try reader.decodedBlock(column: s, block: block)
            }
            let n = columns.rowCount
            partial.stats.rowsScanned += n
            // `all`: every row of the block is selected and `selection` is not filled.
            var count = n
            var all = true
            if let selector {
                count = selection.withUnsafeMutableBufferPointer { selector.select(columns, into: $0) }
                all = false
            }
            let blockInside =
                intervals.isEmpty || intervals.contains { $0.lowerBound <= zone.minInt && zone.maxInt < $0.upperBound }
            if !blockInside {
                if all { Self.fillIdentity(&selection, n) }
                all = false
                count = selection.withUnsafeMutableBufferPointer {
                    RowSelector.filterTimes(columns, intervals: intervals, selection: $0, count: count)
                }
            }
            if count == 0 { continue }
            partial.stats.rowsMatched += count
            if oneGroup {
                _ = partial.groups.group(GroupTable.Key())
                selection.withUnsafeBufferPointer { sel in
                    let rows = UnsafeBufferPointer(rebasing: sel[0..<count])
                    for (k, a) in bound.aggregations.enumerated() {
                        let accumulator = partial.accumulators[k]
                        accumulator.grow(to: 1)
                        let data = a.column.map { columns[$0.index] }
                        let dictionary = a.column.flatMap { columns.dictionaries[$0.index] }
                        guard let filter = aggregateFilters[k] else {
                            accumulator.updateOneGroup(
                                rows: all ? nil : rows, rowCount: n, data: data, dictionary: dictionary)
                            continue
                        }
                        let t = filter.evaluate(columns)
                        var subRows: [Int32] = []
                        if all {
                            for i in 0..<n where t[i] == Truth.yes { subRows.append(Int32(i)) }
                        } else {
                            for r in rows where t[Int(r)] == Truth.yes { subRows.append(r) }
                        }
                        subRows.withUnsafeBufferPointer {
                            accumulator.updateOneGroup(rows: $0, rowCount: n, data: data, dictionary: dictionary)
                        }
                    }
                }
                continue
            }
            if all { Self.fillIdentity(&selection, n) }
            if let sparse, partial.presence != nil {
                // Every selected row counts its unit; only the non-zero values are summed per unit.
                selection.withUnsafeBufferPointer { sel in
                    let rows = UnsafeBufferPointer(rebasing: sel[0..<count])
                    let outer = outerGrouper!.assign(rows: rows, block: columns, groups: &partial.presence!.outer)
                    outer.withUnsafeBufferPointer { g in
                        partial.presence!.add(rows: rows, groups: g, block: columns, sparse: sparse)
                    }
                }
                continue
            }
            selection.withUnsafeBufferPointer { sel in
                let rows = UnsafeBufferPointer(rebasing: sel[0..<count])
                let groups = grouper.assign(rows: rows, block: columns, groups: &partial.groups)
                for (k, a) in bound.aggregations.enumerated() {
                    let accumulator = partial.accumulators[k]
                    accumulator.grow(to: partial.groups.count)
                    let data = a.column.map { columns[$0.index] }
                    let dictionary = a.column.flatMap { columns.dictionaries[$0.index] }
                    guard let filter = aggregateFilters[k] else {
                        groups.withUnsafeBufferPointer { g in
                            accumulator.update(rows: rows, groups: g, data: data, dictionary: dictionary)
                        }
                        continue
                    }
                    let t = filter.evaluate(columns)
                    var subRows: [Int32] = []
                    var subGroups: [Int32] = []
                    for (r, g) in zip(rows, groups) where t[Int(r)] == Truth.yes {
                        subRows.append(r)
                        subGroups.append(g)
                    }
                    subRows.withUnsafeBufferPointer { r in
                        subGroups.withUnsafeBufferPointer { g in
                            accumulator.update(rows: r, groups: g, data: data, dictionary: dictionary)
                        }
                    }
                }
            }
        }
    }

    private static func fillIdentity(_ selection: inout [Int32], _ n: Int) {
        selection.withUnsafeMutableBufferPointer { s in for i in 0..<n { s[i] = Int32(truncatingIfNeeded: i) } }
    }

    /// Whether the scan must decode the time column: for intervals, time buckets, or because the
    /// query reads the column itself. Otherwise (totals, most filters) the blocks of `ts` are skipped.
    private static func needsTime(_ bound: BoundQuery) -> Bool {
        let time = bound.needed[0].name.lowercased()
        func reads(_ filter: Filter?) -> Bool { filter?.columns.contains { $0.lowercased() == time } ?? false }
        let timeKey = bound.keys.contains { key in
            if case .column(let c) = key { return c.index == bound.needed[0].index }
            return true
        }
        return !bound.query.intervals.isEmpty || timeKey || reads(bound.filter)
            || bound.aggregations.contains { $0.column?.index == bound.needed[0].index || reads($0.filter) }
    }
}

/// HAVING, ORDER BY, OFFSET and LIMIT over result rows.
enum ResultShaper {
    /// A fixed-width bucket counted from the epoch can start before year 1 (a width of a few thousand
    /// years, or data in the first days of year 1): an error, as its start is not a timestamp Strata can
    /// show. Calendar buckets never can (0001-01-01 is a Monday). Checked per group, not per row.
    static func checkBucketStarts(_ rows: [[Value]], query: Query) throws(StrataError) {
        for (p, key) in query.groupBy.enumerated() {
            guard case .fixedBucket(let width) = key else { continue }
            for row in rows where p < row.count {
                guard case .timestamp(let start) = row[p], start < Timestamp.minimum || start > Timestamp.maximum
                else { continue }
                throw bucketStartError(width: width, start: start)
            }
        }
    }

    static func bucketStartError(width: Int64, start: Int64) -> StrataError {
        StrataError(
            .invalidArgument,
            "a \(width) ms time bucket starts at \(start) ms, before the year 0001; use a narrower bucket")
    }

    static func shape(_ result: QueryResult, query: Query) throws(StrataError) -> QueryResult {
        var rows = result.rows
        try checkBucketStarts(rows, query: query)
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
            let sortKeys = keys.map { SortKey(column: $0.0, descending: $0.1.descending, nullsFirst: $0.1.nullsFirst) }
            let types = result.columns.map { $0.type.map(SQLValueType.init) ?? .null }
            guard rows.allSatisfy({ $0.count == types.count }) else {
                throw StrataError(.internal, "result rows do not match their \(types.count) columns")
            }
            // The SQL plan's operators, so that both engines order rows the same way. Their memory is not
            // the query's: the rows are already held.
            let context = QueryContext()
            func batches() -> some Sequence<Batch> {
                stride(from: 0, to: rows.count, by: RowsStream.batchRows).lazy.map { start in
                    Batch(rows: rows[start..<min(rows.count, start + RowsStream.batchRows)], types: types)
                }
            }
            // ORDER BY … LIMIT k over many groups: the first k in a heap, not a sort of every group.
            if let limit = query.limit, limit >= 0, query.offset >= 0,
                case let (end, overflow) = limit.addingReportingOverflow(query.offset), !overflow,
                end <= PlanNode.topLimit, end < rows.count
            {
                let top = TopN(keys: sortKeys, limit: limit, offset: query.offset, context: context)
                for batch in batches() { try top.consume(batch) }
                return QueryResult(columns: result.columns, rows: try top.finish(), stats: result.stats)
            }
            let sort = Sort(keys: sortKeys, context: context)
            for batch in batches() { try sort.consume(batch) }
            rows = try sort.finish()
        }
        let start = min(max(query.offset, 0), rows.count)
        // `start + limit` would overflow for a limit of Int.max past row 0.
        let end = query.limit.map { start + min(max($0, 0), rows.count - start) } ?? rows.count
        return QueryResult(columns: result.columns, rows: Array(rows[start..<end]), stats: result.stats)
    }
}
