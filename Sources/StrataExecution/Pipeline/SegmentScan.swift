package import StrataCore
package import StrataStorage
import Synchronization

/// The segments of one table as a query sees them (a snapshot's): their catalog entries in read order,
/// and their readers (opening one may fail: a damaged file is reported when it is read).
package struct ScanSource: Sendable {
    /// The table's name: the vectors of its dictionaries carry its number (``TableNumbers``).
    package var table: String
    /// The table's stored columns.
    package var columns: [StoredColumn]
    package var entries: [SegmentEntry]
    package var reader: @Sendable (Int) throws(StrataError) -> SegmentReader

    package init(
        table: String, columns: [StoredColumn], entries: [SegmentEntry],
        reader: @escaping @Sendable (Int) throws(StrataError) -> SegmentReader
    ) {
        self.table = table
        self.columns = columns
        self.entries = entries
        self.reader = reader
    }
}

/// A conjunct of a WHERE that a segment's bitmap index answers: the rows whose string column holds one of
/// `values` (`country = 'DE'`, `experiment IN ('exp_000', 'exp_001')`).
package struct IndexFilter: Sendable, Equatable {
    /// Position in the table's stored columns.
    package var column: Int
    package var values: [String]

    package init(column: Int, values: [String]) {
        self.column = column
        self.values = values
    }
}

extension IndexFilter {
    /// The conjuncts of `condition` (over stored-column positions) that a bitmap index answers: a stored string
    /// column equal to a constant or in a list of constants. (Columns without an index are passed over by the
    /// scan, segment by segment.)
    /// - Returns: The filters, and whether they are the whole condition: then, in a segment where every one of
    ///   them applies, the index's rows are exactly the rows where the condition is TRUE.
    package static func conjuncts(of condition: BoundExpression, stored: [StoredColumn]) -> (
        filters: [IndexFilter], whole: Bool
    ) {
        let conjuncts: [BoundExpression]
        if case .and(let parts) = condition { conjuncts = parts } else { conjuncts = [condition] }
        var filters: [IndexFilter] = []
        for part in conjuncts {
            switch part {
            case .compare(.equal, .column(let p, .varchar, _), .constant(.string(let value), _)),
                .compare(.equal, .constant(.string(let value), _), .column(let p, .varchar, _)):
                if p < stored.count { filters.append(IndexFilter(column: p, values: [value])) }
            case .inList(.column(let p, .varchar, _), let list, negated: false) where p < stored.count:
                var values: [String] = []
                for item in list {
                    // A NULL in the list matches nothing; any other kind of item keeps the filter off the index.
                    if case .constant(.null, _) = item { continue }
                    guard case .constant(.string(let value), _) = item else {
                        values = []
                        break
                    }
                    values.append(value)
                }
                if !values.isEmpty { filters.append(IndexFilter(column: p, values: values)) }
            default: continue
            }
        }
        return (filters, filters.count == conjuncts.count)
    }

    /// The rows of a segment that every filter allows, ascending (`nil`: no filter applies to the segment),
    /// and whether every filter applied. A filter applies where its column has a bitmap index over a segment
    /// dictionary (a table dictionary's codes are not what the segment's index counts).
    package static func rows(_ filters: [IndexFilter], columns: [StoredColumn], in reader: SegmentReader)
        throws(StrataError) -> (rows: [UInt32]?, complete: Bool)
    {
        var rows: RoaringBitmap?
        var complete = true
        for filter in filters {
            guard let c = reader.footer.columnIndex(named: columns[filter.column].name) else {
                complete = false
                continue
            }
            let column = reader.footer.columns[c]
            guard column.bitmapIndex != nil, column.dictionary != nil, !column.column.tableDictionary else {
                complete = false
                continue
            }
            let dictionary = try reader.dictionary(column: c)
            var matches: [RoaringBitmap] = []
            for value in filter.values {
                if let code = dictionary.code(of: value) { matches.append(try reader.bitmap(column: c, code: code)) }
            }
            let union = RoaringBitmap.union(matches)
            rows = rows.map { $0.intersection(union) } ?? union
        }
        return (rows?.toArray(), complete)
    }
}

/// Reads stored columns of a snapshot as batches, one segment block at a time.
///
/// Segments whose time range misses `timeRange` are skipped, and so are blocks whose time zone map misses
/// it; a block partly inside keeps only its rows in range. String columns come as dictionary vectors over
/// the segment's sorted dictionary (the table dictionary when the column has one), so expressions of them
/// run per entry. With `limit`, the scan stops once it has produced that many rows.
///
/// With `indexFilters`, a segment whose columns have bitmap indexes reads the rows of the filters' values
/// from them first: a segment without such rows is skipped, and so is every block without one, before any
/// column of it is decoded; a block where they are few keeps only them. `filter` still runs on what is
/// read, so this only saves work, unless the index filters are the whole of `filter` and all apply in a
/// segment: then the index's rows are the filter's, and the filter's columns are not read for it.
///
/// With `filter` (a WHERE over the output columns), the scan keeps only the rows where it is TRUE, and reads
/// late: it decodes the columns the filter reads first, and the others only for a block with rows left, whose
/// batch then holds just those rows.
package struct SegmentScan {
    let source: ScanSource
    /// Positions in the table's stored columns, in output order.
    let columns: [Int]
    let timeRange: Range<Int64>?
    let indexFilters: [IndexFilter]
    let limit: Int?
    /// Whether a batch whose WHERE keeps many of its block's rows (a quarter or more) comes whole, with the
    /// rows as its ``Batch/selection``, instead of gathered: set for a hash aggregate that reads the rows in
    /// place (copying every column's kept values cost more than aggregating them).
    package var keepsSelection = false
    /// The filter over the columns it reads (`filterColumns`, positions in `columns`), renumbered in that order.
    private let filter: VectorExpression?
    private let filterColumns: [Int]
    /// Whether `indexFilters` are the whole of `filter` (``IndexFilter/conjuncts(of:stored:)``).
    private let indexAnswersFilter: Bool
    /// The segments this scan reads (a worker's share), by index in the snapshot.
    let segments: [Int]
    /// For one worker of several over few segments: the worker reads the `part`-th of `parts` contiguous runs
    /// of each segment's blocks (``init(source:columns:timeRange:indexFilters:filter:limit:share:counters:)``).
    private let piece: (part: Int, parts: Int)?
    /// Below this many segments in range per worker, workers split every segment's blocks instead of taking
    /// whole segments: whole segments would leave a worker idle (a lookup table is one segment, a narrow time
    /// filter leaves one or two) or unevenly loaded.
    static let segmentsPerWorker = 4
    /// Where the scan adds up what it read and skipped (the query API's statistics).
    let counters: ScanCounters?
    /// The table's number (``TableNumbers``): its dictionaries' ids include it, so vectors of two tables in one
    /// operator (a UNION's sides, a join's output) never share an id, while every scan of one table (the
    /// workers' shares, both sides of a self-join) gives a dictionary the same id.
    private let number: Int

    private var position = 0
    private var block = 0
    private var produced = 0
    private var reader: SegmentReader?
    private var columnIndexes: [Int] = []
    /// The segment's rows the index filters allow, ascending (`nil`: every row), and the first row of the
    /// current block with the first of them at or past it.
    private var indexed: [UInt32]?
    /// Whether the current segment's indexed rows are exactly the filter's rows.
    private var indexedExactly = false
    private var blockStart = 0
    /// Past the last block of the current segment this scan reads.
    private var blockEnd = 0
    private var cursor = 0

    /// Where the rows of the last batch sit in their segment: the block's first row and row count, and the
    /// offsets in the block of the rows the batch holds, ascending (`nil`: all of them, in order). Lets an
    /// operator line a batch up with other per-row data of the segment (rows an index names).
    package private(set) var lastBlock: (start: Int, count: Int, rows: [Int32]?) = (0, 0, nil)

    package init(
        source: ScanSource, columns: [Int], timeRange: Range<Int64>?, indexFilters: [IndexFilter] = [],
        filter: BoundExpression? = nil, limit: Int?, segments: [Int]? = nil, counters: ScanCounters? = nil
    ) {
        self.init(
            source: source, columns: columns, timeRange: timeRange, indexFilters: indexFilters, filter: filter,
            limit: limit, segments: segments ?? Array(source.entries.indices), piece: nil, counters: counters)
    }

    /// A scan of worker `share.worker`'s share of the table, one of `share.workers` that together read every
    /// row once: every `workers`-th segment in `timeRange` when there are enough (``segmentsPerWorker``), else
    /// a contiguous run of each segment's blocks. The batches' ``Batch/segment`` then orders the runs (segment,
    /// then run), so operators that put workers' batches back in input order still can.
    package init(
        source: ScanSource, columns: [Int], timeRange: Range<Int64>?, indexFilters: [IndexFilter] = [],
        filter: BoundExpression? = nil, limit: Int?, share: (worker: Int, workers: Int), counters: ScanCounters? = nil
    ) {
        let live = source.entries.indices.filter { i in
            guard let timeRange else { return true }
            return source.entries[i].maxTime >= timeRange.lowerBound && source.entries[i].minTime < timeRange.upperBound
        }
        if share.worker == 0, live.count < source.entries.count {
            counters?.update { $0.segmentsPruned += source.entries.count - live.count }
        }
        let whole = share.workers <= 1 || live.count >= Self.segmentsPerWorker * share.workers
        self.init(
            source: source, columns: columns, timeRange: timeRange, indexFilters: indexFilters, filter: filter,
            limit: limit,
            segments: whole ? Array(stride(from: share.worker, to: live.count, by: share.workers).map { live[$0] }) : live,
            piece: whole ? nil : (share.worker, share.workers), counters: counters)
    }

    private init(
        source: ScanSource, columns: [Int], timeRange: Range<Int64>?, indexFilters: [IndexFilter],
        filter: BoundExpression?, limit: Int?, segments: [Int], piece: (part: Int, parts: Int)?,
        counters: ScanCounters?
    ) {
        self.counters = counters
        self.source = source
        self.number = TableNumbers.number(of: source.table)
        self.columns = columns
        self.timeRange = timeRange
        self.indexFilters = indexFilters
        self.limit = limit
        self.segments = segments
        self.piece = piece
        let read = filter?.columns.sorted() ?? []
        var renumbered: [Int: Int] = [:]
        for (i, c) in read.enumerated() { renumbered[c] = i }
        self.filter = filter.map { VectorExpression($0.remapped { renumbered[$0] ?? $0 }) }
        filterColumns = read
        if let filter, !indexFilters.isEmpty {
            let stored = filter.remapped { $0 < columns.count ? columns[$0] : $0 }
            let (answering, whole) = IndexFilter.conjuncts(of: stored, stored: source.columns)
            indexAnswersFilter = whole && answering.allSatisfy { indexFilters.contains($0) }
        } else {
            indexAnswersFilter = false
        }
    }

    /// The rows of block `b` (`rowCount` rows from `blockStart`) that the index allows, as offsets in the
    /// block; `nil` when they are all of it, or most of it unless they are exactly the filter's rows (reading
    /// it whole is cheaper than gathering).
    private mutating func indexedRows(ofBlock rowCount: Int) -> [Int32]? {
        guard let indexed else { return nil }
        // The block's rows are the run of `indexed` from `cursor` below `end` (found by binary search).
        let end = UInt32(blockStart + rowCount)
        let start = cursor
        var (low, high) = (cursor, indexed.count)
        while low < high {
            let middle = (low + high) / 2
            if indexed[middle] < end { low = middle + 1 } else { high = middle }
        }
        cursor = low
        guard indexedExactly ? low - start < rowCount : (low - start) * 2 <= rowCount else { return nil }
        let base = UInt32(blockStart)
        return indexed[start..<low].map { Int32(bitPattern: $0 &- base) }
    }

    /// The next batch, or `nil` when the scan is done.
    package mutating func next(_ context: QueryContext) throws(StrataError) -> Batch? {
        let stored = source.columns
        while position < segments.count {
            if let limit, produced >= limit { return nil }
            let index = segments[position]
            if reader == nil {
                let entry = source.entries[index]
                if let timeRange, entry.maxTime < timeRange.lowerBound || entry.minTime >= timeRange.upperBound {
                    counters?.update { $0.segmentsPruned += 1 }
                    position += 1
                    continue
                }
                let opened = try source.reader(index)
                // The blocks this scan reads: all, or its piece's run.
                let (firstBlock, endBlock) = piece.map { piece in
                    (opened.blockCount * piece.part / piece.parts, opened.blockCount * (piece.part + 1) / piece.parts)
                } ?? (0, opened.blockCount)
                if firstBlock == endBlock {
                    position += 1
                    continue
                }
                columnIndexes = try columns.map { p throws(StrataError) in
                    guard let c = opened.footer.columnIndex(named: stored[p].name) else {
                        throw StrataError(
                            .corruption, "segment lacks column '\(stored[p].name)'", location: .init(file: opened.name))
                    }
                    return c
                }
                indexed = nil
                indexedExactly = false
                // Counted once: by the piece that reads its first block.
                if firstBlock == 0 { counters?.update { $0.segmentsScanned += 1 } }
                if !indexFilters.isEmpty {
                    let (rows, complete) = try IndexFilter.rows(indexFilters, columns: stored, in: opened)
                    indexed = rows
                    indexedExactly = indexAnswersFilter && complete
                    if indexed?.isEmpty == true {
                        counters?.update { $0.blocksPruned += endBlock - firstBlock }
                        position += 1
                        continue
                    }
                }
                reader = opened
                block = firstBlock
                blockEnd = endBlock
                blockStart = 0
                for b in 0..<firstBlock { blockStart += opened.rowCount(ofBlock: b) }
                // The first indexed row at or past the piece's first row.
                cursor = 0
                if let indexed {
                    var high = indexed.count
                    while cursor < high {
                        let middle = (cursor + high) / 2
                        if Int(indexed[middle]) < blockStart { cursor = middle + 1 } else { high = middle }
                    }
                }
            }
            guard let reader else { continue }
            guard block < blockEnd else {
                self.reader = nil
                position += 1
                continue
            }
            let b = block
            block += 1
            try context.check()
            let blockRows = reader.rowCount(ofBlock: b)
            let selected = indexedRows(ofBlock: blockRows)
            blockStart += blockRows
            let counters = counters
            func pruned() { counters?.update { $0.blocksPruned += 1 } }
            if selected?.isEmpty == true {
                pruned()
                continue
            }
            var rows: [Int32]?
            if let timeRange {
                let zone = reader.footer.columns[0].blocks[b]
                if zone.hasRange, zone.maxInt < timeRange.lowerBound || zone.minInt >= timeRange.upperBound {
                    pruned()
                    continue
                }
                if !zone.hasRange || zone.minInt < timeRange.lowerBound || zone.maxInt >= timeRange.upperBound {
                    let times = try reader.int64Block(column: 0, block: b).values
                    rows = []
                    for (r, t) in times.enumerated() where timeRange.contains(t) { rows?.append(Int32(r)) }
                    if rows?.isEmpty == true {
                        pruned()
                        continue
                    }
                }
            }
            if let selected {
                // In the time range and allowed by the index.
                rows = rows.map { inRange in
                    let allowed = Set(selected)
                    return inRange.filter { allowed.contains($0) }
                } ?? selected
                if rows?.isEmpty == true {
                    pruned()
                    continue
                }
            }
            var decodedBytes = 0
            var decoded = [Vector?](repeating: nil, count: columns.count)
            func decode(_ i: Int) throws(StrataError) -> Vector {
                if let vector = decoded[i] { return vector }
                let p = columns[i]
                if counters != nil, !reader.isCached(column: columnIndexes[i], block: b) {
                    decodedBytes += Int(reader.footer.columns[columnIndexes[i]].blocks[b].rawLength)
                }
                let vector = try Self.vector(
                    reader, column: columnIndexes[i], block: b, segment: index, position: p, type: stored[p].type,
                    scan: number)
                decoded[i] = vector
                return vector
            }
            if let filter, !indexedExactly {
                var inputs: [Vector] = []
                for i in filterColumns { inputs.append(try decode(i)) }
                let read = Batch(columns: inputs, count: blockRows, segment: index)
                guard let passing = try filter.selection(read, within: rows) else {
                    throw StrataError(.type, "WHERE needs a BOOLEAN condition, not \(filter.expression.type)")
                }
                if passing.isEmpty {
                    counters?.update {
                        $0.blocksPruned += 1
                        $0.bytesDecoded += decodedBytes
                    }
                    continue
                }
                rows = passing.count < blockRows ? passing : nil
            }
            var vectors: [Vector] = []
            vectors.reserveCapacity(columns.count)
            for i in columns.indices { vectors.append(try decode(i)) }
            // The input-order key: the segment, or with pieces the segment's run this piece reads.
            var batch = Batch(
                columns: vectors, count: blockRows, segment: piece.map { index * $0.parts + $0.part } ?? index)
            if let selected = rows, keepsSelection, limit == nil, selected.count * 4 >= blockRows {
                // The batch holds the whole block; its selection says which rows count.
                batch.selection = selected
                rows = nil
            } else if let selected = rows {
                batch = batch.gather(selected)
            }
            if let limit, produced + batch.count > limit {
                let kept = (0..<Int32(limit - produced)).map { $0 }
                batch = batch.gather(kept)
                rows = rows.map { Array($0.prefix(kept.count)) } ?? kept
            }
            lastBlock = (blockStart - blockRows, blockRows, rows)
            produced += batch.liveCount
            counters?.update { [live = batch.liveCount] in
                $0.blocksScanned += 1
                $0.rowsScanned += blockRows
                $0.rowsMatched += live
                $0.bytesDecoded += decodedBytes
            }
            if batch.liveCount == 0 { continue }
            return batch
        }
        return nil
    }

    /// One block of one column as a vector of its SQL type.
    static func vector(
        _ reader: SegmentReader, column: Int, block: Int, segment: Int, position: Int, type: DataType, scan number: Int
    )
        throws(StrataError) -> Vector
    {
        let data = try reader.decodedBlock(column: column, block: block)
        let sqlType = SQLValueType(type)
        switch data {
        case .int64(let v, let validity) where type != .hugeint:
            return Vector(type: sqlType, storage: .int64(v), validity: validity, count: v.count)
        case .double(let v, let validity):
            return Vector(type: sqlType, storage: .double(v), validity: validity, count: v.count)
        case .bool(let v, let validity):
            return Vector(type: sqlType, storage: .bool(v), validity: validity, count: v.count)
        case .string(_, let codes, let validity) where !reader.footer.columns[column].column.isSketch:
            var entries = try reader.dictionaryValues(column: column)
            // Every code indexes an entry, a NULL row's too: a block of NULLs only has an empty dictionary.
            if entries.isEmpty { entries = [""] }
            // The decoder checked codes against a segment dictionary; table-wide codes (and a block whose
            // dictionary is empty) are checked here, so the kernels index entries by code without a check.
            let stored = reader.footer.columns[column]
            if stored.column.tableDictionary || stored.dictionary == nil || entries.count == 1,
                !codes.isEmpty, Int(Vector.largest(codes)) >= entries.count
            {
                throw StrataError(
                    .corruption, "column '\(stored.column.name)' block \(block) has a code past its dictionary",
                    location: .init(file: reader.name))
            }
            // A table dictionary is the same for every segment: its per-entry results are reused across them.
            // Bits of a segment dictionary's id: 23 of the table's number, 24 of the segment, 16 of the column.
            let id =
                reader.footer.columns[column].column.tableDictionary
                ? -1 - (number << 16 | position) : number << 40 | segment << 16 | position
            return Vector(
                type: sqlType,
                storage: .dictionary(
                    codes: codes, entries: Vector(type: .varchar, storage: .string(entries), count: entries.count),
                    id: id),
                validity: validity, count: codes.count)
        case .sketch(let bytes, let offsets, let validity):
            return Vector(
                type: sqlType, storage: .sketch(bytes: bytes, offsets: offsets, rows: nil), validity: validity,
                count: offsets.count - 1)
        default:
            let full = try reader.columnBlock(column: column, block: block)
            return Vector(type: sqlType, storage: .boxed((0..<full.count).map { full.value(at: $0, type: type) }), count: full.count)
        }
    }
}

/// A number for each table name the process scans, for dictionary ids (``SegmentScan``): names are compared
/// case-insensitively, as SQL does; a query reads one snapshot per table, so a name is one set of dictionaries.
package enum TableNumbers {
    private static let numbers = Mutex<[String: Int]>([:])

    static func number(of table: String) -> Int {
        let key = table.lowercased()
        return numbers.withLock { numbers in
            if let known = numbers[key] { return known }
            let new = (numbers.count + 1) & 0x7F_FFFF
            numbers[key] = new
            return new
        }
    }
}
