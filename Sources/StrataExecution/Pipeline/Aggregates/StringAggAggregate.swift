import StrataCore

/// `string_agg(x, sep [ORDER BY k …])` (`listagg`, `group_concat`): per group the non-NULL strings and, with an
/// ORDER BY, each one's keys; at the end the strings in key order (ties in arrival order) joined by `sep`. NULL
/// for a group without a string. Without an ORDER BY the answer is the scan's order, so the state does not
/// merge (the query runs on one worker, reading segments in order); with one, workers' rows concatenate.
final class StringAggAggregate: VectorAggregate {
    private let separator: String
    private let order: [AggregateOrderKey]
    private var strings: [[String]] = []
    /// Per group, per string, its ORDER BY keys (empty without an ORDER BY).
    private var keys: [[[Value]]] = []
    private var kept = 0

    init(separator: String, order: [AggregateOrderKey]) {
        self.separator = separator
        self.order = order
    }

    var mergeable: Bool { !order.isEmpty }

    func update(_ groups: [UInt32], groupCount: Int, argument: Vector?, rows: [Int32]?) throws(StrataError) {
        guard let argument else { return }
        try update(groups, groupCount: groupCount, arguments: [argument], rows: rows)
    }

    func update(_ groups: [UInt32], groupCount: Int, arguments: [Vector], rows: [Int32]?) throws(StrataError) {
        guard let x = arguments.first else { return }
        let keyVectors = arguments.dropFirst()
        grow(&strings, to: groupCount, with: [])
        grow(&keys, to: groupCount, with: [])
        let mask = x.nullMask()
        let text = x.stringBuffer()
        var strings = self.strings, keys = self.keys
        (self.strings, self.keys) = ([], [])
        defer { (self.strings, self.keys) = (strings, keys) }
        var added = 0
        forEachRow(rows, groups.count, skipping: mask) { i in
            let g = Int(groups[i])
            let s: String
            if let text {
                s = text[i]
            } else if case .string(let v) = x.value(at: i) {
                s = v
            } else {
                return
            }
            strings[g].append(s)
            if !keyVectors.isEmpty { keys[g].append(keyVectors.map { $0.value(at: i) }) }
            added += 1
        }
        kept += added
    }

    func merge(_ other: any VectorAggregate, groups: [UInt32], groupCount: Int) throws(StrataError) {
        guard let other = other as? StringAggAggregate else { return }
        guard !order.isEmpty else {
            throw StrataError(.internal, "string_agg without ORDER BY answers in scan order and does not merge")
        }
        grow(&strings, to: groupCount, with: [])
        grow(&keys, to: groupCount, with: [])
        for g in other.strings.indices where !other.strings[g].isEmpty {
            let t = Int(groups[g])
            strings[t].append(contentsOf: other.strings[g])
            keys[t].append(contentsOf: other.keys[g])
        }
        kept += other.kept
    }

    func result(_ g: Int) -> Value {
        guard g < strings.count, !strings[g].isEmpty else { return .null }
        guard !order.isEmpty else { return .string(strings[g].joined(separator: separator)) }
        let rowKeys = keys[g]
        let order = self.order
        // A stable sort: equal keys keep the order the rows arrived in.
        let sorted = strings[g].indices.sorted { a, b in
            let c = AggregateOrderKey.compare(rowKeys[a], rowKeys[b], order)
            return c != 0 ? c < 0 : a < b
        }
        return .string(sorted.map { strings[g][$0] }.joined(separator: separator))
    }

    var bytes: Int { strings.count * 48 + kept * (32 + order.count * MemoryLayout<Value>.stride) }
}
