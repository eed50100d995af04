import StrataCore
import StrataStorage

/// Maps a segment's rows to group numbers.
///
/// Dense path: when every key is a dictionary code, a boolean or a time bucket, and the product of
/// their cardinalities in this segment is small, a row's local key is `Σ idₖ·strideₖ` and a flat
/// array maps it to the group number: one hash lookup per distinct key combination per segment,
/// then arithmetic and an array load per row. Otherwise each row's key tuple is hashed.
struct SegmentGrouper {
    static let denseLimit = 1 << 22

    enum Dimension {
        /// String codes; `nullCode` (= dictionary count) stands for NULL.
        case codes(position: Int, column: Int, dictionary: StringDictionary)
        case bool(position: Int, column: Int)
        /// Fixed-width time buckets: id = floor(t / width) − first.
        case bucket(position: Int, width: Int64, first: Int64)
        /// Calendar buckets (week, month, …): the bucket starts overlapping the segment.
        case calendar(position: Int, unit: TimeUnit, starts: [Int64])
    }

    let bound: BoundQuery
    let dimensions: [Dimension]?
    let strides: [Int]
    /// Dense local key → group number (−1: not assigned yet).
    var slots: [Int32]
    /// Per dimension: its cardinality, the key position it fills, and local id → key id (filled lazily).
    var cardinalities: [Int] = []
    var positionOf: [Int] = []
    var dimensionIDs: [[UInt32]] = []
    /// Hash path: per string key column, segment code → key id.
    var remaps: [Int: [UInt32]] = [:]

    init(bound: BoundQuery, reader: SegmentReader, segmentColumn: (Int) -> Int) throws(StrataError) {
        self.bound = bound
        var dims: [Dimension] = []
        var cardinalities: [Int] = []
        var dense = true
        for (p, key) in bound.keys.enumerated() {
            switch key {
            case .column(let c) where c.type == .string:
                let dictionary = try reader.dictionary(column: segmentColumn(c.index))
                dims.append(.codes(position: p, column: c.index, dictionary: dictionary))
                cardinalities.append(dictionary.count + 1)
            case .column(let c) where c.type == .bool:
                dims.append(.bool(position: p, column: c.index))
                cardinalities.append(3)
            case .column:
                dense = false
            case .fixedBucket(let width):
                let first = Timestamp.floorDiv(reader.footer.minTime, width)
                dims.append(.bucket(position: p, width: width, first: first))
                cardinalities.append(Int(Timestamp.floorDiv(reader.footer.maxTime, width) - first + 1))
            case .timeBucket(let unit):
                if let width = Self.fixedWidth(unit) {
                    let first = Timestamp.floorDiv(reader.footer.minTime, width)
                    dims.append(.bucket(position: p, width: width, first: first))
                    cardinalities.append(Int(Timestamp.floorDiv(reader.footer.maxTime, width) - first + 1))
                } else {
                    var starts = [unit.truncate(reader.footer.minTime)]
                    while let last = starts.last, unit.next(after: last) <= reader.footer.maxTime {
                        starts.append(unit.next(after: last))
                    }
                    dims.append(.calendar(position: p, unit: unit, starts: starts))
                    cardinalities.append(starts.count)
                }
            }
        }
        var strides: [Int] = []
        var product = 1
        for c in cardinalities {
            strides.append(product)
            product = product.multipliedReportingOverflow(by: max(c, 1)).overflow ? Int.max : product * max(c, 1)
            if product > Self.denseLimit { dense = false }
        }
        if dense {
            self.dimensions = dims
            self.strides = strides
            self.cardinalities = cardinalities.map { max($0, 1) }
            self.positionOf = dims.map { dimension in
                switch dimension {
                case .codes(let p, _, _), .bool(let p, _), .bucket(let p, _, _), .calendar(let p, _, _): p
                }
            }
            slots = [Int32](repeating: -1, count: product)
        } else {
            self.dimensions = nil
            self.strides = []
            slots = []
        }
    }

    /// Units that are fixed widths from the epoch (UTC has no leap seconds or DST).
    static func fixedWidth(_ unit: TimeUnit) -> Int64? {
        switch unit {
        case .millisecond: 1
        case .second: 1000
        case .minute: 60_000
        case .hour: 3_600_000
        case .day: 86_400_000
        default: nil
        }
    }

    /// Group numbers of the selected rows.
    mutating func assign(rows: UnsafeBufferPointer<Int32>, block: BlockColumns, groups: inout GroupTable) -> [Int32] {
        guard let dimensions else { return assignHashed(rows: rows, block: block, groups: &groups) }
        var local = [Int](repeating: 0, count: rows.count)
        for (d, dimension) in dimensions.enumerated() {
            let stride = strides[d]
            switch dimension {
            case .codes(_, let column, let dictionary):
                guard case .string(_, let codes, let validity) = block[column] else { continue }
                let nullCode = dictionary.count
                codes.withUnsafeBufferPointer { codes in
                    if let validity {
                        for (k, r) in rows.enumerated() {
                            let i = Int(r)
                            local[k] &+= (validity[i] ? Int(codes[i]) : nullCode) &* stride
                        }
                    } else {
                        for (k, r) in rows.enumerated() { local[k] &+= Int(codes[Int(r)]) &* stride }
                    }
                }
            case .bool(_, let column):
                guard case .bool(let values, let validity) = block[column] else { continue }
                for (k, r) in rows.enumerated() {
                    let i = Int(r)
                    let id = (validity?[i] ?? true) ? (values[i] ? 1 : 0) : 2
                    local[k] &+= id &* stride
                }
            case .bucket(_, let width, let first):
                guard case .int64(let times, _) = block[0] else { continue }
                times.withUnsafeBufferPointer { t in
                    for (k, r) in rows.enumerated() {
                        local[k] &+= Int(Timestamp.floorDiv(t[Int(r)], width) - first) &* stride
                    }
                }
            case .calendar(_, let unit, let starts):
                guard case .int64(let times, _) = block[0] else { continue }
                for (k, r) in rows.enumerated() {
                    let start = unit.truncate(times[Int(r)])
                    local[k] &+= (starts.firstIndex(of: start) ?? 0) &* stride
                }
            }
        }
        var out = [Int32](repeating: 0, count: rows.count)
        if dimensionIDs.isEmpty { dimensionIDs = strides.indices.map { _ in [] } }
        for k in 0..<rows.count {
            var g = slots[local[k]]
            if g < 0 {
                g = groups.group(globalKey(local: local[k], dimensions: dimensions, groups: &groups))
                slots[local[k]] = g
            }
            out[k] = g
        }
        return out
    }

    /// The key-id tuple of a dense local key (decoded per distinct combination, not per row).
    private mutating func globalKey(local: Int, dimensions: [Dimension], groups: inout GroupTable) -> GroupTable.Key {
        var key = GroupTable.Key()
        var rest = local
        for d in stride(from: dimensions.count - 1, through: 0, by: -1) {
            let id = rest / strides[d]
            rest -= id * strides[d]
            // Each dimension's local id maps to the same key id for the whole segment: decode once.
            if dimensionIDs[d].isEmpty { dimensionIDs[d] = [UInt32](repeating: .max, count: cardinalities[d]) }
            let cached = dimensionIDs[d][id]
            if cached != .max {
                key[positionOf[d]] = cached
                continue
            }
            let p = positionOf[d]
            switch dimensions[d] {
            case .codes(let p, _, let dictionary):
                if id == dictionary.count {
                    key[p] = groups.positions[p].id(of: .null)
                } else if dictionary.isSorted {
                    key[p] = dictionary.withValueBytes(id) { groups.positions[p].id(ofBytes: $0) }
                } else {
                    key[p] = groups.positions[p].id(tableCode: id, in: dictionary)
                }
            case .bool(let p, _):
                key[p] = groups.positions[p].id(of: id == 2 ? .null : .bool(id == 1))
            case .bucket(let p, let width, let first):
                key[p] = groups.positions[p].id(of: .timestamp((first + Int64(id)) * width))
            case .calendar(let p, _, let starts):
                key[p] = groups.positions[p].id(of: .timestamp(starts[id]))
            }
            dimensionIDs[d][id] = key[p]
        }
        return key
    }

    private mutating func assignHashed(rows: UnsafeBufferPointer<Int32>, block: BlockColumns, groups: inout GroupTable)
        -> [Int32]
    {
        if let out = assignPackedStrings(rows: rows, block: block, groups: &groups) { return out }
        var keys = [GroupTable.Key](repeating: GroupTable.Key(), count: rows.count)
        for (p, key) in bound.keys.enumerated() {
            switch key {
            case .column(let c):
                let data = block[c.index]
                if case .string(_, let codes, let validity) = data, let dictionary = block.dictionaries[c.index] {
                    var remap =
                        remaps.removeValue(forKey: c.index) ?? [UInt32](repeating: .max, count: dictionary.count)
                    for (k, r) in rows.enumerated() {
                        let i = Int(r)
                        if !(validity?[i] ?? true) {
                            keys[k][p] = groups.positions[p].id(of: .null)
                            continue
                        }
                        let code = Int(codes[i])
                        if remap[code] == .max {
                            remap[code] =
                                dictionary.isSorted
                                ? dictionary.withValueBytes(code) { groups.positions[p].id(ofBytes: $0) }
                                : groups.positions[p].id(tableCode: code, in: dictionary)
                        }
                        keys[k][p] = remap[code]
                    }
                    remaps[c.index] = remap
                } else if case .int64(let values, let validity) = data, validity == nil, c.type.decimalScale == nil {
                    let isTime = c.type == .timestamp
                    for (k, r) in rows.enumerated() {
                        let x = values[Int(r)]
                        keys[k][p] = groups.positions[p].id(of: isTime ? .timestamp(x) : .int64(x))
                    }
                } else {
                    for (k, r) in rows.enumerated() {
                        keys[k][p] = groups.positions[p].id(of: block.value(c.index, at: Int(r), type: c.type))
                    }
                }
            case .timeBucket(let unit):
                guard case .int64(let times, _) = block[0] else { continue }
                for (k, r) in rows.enumerated() {
                    keys[k][p] = groups.positions[p].id(of: .timestamp(unit.truncate(times[Int(r)])))
                }
            case .fixedBucket(let width):
                guard case .int64(let times, _) = block[0] else { continue }
                for (k, r) in rows.enumerated() {
                    keys[k][p] = groups.positions[p].id(
                        of: .timestamp(Timestamp.floorDiv(times[Int(r)], width) * width))
                }
            }
        }
        return keys.map { groups.group($0) }
    }

    /// The hash path when every key (up to four) is a string column: a row's key ids, remapped from
    /// its codes, pack into one 64-bit word probed in the packed index, column by column, with no key
    /// tuple built per row. `nil` when the keys are of other kinds or an id does not fit its bits.
    private mutating func assignPackedStrings(
        rows: UnsafeBufferPointer<Int32>, block: BlockColumns, groups: inout GroupTable
    ) -> [Int32]? {
        let n = bound.keys.count
        guard (1...4).contains(n) else { return nil }
        var words = [UInt64](repeating: 0, count: rows.count)
        for (p, key) in bound.keys.enumerated() {
            guard case .column(let c) = key, case .string(_, let codes, let validity) = block[c.index],
                let dictionary = block.dictionaries[c.index]
            else { return nil }
            let bits = groups.packedBits[p]
            let limit: UInt64 = bits == 64 ? .max : (1 << UInt64(bits)) - 1
            let shift = UInt64(groups.packedShifts[p])
            if !dictionary.isSorted {
                // Table-wide codes: the position's own code → id cache, shared by every segment.
                let widest = codes.withUnsafeBufferPointer { codes in
                    words.withUnsafeMutableBufferPointer { words in
                        groups.positions[p].packIDs(
                            tableCodes: codes, validity: validity, dictionary: dictionary, rows: rows, shift: shift,
                            into: words)
                    }
                }
                if UInt64(widest) >= limit { return nil }
                continue
            }
            var remap = remaps.removeValue(forKey: c.index) ?? [UInt32](repeating: .max, count: dictionary.count)
            let nullID = validity == nil ? 0 : groups.positions[p].id(of: .null)
            var widest: UInt32 = 0
            codes.withUnsafeBufferPointer { codes in
                words.withUnsafeMutableBufferPointer { words in
                    for (k, r) in rows.enumerated() {
                        let i = Int(r)
                        var id: UInt32
                        if let validity, !validity[i] {
                            id = nullID
                        } else {
                            let code = Int(codes[i])
                            id = remap[code]
                            if id == .max {
                                id = dictionary.withValueBytes(code) { groups.positions[p].id(ofBytes: $0) }
                                remap[code] = id
                            }
                        }
                        widest = max(widest, id)
                        words[k] |= UInt64(id) << shift
                    }
                }
            }
            remaps[c.index] = remap
            if UInt64(widest) >= limit { return nil }
        }
        var out = [Int32](repeating: 0, count: rows.count)
        for k in 0..<rows.count { out[k] = groups.group(packed: words[k]) }
        return out
    }
}
