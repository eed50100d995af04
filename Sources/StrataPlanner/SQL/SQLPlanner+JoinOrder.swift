import StrataCore
import StrataExecution

extension SQLPlanner {
    /// The plan with each tree of three or more inner and cross joins in the order whose joins give the
    /// fewest rows by estimate (``JoinTree/joinOrder()``: row counts, and the key columns' distinct values
    /// from segment metadata), without needless cross products. Each join then builds its smaller side by
    /// estimate (``JoinNode/buildsRight``), so the big fact table streams through as the probe side. The
    /// output keeps the written column order: a projection restores the positions.
    static func reorderingJoins(_ plan: PlanNode) -> PlanNode {
        switch plan {
        case .join(var node) where node.kind == .inner || node.kind == .cross:
            var tree = JoinTree()
            tree.flatten(.join(node), offset: 0)
            guard tree.leaves.count >= 3 else {
                node.left = reorderingJoins(node.left)
                node.right = reorderingJoins(node.right)
                return .join(node)
            }
            return tree.ordered()
        case .join(var node):
            node.left = reorderingJoins(node.left)
            node.right = reorderingJoins(node.right)
            return .join(node)
        case .filter(let input, let predicate):
            return .filter(reorderingJoins(input), predicate)
        case .project(let input, let expressions, let columns):
            return .project(reorderingJoins(input), expressions, columns: columns)
        default:
            return plan
        }
    }
}

/// A tree of inner and cross joins taken apart: its inputs (other plans, each already reordered inside) at
/// their column offsets in the written order, and every condition over those columns.
private struct JoinTree {
    var leaves: [(plan: PlanNode, offset: Int, width: Int)] = []
    var conditions: [BoundExpression] = []

    mutating func flatten(_ plan: PlanNode, offset: Int) {
        guard case .join(let node) = plan, node.kind == .inner || node.kind == .cross else {
            let plan = SQLPlanner.reorderingJoins(plan)
            leaves.append((plan, offset, plan.columns.count))
            return
        }
        let width = node.left.columns.count
        flatten(node.left, offset: offset)
        flatten(node.right, offset: offset + width)
        for (l, r) in zip(node.leftKeys, node.rightKeys) {
            conditions.append(.compare(.equal, l.remapped { $0 + offset }, r.remapped { $0 + offset + width }))
        }
        if let residual = node.residual {
            conditions += SQLPlanner.conjuncts(residual).map { $0.remapped { $0 + offset } }
        }
    }

    /// Columns (written positions) equal by a chain of `a = b` conditions between plain columns of one type
    /// in different leaves: `c_nationkey = s_nationkey AND s_nationkey = n_nationkey` (TPC-H Q5) also joins
    /// customer to nation, so the order may place them side by side. The join then takes one equality per
    /// class and leaf instead of the written ones (``ordered()``).
    private var equalColumns: (classes: [[Int]], others: [BoundExpression]) {
        var parent: [Int: Int] = [:]
        func root(_ c: Int) -> Int {
            var c = c
            while let p = parent[c], p != c { c = p }
            return c
        }
        var others: [BoundExpression] = []
        for condition in conditions {
            guard case .compare(.equal, .column(let a, let ta, _), .column(let b, let tb, _)) = condition, ta == tb,
                let la = leaf(of: a), let lb = leaf(of: b), la != lb
            else {
                others.append(condition)
                continue
            }
            for c in [a, b] where parent[c] == nil { parent[c] = c }
            let (ra, rb) = (root(a), root(b))
            if ra != rb { parent[Swift.max(ra, rb)] = Swift.min(ra, rb) }
        }
        var classes: [Int: [Int]] = [:]
        for c in parent.keys.sorted() { classes[root(c), default: []].append(c) }
        return (classes.keys.sorted().compactMap { classes[$0] }, others)
    }

    /// Written column `c` as a column reference at its new position.
    private func column(_ c: Int, at position: [Int: Int]) -> BoundExpression {
        let j = leaf(of: c) ?? 0
        let column = leaves[j].plan.columns[c - leaves[j].offset]
        return .column(position[c] ?? c, column.type, name: column.name)
    }

    /// Which leaf holds a column (in written positions).
    private func leaf(of column: Int) -> Int? {
        leaves.firstIndex { column >= $0.offset && column < $0.offset + $0.width }
    }

    /// The leaves an equality between two sides reads: one set per side.
    private func sides(_ condition: BoundExpression) -> (Set<Int>, Set<Int>)? {
        guard case .compare(.equal, let a, let b) = condition else { return nil }
        let x = Set(a.columns.compactMap(leaf(of:)))
        let y = Set(b.columns.compactMap(leaf(of:)))
        guard !x.isEmpty, !y.isEmpty, x.isDisjoint(with: y) else { return nil }
        return (x, y)
    }

    /// The equalities that join leaf `j` to the leaves in `placed`, each as leaf `j`'s column (its own
    /// position) and the other side's (written position).
    private func keyPairs(
        of j: Int, joinedTo placed: Set<Int>, equal: (classes: [[Int]], others: [BoundExpression])
    ) -> [(mine: Int, theirs: Int)] {
        var pairs: [(Int, Int)] = []
        for members in equal.classes {
            guard let mine = members.first(where: { leaf(of: $0) == j }),
                let theirs = members.first(where: { leaf(of: $0).map(placed.contains) ?? false })
            else { continue }
            pairs.append((mine - leaves[j].offset, theirs))
        }
        for condition in equal.others {
            guard case .compare(.equal, let a, let b) = condition, let (x, y) = sides(condition) else { continue }
            let (mine, theirs, ownSide, otherSide) = x == [j] ? (x, y, a, b) : (y, x, b, a)
            guard mine == [j], theirs.isSubset(of: placed) else { continue }
            func column(_ e: BoundExpression) -> Int? {
                var e = e
                while case .cast(let inner, _) = e { e = inner }
                if case .column(let c, _, _) = e { return c }
                return nil
            }
            guard let own = column(ownSide), let other = column(otherSide) else { continue }
            pairs.append((own - leaves[j].offset, other))
        }
        return pairs
    }

    /// A written column position's distinct values, from its leaf's estimates.
    private func keyDistinct(written column: Int) -> JoinNode.KeyDistinct? {
        guard let j = leaf(of: column) else { return nil }
        return keyDistinct(j, column - leaves[j].offset)
    }

    private func keyDistinct(_ j: Int, _ column: Int) -> JoinNode.KeyDistinct {
        let plan = leaves[j].plan
        return JoinNode.KeyDistinct(plan, .column(column, plan.columns[column].type, name: plan.columns[column].name))
    }

    /// The leaves in join order: from each leaf, the greedy order that each time adds the leaf (joined by an
    /// equality to those placed) whose join gives the fewest rows by estimate (``JoinNode/joinedRows``: from
    /// row counts and key distinct counts), ties in written order; of those, the one whose joins give the
    /// fewest rows in all. A leaf nothing joins to waits until one does (TPC-H Q9 lists `part, supplier,
    /// lineitem, …`: part × supplier would be a cross product). Q21's `supplier, lineitem, orders, nation`
    /// with one nation becomes nation, supplier, lineitem, orders: a few hundred suppliers probe lineitem
    /// instead of every lineitem row probing supplier.
    private func joinOrder() -> [Int] {
        let rows = leaves.map { $0.plan.estimatedRows ?? Int.max / 4 }
        let equal = equalColumns
        var best: (order: [Int], cost: Double)?
        for first in leaves.indices {
            var order = [first]
            var placed: Set<Int> = [first]
            var current = rows[first]
            var cost = 0.0
            while placed.count < leaves.count {
                var next: (leaf: Int, rows: Int)?
                for j in leaves.indices where !placed.contains(j) {
                    let pairs = keyPairs(of: j, joinedTo: placed, equal: equal)
                    guard !pairs.isEmpty else { continue }
                    let joined = JoinNode.joinedRows(
                        current, rows[j],
                        keys: pairs.compactMap { pair in
                            keyDistinct(written: pair.theirs).map { ($0, keyDistinct(j, pair.mine)) }
                        })
                    if next.map({ joined < $0.rows }) ?? true { next = (j, joined) }
                }
                let chosen =
                    next
                    ?? {
                        let j = leaves.indices.first { !placed.contains($0) } ?? 0
                        let (product, overflow) = current.multipliedReportingOverflow(by: rows[j])
                        return (j, overflow ? Int.max / 4 : product)
                    }()
                current = chosen.rows
                cost += Double(current)
                order.append(chosen.leaf)
                placed.insert(chosen.leaf)
            }
            if best.map({ cost < $0.cost }) ?? true { best = (order, cost) }
        }
        return best?.order ?? Array(leaves.indices)
    }

    func ordered() -> PlanNode {
        let order = joinOrder()

        // Written column positions to the new ones.
        var position: [Int: Int] = [:]
        var offset = 0
        for i in order {
            for c in 0..<leaves[i].width { position[leaves[i].offset + c] = offset + c }
            offset += leaves[i].width
        }
        let equal = equalColumns
        var pending = equal.others.map { $0.remapped { position[$0] ?? $0 } }
        // Each class's columns, as each leaf comes: equal to the first placed one (or, in the first leaf to
        // have several, to each other), so every column of the class is equal once its leaf is placed.
        var placed: Set<Int> = []
        for i in order {
            for members in equal.classes {
                let mine = members.filter { leaf(of: $0) == i }
                guard let first = members.first(where: { leaf(of: $0).map(placed.contains) ?? false }) ?? mine.first
                else { continue }
                for c in mine where c != first {
                    pending.append(.compare(.equal, column(first, at: position), column(c, at: position)))
                }
            }
            placed.insert(i)
        }
        var plan = leaves[order[0]].plan
        var width = leaves[order[0]].width
        for i in order.dropFirst() {
            width += leaves[i].width
            plan = .join(
                JoinNode(kind: .cross, left: plan, right: leaves[i].plan, leftKeys: [], rightKeys: [], residual: nil))
            // Conditions whose columns are all placed now apply: equalities across become this join's keys.
            let ready = pending.filter { !$0.columns.isEmpty && $0.columns.allSatisfy { $0 < width } }
            pending.removeAll { !$0.columns.isEmpty && $0.columns.allSatisfy { $0 < width } }
            if !ready.isEmpty { plan = SQLPlanner.filtered(plan, by: ready.count == 1 ? ready[0] : .and(ready)) }
        }
        if !pending.isEmpty { plan = .filter(plan, pending.count == 1 ? pending[0] : .and(pending)) }
        let columns = plan.columns
        let written = (0..<offset).map { position[$0] ?? $0 }
        return .project(
            plan, written.map { .column($0, columns[$0].type, name: columns[$0].name) },
            columns: written.map { columns[$0] })
    }
}
