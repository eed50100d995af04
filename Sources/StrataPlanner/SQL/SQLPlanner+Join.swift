import StrataCore
import StrataExecution
import StrataSQL
import StrataStorage

extension SQLPlanner {
    /// Binds `left JOIN right`: both sides become plans, the condition's equalities between one side and the
    /// other become the hash join's keys (cast to one type), and the rest of it the residual condition.
    func bindJoin(_ join: Join, ctes: [Identifier: SelectStatement]) throws(StrataError) -> (Source, SQLScope) {
        let (leftSource, leftBound) = try bindSource(join.left, ctes: ctes)
        let (rightSource, rightBound) = try bindSource(join.right, ctes: ctes)
        let (left, leftScope) = try relation(leftSource, scope: leftBound, at: join.left.range)
        let (right, rightScope) = try relation(rightSource, scope: rightBound, at: join.right.range)
        var scope = leftScope.joined(with: rightScope)
        let kind = JoinNode.Kind(rawValue: join.kind.rawValue) ?? .inner
        var node = JoinNode(kind: kind, left: left, right: right, leftKeys: [], rightKeys: [], residual: nil)
        let width = leftScope.columns.count
        var condition = join.condition
        if condition == .natural {
            // The visible column names both sides have, in the left side's order (DuckDB's NATURAL JOIN).
            func visible(_ scope: SQLScope) -> [String] {
                scope.columns.indices.filter { !scope.hidden.contains($0) && !scope.columns[$0].name.hasPrefix("#") }
                    .map { scope.columns[$0].name }
            }
            let rightNames = Set(visible(rightScope).map { $0.lowercased() })
            var common: [String] = []
            for name in visible(leftScope) where rightNames.contains(name.lowercased()) && !common.contains(name) {
                common.append(name)
            }
            let range = join.right.range
            guard !common.isEmpty else {
                throw error(
                    .binding, "no columns found to join on in NATURAL JOIN; use CROSS JOIN for a cross product",
                    at: range)
            }
            condition = .using(common.map { Identifier($0, isQuoted: true, range: range) })
        }
        switch condition {
        case nil, .natural?:
            break
        case .using(let names)?:
            if kind == .full {
                throw error(
                    .unsupported, "FULL JOIN … USING is not supported yet; write FULL JOIN … ON with both columns",
                    at: names[0].range)
            }
            for name in names {
                let l = try leftScope.resolve(ColumnReference(column: name), source: source)
                let r = try rightScope.resolve(ColumnReference(column: name), source: source)
                let a = BoundExpression.column(l, leftScope.columns[l].type, name: leftScope.columns[l].name)
                let b = BoundExpression.column(r, rightScope.columns[r].type, name: rightScope.columns[r].name)
                guard let (x, y) = Self.keyPair(a, b) else {
                    throw error(
                        .type, "cannot join \(a.type) with \(b.type) in USING (\(name.name))", at: name.range)
                }
                node.leftKeys.append(x)
                node.rightKeys.append(y)
                // The column appears once: the side whose rows are all kept gives it.
                scope.hidden.insert(kind == .right ? l : width + r)
            }
        case .on(let condition)?:
            let bound = try expressions.requireBoolean(
                try bindInput(condition, scope: scope, clause: "ON"), condition, "ON")
            var rest: [BoundExpression] = []
            var leftOnly: [BoundExpression] = []
            var rightOnly: [BoundExpression] = []
            for conjunct in Self.conjuncts(bound) {
                // A condition on one side only decides which of that side's rows can match: it filters that
                // input, unless the join keeps that side's unmatched rows (then it only decides matches).
                let read = conjunct.columns
                if !read.isEmpty, read.allSatisfy({ $0 >= width }), kind == .inner || kind == .left {
                    rightOnly.append(conjunct.remapped { $0 - width })
                } else if !read.isEmpty, read.allSatisfy({ $0 < width }), kind == .inner || kind == .right {
                    leftOnly.append(conjunct)
                } else if case .compare(.equal, let a, let b) = conjunct,
                    let (l, r) = Self.sides(a, b, width: width) ?? Self.sides(b, a, width: width),
                    let (x, y) = Self.keyPair(l, r.remapped { $0 - width })
                {
                    node.leftKeys.append(x)
                    node.rightKeys.append(y)
                } else {
                    rest.append(conjunct)
                }
            }
            node.residual = rest.isEmpty ? nil : rest.count == 1 ? rest[0] : .and(rest)
            if !leftOnly.isEmpty { node.left = Self.filtered(node.left, by: .and(leftOnly)) }
            if !rightOnly.isEmpty { node.right = Self.filtered(node.right, by: .and(rightOnly)) }
        }
        return (.relation(.join(node)), scope)
    }

    /// `plan` with only the rows where `predicate` is TRUE. Conjuncts go as far down as they keep their meaning:
    /// into a scan (where its time range and bitmap indexes skip what they can), below a join to the side
    /// they read (a side whose unmatched rows the join keeps, padded with NULLs, only takes them from above
    /// when it is the one all of whose rows are kept), and an equality between the two sides of an inner or
    /// cross join becomes a join key.
    static func filtered(_ plan: PlanNode, by predicate: BoundExpression) -> PlanNode {
        switch plan {
        case .scan(var scan) where scan.storedColumns == Array(scan.storedColumns.indices):
            // The scan reads every stored column in order: positions are the scan's own.
            scan.filter = scan.filter.map { .and(conjuncts($0) + conjuncts(predicate)) } ?? predicate
            if let range = TimeBounds.range(of: predicate) {
                scan.timeRange = scan.timeRange.map { $0.clamped(to: range) } ?? range
            }
            scan.indexFilters += indexFilters(of: predicate, stored: scan.snapshot.spec.storedColumns)
            return .scan(scan)
        case .join(var join):
            let width = join.left.columns.count
            var above: [BoundExpression] = []
            var left: [BoundExpression] = []
            var right: [BoundExpression] = []
            let all = factored(conjuncts(predicate), width: width)
            // A condition no NULL-padded row passes (`right.x IS NOT NULL`, `right.x = 3`) makes a LEFT JOIN
            // an inner one: the rows it pads are all dropped (an EXISTS or IN in WHERE, unnested, is such).
            if join.kind == .left, all.contains(where: { rejectsNulls($0, from: width..<Int.max) }) { join.kind = .inner }
            if join.kind == .right, all.contains(where: { rejectsNulls($0, from: 0..<width) }) { join.kind = .inner }
            let innerish = join.kind == .inner || join.kind == .cross
            for conjunct in all {
                let columns = conjunct.columns
                if columns.isEmpty {
                    above.append(conjunct)
                } else if columns.allSatisfy({ $0 < width }),
                    innerish || join.kind == .left || join.kind == .semi || join.kind == .anti
                {
                    left.append(conjunct)
                } else if columns.allSatisfy({ $0 >= width }), innerish || join.kind == .right {
                    right.append(conjunct.remapped { $0 - width })
                } else if innerish, case .compare(.equal, let a, let b) = conjunct,
                    let (l, r) = sides(a, b, width: width) ?? sides(b, a, width: width),
                    let (x, y) = keyPair(l, r.remapped { $0 - width })
                {
                    join.leftKeys.append(x)
                    join.rightKeys.append(y)
                    join.kind = .inner
                } else {
                    above.append(conjunct)
                }
            }
            if !left.isEmpty { join.left = filtered(join.left, by: left.count == 1 ? left[0] : .and(left)) }
            if !right.isEmpty { join.right = filtered(join.right, by: right.count == 1 ? right[0] : .and(right)) }
            if innerish, !above.isEmpty {
                // What reads both sides is the join's own condition: fewer rows leave it.
                join.residual = join.residual.map { .and(conjuncts($0) + above) } ?? (above.count == 1 ? above[0] : .and(above))
                above = []
            }
            let joined = PlanNode.join(join)
            return above.isEmpty ? joined : .filter(joined, above.count == 1 ? above[0] : .and(above))
        default:
            return .filter(plan, predicate)
        }
    }

    /// `conjuncts` with what an OR's branches share taken out of it — `(k = x AND a) OR (k = x AND b)` is
    /// `k = x AND (a OR b)`, so a join key written in every branch (TPC-H Q19) is still a key — and, for an OR
    /// that reads both sides of a join, the filter it implies on each side that every branch restricts (the
    /// OR of those branches' conditions on that side alone), which can go below the join; the OR itself stays.
    static func factored(_ conjuncts: [BoundExpression], width: Int) -> [BoundExpression] {
        var result: [BoundExpression] = []
        for conjunct in conjuncts {
            guard case .or(let branches) = conjunct, branches.count > 1 else {
                result.append(conjunct)
                continue
            }
            let parts = branches.map { Self.conjuncts($0) }
            let common = parts[0].filter { c in parts.dropFirst().allSatisfy { $0.contains(c) } }
            result += common
            let rest = parts.map { $0.filter { !common.contains($0) } }
            if rest.contains(where: \.isEmpty) { continue }  // a branch with nothing else: the OR is TRUE
            let or = BoundExpression.or(rest.map { $0.count == 1 ? $0[0] : .and($0) })
            result.append(or)
            let columns = or.columns
            guard columns.contains(where: { $0 < width }), columns.contains(where: { $0 >= width }) else { continue }
            for onLeft in [true, false] {
                let sided = rest.map { branch in
                    branch.filter { c in
                        let read = c.columns
                        return !read.isEmpty && read.allSatisfy { ($0 < width) == onLeft }
                    }
                }
                guard !sided.contains(where: \.isEmpty) else { continue }
                result.append(.or(sided.map { $0.count == 1 ? $0[0] : .and($0) }))
            }
        }
        return result
    }

    /// Whether `condition` is never TRUE when the columns in `padded` are all NULL: `IS NOT NULL` of such a
    /// column, or a comparison with one.
    static func rejectsNulls(_ condition: BoundExpression, from padded: Range<Int>) -> Bool {
        func isPadded(_ e: BoundExpression) -> Bool {
            if case .column(let c, _, _) = e { return padded.contains(c) }
            return false
        }
        switch condition {
        case .isNull(let e, negated: true): return isPadded(e)
        case .compare(_, let a, let b): return isPadded(a) || isPadded(b)
        default: return false
        }
    }

    /// The conjuncts of an AND (the expression itself when it is not one).
    static func conjuncts(_ expression: BoundExpression) -> [BoundExpression] {
        if case .and(let parts) = expression { return parts.flatMap(conjuncts) }
        return [expression]
    }

    /// `(a, b)` when `a` reads only left columns (below `width`) and `b` only right ones, each at least one.
    private static func sides(_ a: BoundExpression, _ b: BoundExpression, width: Int) -> (BoundExpression, BoundExpression)? {
        let (x, y) = (a.columns, b.columns)
        guard !x.isEmpty, !y.isEmpty, x.allSatisfy({ $0 < width }), y.allSatisfy({ $0 >= width }) else { return nil }
        return (a, b)
    }

    /// Two join keys of one type (each cast to the type both convert to), or `nil` when there is none.
    static func keyPair(_ a: BoundExpression, _ b: BoundExpression) -> (BoundExpression, BoundExpression)? {
        guard let common = SQLValueType.common(a.type, b.type) else { return nil }
        return (a.type == common ? a : .cast(a, common), b.type == common ? b : .cast(b, common))
    }
}

extension PlanNode {
    /// The plan giving only the output columns in `needed` (more when an operator needs them), so that the
    /// scans under joins decode only the columns the query reads; and where each kept column went.
    func pruned(keeping needed: Set<Int>) -> (PlanNode, [Int: Int]) {
        switch self {
        case .scan(var scan):
            var keep = needed.union(scan.filter?.columns ?? []).filter { $0 < scan.storedColumns.count }.sorted()
            if keep.isEmpty { keep = [0] }  // the rows still count
            var map: [Int: Int] = [:]
            for (i, c) in keep.enumerated() { map[c] = i }
            scan.storedColumns = keep.map { scan.storedColumns[$0] }
            scan.filter = scan.filter?.remapped { map[$0] ?? $0 }
            // Positions in the scan of the columns above it needs; columns only the filter reads
            // (`o_comment NOT LIKE …`) stop at the scan, or a join would carry them into its build side.
            let output = keep.indices.filter { needed.contains(keep[$0]) }
            guard !output.isEmpty, output.count < keep.count else { return (.scan(scan), map) }
            let node = PlanNode.scan(scan)
            let columns = node.columns
            let projected = PlanNode.project(
                node, output.map { .column($0, columns[$0].type, name: columns[$0].name) },
                columns: output.map { columns[$0] })
            return (projected, Dictionary(uniqueKeysWithValues: output.enumerated().map { (keep[$1], $0) }))
        case .filter(let input, let predicate):
            let (pruned, map) = input.pruned(keeping: needed.union(predicate.columns))
            return (.filter(pruned, predicate.remapped { map[$0] ?? $0 }), map)
        case .join(var join):
            let width = join.left.columns.count
            var left = Set(join.leftKeys.flatMap(\.columns))
            var right = Set(join.rightKeys.flatMap(\.columns))
            for c in needed.union(join.residual?.columns ?? []) {
                if c < width { left.insert(c) } else { right.insert(c - width) }
            }
            let (prunedLeft, leftMap) = join.left.pruned(keeping: left)
            let (prunedRight, rightMap) = join.right.pruned(keeping: right)
            let newWidth = prunedLeft.columns.count
            var map: [Int: Int] = [:]
            for (old, new) in leftMap { map[old] = new }
            for (old, new) in rightMap { map[old + width] = new + newWidth }
            join.leftKeys = join.leftKeys.map { $0.remapped { leftMap[$0] ?? $0 } }
            join.rightKeys = join.rightKeys.map { $0.remapped { rightMap[$0] ?? $0 } }
            join.residual = join.residual?.remapped { map[$0] ?? $0 }
            join.left = prunedLeft
            join.right = prunedRight
            return (.join(join), map)
        case .project(let input, let expressions, let columns):
            // The outputs above needs (one, when it needs none: the rows still count), from the input columns
            // they read.
            var keep = expressions.indices.filter(needed.contains)
            if keep.isEmpty, !expressions.isEmpty { keep = [0] }
            let (prunedInput, inputMap) = input.pruned(keeping: Set(keep.flatMap { expressions[$0].columns }))
            let kept = keep.map { expressions[$0].remapped { inputMap[$0] ?? $0 } }
            return (
                .project(prunedInput, kept, columns: keep.map { columns[$0] }),
                Dictionary(uniqueKeysWithValues: keep.enumerated().map { ($1, $0) })
            )
        default:
            return (self, Dictionary(uniqueKeysWithValues: columns.indices.map { ($0, $0) }))
        }
    }
}
