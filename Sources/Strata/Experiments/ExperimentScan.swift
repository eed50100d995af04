import StrataCore
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
    var bound: BoundQuery
    /// Stored index of the summed column; `nil` for a count.
    var valueColumn: BoundColumn?
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

/// Reads a snapshot for an analysis: one pass for the exposures, one pass for all metrics (each block's
/// time and unit columns decoded once and shared by every metric).
struct ExperimentScan {
    let analysis: ExperimentAnalysis
    let snapshot: TableSnapshot
    /// Checked per segment and block; holds the per-unit state while the analysis runs.
    let context: QueryContext

    private var spec: TableSpec { snapshot.spec }

    /// Whether a segment can hold rows of the analysis' time range.
    private func overlaps(_ segment: Int) -> Bool {
        guard let range = analysis.timeRange else { return true }
        let entry = snapshot.segmentEntries[segment]
        return entry.maxTime >= range.lowerBound && entry.minTime < range.upperBound
    }

    /// Stored-column index → column index in a segment (-1 when the segment lacks it).
    private func segmentColumns(_ reader: SegmentReader) -> [Int] {
        spec.storedColumns.map { reader.footer.columnIndex(named: $0.name) ?? -1 }
    }

    private func require(_ index: Int, _ map: [Int], _ reader: SegmentReader) throws(StrataError) -> Int {
        let i = map[index]
        guard i >= 0 else {
            throw StrataError(
                .corruption, "segment lacks column '\(spec.storedColumns[index].name)'",
                location: .init(file: reader.name))
        }
        return i
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

    /// Finds every unit's first exposure and variant; excludes units seen in several variants.
    func exposures(
        bound: BoundQuery, unit: BoundColumn, variant: BoundColumn, breakdown: BoundColumn?
    ) throws(StrataError) -> ExperimentUnits {
        let entries = snapshot.segmentEntries
        let perWorker = try SegmentWorkers.run(segmentCount: entries.count, makeState: { [SegmentExposures]() }) {
            (found: inout [SegmentExposures], s: Int) throws(StrataError) in
            try context.check()
            guard overlaps(s) else { return }
            if let e = try segmentExposures(s, bound: bound, unit: unit, variant: variant, breakdown: breakdown) {
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

    private func segmentExposures(
        _ s: Int, bound: BoundQuery, unit: BoundColumn, variant: BoundColumn, breakdown: BoundColumn?
    ) throws(StrataError) -> SegmentExposures? {
        let reader = try snapshot.reader(s)
        let map = segmentColumns(reader)
        for c in bound.needed { _ = try require(c.index, map, reader) }
        let unitIndex = try require(unit.index, map, reader)
        let variantIndex = try require(variant.index, map, reader)
        let breakdownIndex = try breakdown.map { c throws(StrataError) in try require(c.index, map, reader) }
        let selection = try SegmentRowSelection.resolve(bound.filter, bound: bound, reader: reader) { map[$0] }
        if selection.isEmpty { return nil }
        let candidates = selection.candidates?.toArray()
        let range = analysis.timeRange
        var out = SegmentExposures(segment: s)
        let unitDictionary = try reader.dictionary(column: unitIndex)
        let variantDictionary = try reader.dictionary(column: variantIndex)
        let breakdownDictionary = try breakdownIndex.map { c throws(StrataError) in try reader.dictionary(column: c) }
        // Dense maps from dictionary codes to local numbers (-1: not seen yet).
        var seenUnit = [Bool](repeating: false, count: unitDictionary.count)
        var localVariant = [Int32](repeating: -1, count: variantDictionary.count)
        var localBreakdown = [Int32](repeating: -1, count: breakdownDictionary?.count ?? 0)
        var unitCodes: [UInt32] = []
        var cursor = 0
        let timeColumn = reader.footer.columns[0]
        for block in 0..<reader.blockCount {
            try context.check()
            let start = block * reader.footer.blockRowCount
            let n = reader.rowCount(ofBlock: block)
            var slice: ArraySlice<UInt32>?
            if let candidates {
                let lo = cursor
                while cursor < candidates.count, Int(candidates[cursor]) < start + n { cursor += 1 }
                if lo == cursor { continue }
                slice = candidates[lo..<cursor]
            }
            if let range {
                let zone = timeColumn.blocks[block]
                if zone.maxInt < range.lowerBound || zone.minInt >= range.upperBound { continue }
            }
            let rows = try selection.rows(
                slice, blockStart: start, rowCount: n, reader: reader, block: block, segmentColumn: { map[$0] })
            if rows.isEmpty { continue }
            let times = try Self.times(reader, block: block)
            let units = try reader.codeBlock(column: unitIndex, block: block)
            let variants = try reader.codeBlock(column: variantIndex, block: block)
            let breakdowns = try breakdownIndex.map { c throws(StrataError) in
                try reader.codeBlock(column: c, block: block)
            }
            for r32 in rows {
                let r = Int(r32)
                if let range, !range.contains(times[r]) { continue }
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

    /// Aggregates every slot per unit in one pass over the segments.
    func aggregate(_ slots: [ExperimentSlot], units: ExperimentUnits, unitColumn: BoundColumn) throws(StrataError)
        -> [SlotTotals]
    {
        let count = units.keys.count
        guard !slots.isEmpty, count > 0 else { return slots.map { SlotTotals(units: count, slot: $0) } }
        // Every worker's dense per-unit sums.
        let workers = max(1, min(snapshot.segmentEntries.count, SegmentWorkers.processorCount))
        try context.reserve(bytes: workers * count * 16 * slots.count)
        let index = UnitHashIndex(units.keys)
        let perWorker = try SegmentWorkers.run(
            segmentCount: snapshot.segmentEntries.count,
            makeState: { slots.map { SlotTotals(units: count, slot: $0) } }
        ) { (totals: inout [SlotTotals], s: Int) throws(StrataError) in
            try context.check()
            guard overlaps(s) else { return }
            try aggregateSegment(s, slots: slots, units: units, index: index, unitColumn: unitColumn, into: &totals)
        }
        var merged = perWorker[0]
        for worker in perWorker.dropFirst() {
            for k in merged.indices { merged[k].merge(worker[k]) }
        }
        return merged
    }

    private func aggregateSegment(
        _ s: Int, slots: [ExperimentSlot], units: ExperimentUnits, index: UnitHashIndex, unitColumn: BoundColumn,
        into totals: inout [SlotTotals]
    ) throws(StrataError) {
        let reader = try snapshot.reader(s)
        let map = segmentColumns(reader)
        let unitIndex = try require(unitColumn.index, map, reader)
        var selections: [SegmentRowSelection] = []
        var candidates: [[UInt32]?] = []
        for slot in slots {
            for c in slot.bound.needed { _ = try require(c.index, map, reader) }
            if let v = slot.valueColumn { _ = try require(v.index, map, reader) }
            let selection = try SegmentRowSelection.resolve(slot.bound.filter, bound: slot.bound, reader: reader) {
                map[$0]
            }
            selections.append(selection)
            candidates.append(selection.isEmpty ? [] : selection.candidates?.toArray())
        }
        if selections.allSatisfy(\.isEmpty) { return }
        let unitDictionary = try reader.dictionary(column: unitIndex)
        var codeMap = UnitCodeMap(keys: units.keys, index: index, dictionary: unitDictionary)
        // With table-wide codes, the exposure pass already mapped every unit's code.
        let tableCodeMap = units.tableCodeMap.flatMap {
            !unitDictionary.isSorted && unitDictionary.count <= $0.count ? $0 : nil
        }
        var cursors = [Int](repeating: 0, count: slots.count)
        let range = analysis.timeRange ?? Int64.min..<Int64.max
        let timeColumn = reader.footer.columns[0]
        for block in 0..<reader.blockCount {
            try context.check()
            let start = block * reader.footer.blockRowCount
            let n = reader.rowCount(ofBlock: block)
            let zone = timeColumn.blocks[block]
            let inRange = zone.maxInt >= range.lowerBound && zone.minInt < range.upperBound
            var blockRows: [[Int32]?] = Array(repeating: nil, count: slots.count)
            for k in slots.indices where !selections[k].isEmpty {
                var slice: ArraySlice<UInt32>?
                if let c = candidates[k] {
                    let lo = cursors[k]
                    while cursors[k] < c.count, Int(c[cursors[k]]) < start + n { cursors[k] += 1 }
                    if lo == cursors[k] || !inRange { continue }
                    slice = c[lo..<cursors[k]]
                } else if !inRange {
                    continue
                }
                let rows = try selections[k].rows(
                    slice, blockStart: start, rowCount: n, reader: reader, block: block, segmentColumn: { map[$0] })
                if !rows.isEmpty { blockRows[k] = rows }
            }
            if blockRows.allSatisfy({ $0 == nil }) { continue }
            let times = try Self.times(reader, block: block)
            let unitBlock = try reader.codeBlock(column: unitIndex, block: block)
            var values: [Int: [Double]] = [:]
            var validities: [Int: Bitset] = [:]
            for k in slots.indices {
                guard var rows = blockRows[k] else { continue }
                var columnValues: [Double]?
                var columnValidity: Bitset?
                if let column = slots[k].valueColumn {
                    if values[column.index] == nil {
                        switch try reader.columnBlock(column: map[column.index], block: block) {
                        case .double(let v, let valid):
                            values[column.index] = v
                            validities[column.index] = valid
                        case .int64(let v, let valid):
                            // A decimal column stores units of 10^-scale; statistics are over its values.
                            if let scale = column.type.decimalScale {
                                let unit = Double(DecimalValue.power(scale))
                                values[column.index] = v.map { Double($0) / unit }
                            } else {
                                values[column.index] = v.map { Double($0) }
                            }
                            validities[column.index] = valid
                        default:
                            throw StrataError(.internal, "column '\(column.name)' is not numeric in \(reader.name)")
                        }
                    }
                    columnValues = values[column.index]
                    columnValidity = validities[column.index]
                }
                if let v = columnValues, !slots[k].keepsEvents {
                    // Adding 0 changes no sum: skip those rows before looking up their units.
                    rows = rows.filter { v[Int($0)] != 0 }
                    if rows.isEmpty { continue }
                }
                if tableCodeMap == nil { codeMap.prepare(codes: unitBlock.codes, rows: rows) }
                Self.accumulate(
                    rows: rows, times: times, unitCodes: unitBlock.codes, unitValidity: unitBlock.validity,
                    values: columnValues, validity: columnValidity, codeMap: tableCodeMap ?? codeMap.map, units: units,
                    slot: slots[k], range: range, into: &totals[k])
            }
        }
    }

    /// A block's timestamps (through the reader's block cache, shared with the query engine).
    private static func times(_ reader: SegmentReader, block: Int) throws(StrataError) -> [Int64] {
        guard case .int64(let times, _) = try reader.columnBlock(column: 0, block: block) else {
            throw StrataError(.internal, "the time column is not int64 in \(reader.name)")
        }
        return times
    }

    /// The inner loop: adds each selected row's value (1 for counts) to its unit when the row falls
    /// in the unit's window (and to its covariate when it falls in the CUPED pre-exposure window).
    private static func accumulate(
        rows: [Int32], times: [Int64], unitCodes: [UInt32], unitValidity: Bitset?, values: [Double]?,
        validity: Bitset?, codeMap: [Int32], units: ExperimentUnits, slot: ExperimentSlot, range: Range<Int64>,
        into totals: inout SlotTotals
    ) {
        var rows = rows
        if unitValidity != nil || validity != nil {
            rows = rows.filter { r in
                (unitValidity?[Int(r)] ?? true) && (validity?[Int(r)] ?? true)
            }
        }
        let (lower, upper) = slot.window
        let lo = range.lowerBound
        let hi = range.upperBound
        rows.withUnsafeBufferPointer { rows in
            times.withUnsafeBufferPointer { times in
                unitCodes.withUnsafeBufferPointer { codes in
                    codeMap.withUnsafeBufferPointer { codeMap in
                        units.firstExposure.withUnsafeBufferPointer { first in
                            /// The unit and offset from its exposure of a row, or nil when it is not counted.
                            @inline(__always) func locate(_ r: Int) -> (unit: Int, offset: Int64)? {
                                let u = Int(codeMap[Int(codes[r])])
                                let t = times[r]
                                if u < 0 || t < lo || t >= hi { return nil }
                                return (u, t &- first[u])
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
