import StrataCore

/// `product(x)`: per group the running product of the non-NULL values, as a DOUBLE (DuckDB multiplies doubles
/// whatever the numeric input), and whether one was met (NULL without one). Workers' products multiply, so a
/// parallel answer can differ from a sequential one in the last bits.
final class ProductAggregate: VectorAggregate {
    private var seen: [Bool] = []
    private var products: [Double] = []

    func update(_ groups: [UInt32], groupCount: Int, argument: Vector?, rows: [Int32]?) throws(StrataError) {
        guard let argument else { return }
        var seen = self.seen, products = self.products
        (self.seen, self.products) = ([], [])
        defer { (self.seen, self.products) = (seen, products) }
        grow(&seen, to: groupCount, with: false)
        grow(&products, to: groupCount, with: 1)
        let mask = argument.nullMask()
        // BIGINT and DOUBLE as doubles; DECIMAL and HUGEINT boxed, value by value (their doubleValue).
        let native = argument.type == .double || argument.type == .bigint
        let values: [Double] =
            (native ? argument.doubleBuffer() : nil)
            ?? (0..<argument.count).map { argument.value(at: $0).doubleValue ?? .nan }
        forEachRow(rows, groups.count, skipping: mask) { i in
            if !native, argument.value(at: i).doubleValue == nil { return }
            let g = Int(groups[i])
            seen[g] = true
            products[g] *= values[i]
        }
    }

    func merge(_ other: any VectorAggregate, groups: [UInt32], groupCount: Int) {
        guard let other = other as? ProductAggregate else { return }
        grow(&seen, to: groupCount, with: false)
        grow(&products, to: groupCount, with: 1)
        for g in other.seen.indices where other.seen[g] {
            let t = Int(groups[g])
            seen[t] = true
            products[t] *= other.products[g]
        }
    }

    func result(_ g: Int) -> Value { g < seen.count && seen[g] ? .double(products[g]) : .null }

    var bytes: Int { seen.count * 9 }
}
