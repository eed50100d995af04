import StrataCore
import StrataExecution
import StrataPlanner
import StrataStorage

/// The units of an experiment after the exposure pass.
struct ExperimentUnits {
    /// Keys of the included units, sorted by bytes; unit numbers index the arrays below.
    var keys: UnitKeys
    /// Index into ``variants``.
    var variant: [Int32]
    /// Index into ``breakdownValues``; -1 without a breakdown.
    var breakdown: [Int32]
    var firstExposure: [Int64]
    /// Baseline first, then by name.
    var variants: [String]
    /// Breakdown values in report order (NULL, if present, is `nil` and last).
    var breakdownValues: [String?]
    var excludedUnits: Int
    var exposureRows: Int
    /// When the unit column has table-wide codes (a table dictionary): code → included unit, or -1,
    /// valid in every segment, so the metric pass needs no per-segment lookups.
    var tableCodeMap: [Int32]?
}

/// One per-row aggregate of the metric pass: a count or a sum over filtered rows, inside a window
/// after each unit's exposure, optionally also over a pre-exposure window (CUPED).
struct ExperimentSlot {
    /// The rows counted or summed, over the table's stored-column positions; `nil`: every row.
    var filter: BoundExpression?
    /// Stored-column position of the summed column; `nil` for a count.
    var valueColumn: Int?
    var window: (lower: Int64, upper: Int64)
    /// Milliseconds before the exposure covered by the CUPED window.
    var lookback: Int64?
    /// Keep every (unit, value) event instead of summing (quantile metrics).
    var keepsEvents: Bool
}

/// A slot's per-unit results.
struct SlotTotals {
    var post: [Double]
    var pre: [Double]
    /// Event values and their units (quantile metrics).
    var eventUnits: [Int32] = []
    var eventValues: [Double] = []

    init(units: Int, slot: ExperimentSlot) {
        post = [Double](repeating: 0, count: slot.keepsEvents ? 0 : units)
        pre = [Double](repeating: 0, count: slot.lookback == nil ? 0 : units)
    }

    mutating func merge(_ other: SlotTotals) {
        for u in post.indices { post[u] += other.post[u] }
        for u in pre.indices { pre[u] += other.pre[u] }
        eventUnits += other.eventUnits
        eventValues += other.eventValues
    }
}

/// The stored columns one pass reads, in the order its scan produces them, and where each sits in a batch.
private struct ScanLayout {
    /// Stored-column positions, in batch order.
    private(set) var columns: [Int] = []
    private var slot: [Int: Int] = [:]

    /// The batch position of stored column `position`, which the scan then reads.
    @discardableResult
    mutating func add(_ position: Int) -> Int {
        if let s = slot[position] { return s }
        slot[position] = columns.count
        columns.append(position)
        return columns.count - 1
    }

    /// Reads the columns of `expression` and returns it over batch positions.
    mutating func add(_ expression: BoundExpression) -> BoundExpression {
        for c in expression.columns.sorted() { add(c) }
        let slot = self.slot
        return expression.remapped { slot[$0] ?? $0 }
    }
}

/// Reads a snapshot for an analysis: one pass for the exposures, one pass for all metrics (each block's
/// time and unit columns decoded once and shared by every metric).
///
/// Both passes read blocks through the pipeline's ``SegmentScan`` (time range, bitmap indexes, late
/// decoding) and select rows with its vectorized predicates (``VectorExpression``); what is left here is the
/// experiment operator: units, first exposures, per-unit sums in windows.
struct ExperimentScan {
    let analysis: ExperimentAnalysis
    let snapshot: TableSnapshot
    /// Checked per segment and block; holds the per-unit state while the analysis runs.
    let context: QueryContext
    private let source: ScanSource

    init(analysis: ExperimentAnalysis, snapshot: TableSnapshot, context: QueryContext) {
        self.analysis = analysis
        self.snapshot = snapshot
        self.context = context
        source = snapshot.scanSource
    }

    private var spec: TableSpec { snapshot.spec }

    /// Whether a segment can hold rows of the analysis' time range.
    private func overlaps(_ segment: Int) -> Bool {
        guard let range = analysis.timeRange else { return true }
        let entry = snapshot.segmentEntries[segment]
        return entry.maxTime >= range.lowerBound && entry.minTime < range.upperBound
    }

    /// A scan of stored `columns` of one segment's rows in the analysis' time range where `filter` (over
    /// batch positions) holds.
    private func scan(_ segment: Int, columns: [Int], filter: BoundExpression?, indexFilters: [IndexFilter])
        -> SegmentScan
    {
        SegmentScan(
            source: source, columns: columns, timeRange: analysis.timeRange, indexFilters: indexFilters,
            filter: filter, limit: nil, segments: [segment])
    }

    /// The dictionary of stored string column `position` in a segment.
    private func dictionary(_ reader: SegmentReader, _ position: Int) throws(StrataError) -> StringDictionary {
        let name = spec.storedColumns[position].name
        guard let c = reader.footer.columnIndex(named: name) else {
            throw StrataError(.corruption, "segment lacks column '\(name)'", location: .init(file: reader.name))
        }
        return try reader.dictionary(column: c)
    }

    /// A batch column's dictionary codes and validity (a string column as the scan reads it).
    private static func codes(_ batch: Batch, _ at: Int) throws(StrataError) -> (codes: [UInt32], validity: Bitset?) {
        guard let codes = batch.columns[at].dictionaryCodes else {
            throw StrataError(.internal, "a string column did not come as dictionary codes")
        }
        return (codes, batch.columns[at].rowValidity)
    }

    /// A batch's timestamps.
    private static func times(_ batch: Batch, _ at: Int) throws(StrataError) -> [Int64] {
        guard let times = batch.columns[at].int64Values else {
            throw StrataError(.internal, "the time column did not come as int64 values")
        }
        return times
    }

    // MARK: Exposures

    /// One segment's exposure rows, with strings resolved.
    private struct SegmentExposures {
        var segment: Int
        /// Distinct unit keys of the segment's exposures, in code order; records refer to them by
        /// position.
        var keyBytes: [UInt8] = []
        var keyOffsets: [Int] = [0]
        /// The dictionary code of each distinct unit.
        var keyCodes: [UInt32] = []
        /// Whether the unit codes are table-wide (an unsorted table dictionary), and its size.
        var tableCodes = false
        var dictionaryCount = 0
        var variantNames: [String] = []
        var breakdownNames: [String] = []
        var unit: [Int32] = []
        var time: [Int64] = []
        var variant: [Int32] = []
        /// -1: NULL (or no breakdown).
        var breakdown: [Int32] = []
    }

    /// Where the exposure pass finds its columns in a batch.
    private struct ExposureLayout {
        var scan = ScanLayout()
        var time = 0
        var unit = 0
        var variant = 0
        var breakdown: Int?
        /// The exposure condition over batch positions.
        var filter: BoundExpression
        var indexFilters: [IndexFilter]
    }

    /// Finds every unit's first exposure and variant; excludes units seen in several variants.
    ///
    /// - Parameters:
    ///   - filter: The exposure condition (the experiment, and the analysis' exposure filter), bound over
    ///     the table's stored columns.
    ///   - unit, variant, breakdown: Stored-column positions of string columns.
    func exposures(filter: BoundExpression, unit: Int, variant: Int, breakdown: Int?) throws(StrataError)
        -> ExperimentUnits
    {
        var scan = ScanLayout()
        let time = scan.add(0)
        let unitAt = scan.add(unit)
        let variantAt = scan.add(variant)
        let breakdownAt = breakdown.map { scan.add($0) }
        let scanFilter = scan.add(filter)
        let layout = ExposureLayout(
            scan: scan, time: time, unit: unitAt, variant: variantAt, breakdown: breakdownAt, filter: scanFilter,
            indexFilters: SQLPlanner.indexFilters(of: filter, stored: spec.storedColumns))
        let entries = snapshot.segmentEntries
        let perWorker = try Workers.eachSegment(segmentCount: entries.count, makeState: { [SegmentExposures]() }) {
            (found: inout [SegmentExposures], s: Int) throws(StrataError) in
            try context.check()
            guard overlaps(s) else { return }
            if let e = try segmentExposures(s, layout) {
                // The exposure rows (unit, time, variant, breakdown) and unit keys the merge holds.
                try context.reserve(bytes: e.unit.count * 20 + e.keyBytes.count + e.keyOffsets.count * 12)
                found.append(e)
            }
        }
        let segments = perWorker.flatMap { $0 }.sorted { $0.segment < $1.segment }

        let (allKeys, unitsOfSegment) = UnitKeys.merging(segments.map { ($0.keyBytes, $0.keyOffsets) })
        var variantIds: [String: Int32] = [:]
        var variantNames: [String] = []
        var breakdownIds: [String: Int32] = [:]
        var breakdownNames: [String] = []
        var first = [Int64](repeating: .max, count: allKeys.count)
        var unitVariant = [Int32](repeating: -1, count: allKeys.count)
        var unitBreakdown = [Int32](repeating: -1, count: allKeys.count)
        var multiple = [Bool](repeating: false, count: allKeys.count)
        var exposureRows = 0
        for (k, e) in segments.enumerated() {
            let units = unitsOfSegment[k]
            let variants = e.variantNames.map { name -> Int32 in
                if let id = variantIds[name] { return id }
                let id = Int32(variantNames.count)
                variantIds[name] = id
                variantNames.append(name)
                return id
            }
            let breakdowns = e.breakdownNames.map { name -> Int32 in
                if let id = breakdownIds[name] { return id }
                let id = Int32(breakdownNames.count)
                breakdownIds[name] = id
                breakdownNames.append(name)
                return id
            }
            exposureRows += e.unit.count
            for i in e.unit.indices {
                let u = Int(units[Int(e.unit[i])])
                let v = variants[Int(e.variant[i])]
                if unitVariant[u] < 0 {
                    unitVariant[u] = v
                } else if unitVariant[u] != v {
                    multiple[u] = true
                }
                if e.time[i] < first[u] {
                    first[u] = e.time[i]
                    unitBreakdown[u] = e.breakdown[i] < 0 ? -1 : breakdowns[Int(e.breakdown[i])]
                }
            }
        }

        // Report order of variants: baseline first, then by name; of breakdown values: by name, NULL last.
        let baseline = analysis.baseline
        var includedPerVariant = [Int](repeating: 0, count: variantNames.count)
        for u in 0..<allKeys.count where !multiple[u] { includedPerVariant[Int(unitVariant[u])] += 1 }
        var variantOrder = variantNames.indices.filter { includedPerVariant[$0] > 0 }
        variantOrder.sort { a, b in
            if (variantNames[a] == baseline) != (variantNames[b] == baseline) { return variantNames[a] == baseline }
            return StringOrder.less(variantNames[a], variantNames[b])
        }
        guard variantOrder.first.map({ variantNames[$0] == baseline }) ?? false else {
            let seen = variantOrder.map { variantNames[$0] }
            throw StrataError(
                .notFound,
                "no units of experiment '\(analysis.experiment)' saw the baseline variant '\(baseline)'"
                    + (seen.isEmpty ? " (no exposures found)" : "; variants seen: \(seen.joined(separator: ", "))"))
        }
        var variantRank = [Int32](repeating: -1, count: variantNames.count)
        for (rank, v) in variantOrder.enumerated() { variantRank[v] = Int32(rank) }
        let breakdownOrder = breakdownNames.indices.sorted { StringOrder.less(breakdownNames[$0], breakdownNames[$1]) }
        var breakdownRank = [Int32](repeating: -1, count: breakdownNames.count)
        for (rank, b) in breakdownOrder.enumerated() { breakdownRank[b] = Int32(rank) }
        var breakdownValues: [String?] = breakdownOrder.map { breakdownNames[$0] }
        let nullRank = Int32(breakdownValues.count)

        let keys = allKeys.filter(multiple.map { !$0 })
        var outVariant = [Int32](repeating: 0, count: keys.count)
        var outBreakdown = [Int32](repeating: -1, count: keys.count)
        var outFirst = [Int64](repeating: 0, count: keys.count)
        var sawNull = false
        var u = 0
        for p in 0..<allKeys.count where !multiple[p] {
            outVariant[u] = variantRank[Int(unitVariant[p])]
            outFirst[u] = first[p]
            if breakdown != nil {
                if unitBreakdown[p] < 0 {
                    outBreakdown[u] = nullRank
                    sawNull = true
                } else {
                    outBreakdown[u] = breakdownRank[Int(unitBreakdown[p])]
                }
            }
            u += 1
        }
        if sawNull { breakdownValues.append(nil) }
        // Table-wide unit codes: one code → unit map serves every segment.
        var tableCodeMap: [Int32]?
        if !segments.isEmpty, segments.allSatisfy(\.tableCodes) {
            var includedUnit = [Int32](repeating: -1, count: allKeys.count)
            var next: Int32 = 0
            for p in 0..<allKeys.count where !multiple[p] {
                includedUnit[p] = next
                next += 1
            }
            var map = [Int32](repeating: -1, count: segments.map(\.dictionaryCount).max() ?? 0)
            for (k, e) in segments.enumerated() {
                for (i, code) in e.keyCodes.enumerated() { map[Int(code)] = includedUnit[Int(unitsOfSegment[k][i])] }
            }
            tableCodeMap = map
        }
        return ExperimentUnits(
            keys: keys, variant: outVariant, breakdown: outBreakdown, firstExposure: outFirst,
            variants: variantOrder.map { variantNames[$0] }, breakdownValues: breakdownValues,
            excludedUnits: multiple.count { $0 }, exposureRows: exposureRows, tableCodeMap: tableCodeMap)
    }

    /// One segment's exposures: the scan's rows with a unit and a variant; `nil` when it has none.
    private func segmentExposures(_ s: Int, _ layout: ExposureLayout) throws(StrataError) -> SegmentExposures? {
        var scan = scan(s, columns: layout.scan.columns, filter: layout.filter, indexFilters: layout.indexFilters)
        guard var batch = try scan.next(context) else { return nil }
        let reader = try snapshot.reader(s)
        var out = SegmentExposures(segment: s)
        let unitDictionary = try dictionary(reader, layout.scan.columns[layout.unit])
        let variantDictionary = try dictionary(reader, layout.scan.columns[layout.variant])
        let breakdownDictionary = try layout.breakdown.map { b throws(StrataError) in
            try dictionary(reader, layout.scan.columns[b])
        }
        // Dense maps from dictionary codes to local numbers (-1: not seen yet).
        var seenUnit = [Bool](repeating: false, count: unitDictionary.count)
        var localVariant = [Int32](repeating: -1, count: variantDictionary.count)
        var localBreakdown = [Int32](repeating: -1, count: breakdownDictionary?.count ?? 0)
        var unitCodes: [UInt32] = []
        while true {
            let times = try Self.times(batch, layout.time)
            let units = try Self.codes(batch, layout.unit)
            let variants = try Self.codes(batch, layout.variant)
            let breakdowns = try layout.breakdown.map { b throws(StrataError) in try Self.codes(batch, b) }
            for r in 0..<batch.count {
                if let v = units.validity, !v[r] { continue }
                if let v = variants.validity, !v[r] { continue }
                let unitCode = units.codes[r]
                seenUnit[Int(unitCode)] = true
                let variantCode = Int(variants.codes[r])
                if localVariant[variantCode] < 0 {
                    localVariant[variantCode] = Int32(out.variantNames.count)
                    out.variantNames.append(variantDictionary[variantCode])
                }
                var b: Int32 = -1
                if let breakdowns, let dictionary = breakdownDictionary, breakdowns.validity?[r] ?? true {
                    let code = Int(breakdowns.codes[r])
                    if localBreakdown[code] < 0 {
                        localBreakdown[code] = Int32(out.breakdownNames.count)
                        out.breakdownNames.append(dictionary[code])
                    }
                    b = localBreakdown[code]
                }
                unitCodes.append(unitCode)
                out.time.append(times[r])
                out.variant.append(localVariant[variantCode])
                out.breakdown.append(b)
            }
            guard let next = try scan.next(context) else { break }
            batch = next
        }
        // Local unit numbers in code order (byte order for segment dictionaries).
        var localUnit = [Int32](repeating: -1, count: unitDictionary.count)
        unitDictionary.withStorage { bytes, offsets in
            for code in 0..<seenUnit.count where seenUnit[code] {
                localUnit[code] = Int32(out.keyOffsets.count - 1)
                out.keyCodes.append(UInt32(code))
                out.keyBytes.append(contentsOf: bytes[Int(offsets[code])..<Int(offsets[code + 1])])
                out.keyOffsets.append(out.keyBytes.count)
            }
        }
        out.unit = unitCodes.map { localUnit[Int($0)] }
        out.tableCodes = !unitDictionary.isSorted
        out.dictionaryCount = unitDictionary.count
        return out
    }

    // MARK: Metrics

    /// Where the metric pass finds its columns in a batch, and the condition its scan applies.
    private struct MetricLayout {
        var scan = ScanLayout()
        var time = 0
        var unit = 0
        /// Each slot's summed column (batch position).
        var values: [Int?] = []
        /// The slots' distinct filters over batch positions (slots sharing a filter share its rows), and each
        /// slot's among them; `nil` where the scan's condition already is the slot's filter, or it has none.
        var filters: [BoundExpression] = []
        var filterOfSlot: [Int?] = []
        /// For each distinct filter that bitmap indexes answer whole (equalities and `IN` lists of indexed
        /// string columns): those index filters. In a segment where they all apply, the filter's rows come from
        /// the indexes, and the scan reads only the columns before `indexedColumns` (the others are what such
        /// filters alone read).
        var indexed: [[IndexFilter]?] = []
        var indexedColumns = 0
        /// What every slot's rows satisfy: the one filter all slots share, or their disjunction; `nil` when
        /// some slot counts every row.
        var filter: BoundExpression?
        var indexFilters: [IndexFilter] = []
    }

    /// One worker's state: per-slot sums, and the slots' predicates (which keep per-dictionary results).
    private struct MetricWorker {
        var totals: [SlotTotals]
        var filters: [VectorExpression]
    }

    /// Aggregates every slot per unit in one pass over the segments.
    /// - Parameter unitColumn: Stored-column position of the unit column.
    func aggregate(_ slots: [ExperimentSlot], units: ExperimentUnits, unitColumn: Int) throws(StrataError)
        -> [SlotTotals]
    {
        let count = units.keys.count
        guard !slots.isEmpty, count > 0 else { return slots.map { SlotTotals(units: count, slot: $0) } }
        var layout = MetricLayout()
        layout.time = layout.scan.add(0)
        layout.unit = layout.scan.add(unitColumn)
        layout.values = slots.map { slot in slot.valueColumn.map { layout.scan.add($0) } }
        var shared: [BoundExpression] = []
        for slot in slots { if let f = slot.filter, !shared.contains(f) { shared.append(f) } }
        if slots.allSatisfy({ $0.filter != nil }) {
            // Blocks where no slot's filter holds are read no further than the filters' columns.
            let condition = shared.count == 1 ? shared[0] : BoundExpression.or(shared)
            layout.indexFilters = SQLPlanner.indexFilters(of: condition, stored: spec.storedColumns)
            layout.filter = layout.scan.add(condition)
        }
        if layout.filter == nil || shared.count > 1 {
            // With every row read, filters the indexes answer need not read their columns.
            layout.indexed = shared.map { f in
                guard layout.filter == nil else { return nil }
                let (filters, whole) = IndexFilter.conjuncts(of: f, stored: spec.storedColumns)
                return whole ? filters : nil
            }
            var remapped = [BoundExpression?](repeating: nil, count: shared.count)
            for (f, filter) in shared.enumerated() where layout.indexed[f] == nil {
                remapped[f] = layout.scan.add(filter)
            }
            layout.indexedColumns = layout.scan.columns.count
            for (f, filter) in shared.enumerated() where layout.indexed[f] != nil {
                remapped[f] = layout.scan.add(filter)
            }
            layout.filters = remapped.compactMap { $0 }
            layout.filterOfSlot = slots.map { slot in slot.filter.flatMap { shared.firstIndex(of: $0) } }
        } else {
            layout.filterOfSlot = slots.map { _ in nil }
            layout.indexedColumns = layout.scan.columns.count
        }
        // Every worker's dense per-unit sums.
        let workers = max(1, min(snapshot.segmentEntries.count, Workers.processorCount))
        try context.reserve(bytes: workers * count * 16 * slots.count)
        let index = UnitHashIndex(units.keys)
        let perWorker = try Workers.eachSegment(
            segmentCount: snapshot.segmentEntries.count,
            makeState: {
                MetricWorker(
                    totals: slots.map { SlotTotals(units: count, slot: $0) },
                    filters: layout.filters.map(VectorExpression.init))
            }
        ) { (worker: inout MetricWorker, s: Int) throws(StrataError) in
            try context.check()
            guard overlaps(s) else { return }
            try aggregateSegment(s, slots: slots, layout: layout, units: units, index: index, into: &worker)
        }
        var merged = perWorker[0].totals
        for worker in perWorker.dropFirst() {
            for k in merged.indices { merged[k].merge(worker.totals[k]) }
        }
        return merged
    }

    private func aggregateSegment(
        _ s: Int, slots: [ExperimentSlot], layout: MetricLayout, units: ExperimentUnits, index: UnitHashIndex,
        into worker: inout MetricWorker
    ) throws(StrataError) {
        let reader = try snapshot.reader(s)
        // The segment's rows of each filter its indexes answer whole, ascending, and a cursor into them.
        var indexedRows = [[UInt32]?](repeating: nil, count: layout.filters.count)
        var cursors = [Int](repeating: 0, count: layout.filters.count)
        var everyIndexApplies = true
        for (f, filters) in layout.indexed.enumerated() {
            guard let filters else { continue }
            let (rows, complete) = try IndexFilter.rows(filters, columns: spec.storedColumns, in: reader)
            if complete { indexedRows[f] = rows ?? [] } else { everyIndexApplies = false }
        }
        let columns = everyIndexApplies ? Array(layout.scan.columns.prefix(layout.indexedColumns)) : layout.scan.columns
        var scan = scan(s, columns: columns, filter: layout.filter, indexFilters: layout.indexFilters)
        guard var batch = try scan.next(context) else { return }
        let unitDictionary = try dictionary(reader, layout.scan.columns[layout.unit])
        var codeMap = UnitCodeMap(keys: units.keys, index: index, dictionary: unitDictionary)
        // With table-wide codes, the exposure pass already mapped every unit's code.
        let tableCodeMap = units.tableCodeMap.flatMap {
            !unitDictionary.isSorted && unitDictionary.count <= $0.count ? $0 : nil
        }
        while true {
            let times = try Self.times(batch, layout.time)
            let unitBlock = try Self.codes(batch, layout.unit)
            var every: [Int32]?
            var selections = [[Int32]?](repeating: nil, count: worker.filters.count)
            // Each summed column as doubles, converted once per batch for every slot that reads it.
            var values: [Int: (values: [Double], validity: Bitset?)] = [:]
            for k in slots.indices {
                var rows: [Int32]
                if let f = layout.filterOfSlot[k] {
                    if selections[f] == nil {
                        if let indexed = indexedRows[f] {
                            selections[f] = Self.batchRows(indexed, cursor: &cursors[f], block: scan.lastBlock)
                        } else {
                            guard let selected = try worker.filters[f].selection(batch) else {
                                throw StrataError(.type, "a metric filter is not a BOOLEAN condition")
                            }
                            selections[f] = selected
                        }
                    }
                    rows = selections[f] ?? []
                } else {
                    if every == nil { every = Array(0..<Int32(batch.count)) }
                    rows = every ?? []
                }
                if rows.isEmpty { continue }
                var column: (values: [Double], validity: Bitset?)?
                if let at = layout.values[k] {
                    if values[at] == nil {
                        values[at] = try Self.doubles(batch, at, type: spec.storedColumns[layout.scan.columns[at]].type)
                    }
                    column = values[at]
                }
                if let v = column?.values, !slots[k].keepsEvents {
                    // Adding 0 changes no sum: skip those rows before looking up their units.
                    rows = rows.filter { v[Int($0)] != 0 }
                    if rows.isEmpty { continue }
                }
                if tableCodeMap == nil { codeMap.prepare(codes: unitBlock.codes, rows: rows) }
                Self.accumulate(
                    rows: rows, times: times, unitCodes: unitBlock.codes, unitValidity: unitBlock.validity,
                    values: column?.values, validity: column?.validity, codeMap: tableCodeMap ?? codeMap.map,
                    units: units, slot: slots[k], into: &worker.totals[k])
            }
            guard let next = try scan.next(context) else { break }
            batch = next
        }
    }

    /// The positions in a batch of the segment rows `indexed` (ascending) names, given where the batch's rows
    /// sit in the segment; `cursor` moves past the block's rows (blocks come in order).
    private static func batchRows(
        _ indexed: [UInt32], cursor: inout Int, block: (start: Int, count: Int, rows: [Int32]?)
    ) -> [Int32] {
        let start = UInt32(truncatingIfNeeded: block.start)
        let end = UInt32(truncatingIfNeeded: block.start + block.count)
        while cursor < indexed.count, indexed[cursor] < start { cursor += 1 }
        let first = cursor
        while cursor < indexed.count, indexed[cursor] < end { cursor += 1 }
        let offsets = indexed[first..<cursor].map { Int32(bitPattern: $0 &- start) }
        guard let kept = block.rows else { return offsets }
        // The batch holds the block's rows `kept`: the positions among them of the indexed offsets.
        var out: [Int32] = []
        var j = 0
        for (i, r) in kept.enumerated() {
            while j < offsets.count, offsets[j] < r { j += 1 }
            if j == offsets.count { break }
            if offsets[j] == r { out.append(Int32(i)) }
        }
        return out
    }

    /// A batch's numeric column as doubles: a decimal column stores units of 10^-scale, and statistics are
    /// over its values.
    private static func doubles(_ batch: Batch, _ at: Int, type: DataType) throws(StrataError)
        -> (values: [Double], validity: Bitset?)
    {
        let vector = batch.columns[at]
        if let v = vector.doubleValues { return (v, vector.rowValidity) }
        guard let v = vector.int64Values else {
            throw StrataError(.internal, "a summed column did not come as numbers")
        }
        if let scale = type.decimalScale {
            let unit = Double(DecimalValue.power(scale))
            return (v.map { Double($0) / unit }, vector.rowValidity)
        }
        return (v.map { Double($0) }, vector.rowValidity)
    }

    /// The inner loop: adds each selected row's value (1 for counts) to its unit when the row falls
    /// in the unit's window (and to its covariate when it falls in the CUPED pre-exposure window). The scan
    /// has kept only rows in the analysis' time range.
    private static func accumulate(
        rows: [Int32], times: [Int64], unitCodes: [UInt32], unitValidity: Bitset?, values: [Double]?,
        validity: Bitset?, codeMap: [Int32], units: ExperimentUnits, slot: ExperimentSlot,
        into totals: inout SlotTotals
    ) {
        var rows = rows
        if unitValidity != nil || validity != nil {
            rows = rows.filter { r in
                (unitValidity?[Int(r)] ?? true) && (validity?[Int(r)] ?? true)
            }
        }
        let (lower, upper) = slot.window
        rows.withUnsafeBufferPointer { rows in
            times.withUnsafeBufferPointer { times in
                unitCodes.withUnsafeBufferPointer { codes in
                    codeMap.withUnsafeBufferPointer { codeMap in
                        units.firstExposure.withUnsafeBufferPointer { first in
                            /// The unit and offset from its exposure of a row, or nil when it is not counted.
                            @inline(__always) func locate(_ r: Int) -> (unit: Int, offset: Int64)? {
                                let u = Int(codeMap[Int(codes[r])])
                                if u < 0 { return nil }
                                return (u, times[r] &- first[u])
                            }
                            if slot.keepsEvents {
                                for r32 in rows {
                                    let r = Int(r32)
                                    guard let (u, offset) = locate(r), offset >= lower, offset < upper else { continue }
                                    totals.eventUnits.append(Int32(u))
                                    totals.eventValues.append(values?[r] ?? 1)
                                }
                                return
                            }
                            totals.post.withUnsafeMutableBufferPointer { post in
                                if let values {
                                    values.withUnsafeBufferPointer { v in
                                        for r32 in rows {
                                            let r = Int(r32)
                                            guard let (u, offset) = locate(r), offset >= lower, offset < upper
                                            else { continue }
                                            post[u] += v[r]
                                        }
                                    }
                                } else {
                                    for r32 in rows {
                                        guard let (u, offset) = locate(Int(r32)), offset >= lower, offset < upper
                                        else { continue }
                                        post[u] += 1
                                    }
                                }
                            }
                            guard let lookback = slot.lookback else { return }
                            // The covariate window is the pre-exposure period, even where the metric window
                            // reaches into it.
                            totals.pre.withUnsafeMutableBufferPointer { pre in
                                for r32 in rows {
                                    let r = Int(r32)
                                    guard let (u, offset) = locate(r), offset < 0, offset >= -lookback else { continue }
                                    pre[u] += values?[r] ?? 1
                                }
                            }
                        }
                    }
                }
            }
        }
    }
}
