/// One item of a GROUP BY that groups by several sets of keys (DuckDB's grouping sets).
public indirect enum GroupingElement: Hashable, Sendable {
    /// A plain key: the one set `{e}`.
    case expression(SQLExpression)
    /// `(a, b)` inside GROUPING SETS, or `()`: the one set of these keys.
    case set([SQLExpression])
    /// `ROLLUP (a, (b, c))`: every prefix of the items, longest first, down to the empty set.
    case rollup([[SQLExpression]])
    /// `CUBE (a, b)`: every subset of the items.
    case cube([[SQLExpression]])
    /// `GROUPING SETS (…)`: the sets of each element, one after another.
    case groupingSets([GroupingElement])

    /// The sets of keys this element groups by, in DuckDB's order (duplicates kept: each is a grouping).
    public var sets: [[SQLExpression]] {
        switch self {
        case .expression(let e): [[e]]
        case .set(let keys): [keys]
        case .rollup(let items): (0...items.count).reversed().map { items.prefix($0).flatMap { $0 } }
        case .cube(let items):
            // Bit i of the mask keeps item i; counting down lists the full set first and the empty set last.
            (0..<(1 << items.count)).reversed().map { mask in
                items.indices.filter { mask & (1 << $0) != 0 }.flatMap { items[$0] }
            }
        case .groupingSets(let elements): elements.flatMap(\.sets)
        }
    }

    /// The sets a GROUP BY list of elements groups by: the cross product of the elements' sets (`GROUP BY a,
    /// ROLLUP (b)` is `GROUPING SETS ((a, b), (a))`).
    public static func expandedSets(of elements: [GroupingElement]) -> [[SQLExpression]] {
        var result: [[SQLExpression]] = [[]]
        for element in elements {
            let sets = element.sets
            result = result.flatMap { prefix in sets.map { prefix + $0 } }
        }
        return result
    }

    /// How many sets ``expandedSets(of:)`` would list, without listing them (saturating), so a planner can
    /// refuse a CUBE of many keys before expanding it.
    public static func setCount(of elements: [GroupingElement]) -> Int {
        func count(_ element: GroupingElement) -> Int {
            switch element {
            case .expression, .set: 1
            case .rollup(let items): items.count + 1
            case .cube(let items): items.count >= 62 ? Int.max : 1 << items.count
            case .groupingSets(let elements):
                elements.reduce(0) { total, element in
                    let (sum, overflow) = total.addingReportingOverflow(count(element))
                    return overflow ? Int.max : sum
                }
            }
        }
        return elements.reduce(1) { total, element in
            let (product, overflow) = total.multipliedReportingOverflow(by: count(element))
            return overflow ? Int.max : product
        }
    }

    /// Every key expression written in the element.
    public var expressions: [SQLExpression] {
        switch self {
        case .expression(let e): [e]
        case .set(let keys): keys
        case .rollup(let items), .cube(let items): items.flatMap { $0 }
        case .groupingSets(let elements): elements.flatMap(\.expressions)
        }
    }
}

extension GroupingElement: CustomStringConvertible {
    /// The element as SQL.
    public var description: String {
        func list(_ keys: [SQLExpression]) -> String { "(" + keys.map(\.description).joined(separator: ", ") + ")" }
        func items(_ items: [[SQLExpression]]) -> String {
            items.map { $0.count == 1 ? $0[0].description : list($0) }.joined(separator: ", ")
        }
        switch self {
        case .expression(let e): return e.description
        case .set(let keys): return list(keys)
        case .rollup(let x): return "ROLLUP (\(items(x)))"
        case .cube(let x): return "CUBE (\(items(x)))"
        case .groupingSets(let elements):
            return "GROUPING SETS (" + elements.map(\.description).joined(separator: ", ") + ")"
        }
    }
}
