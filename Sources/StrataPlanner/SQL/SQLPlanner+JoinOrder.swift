import StrataCore
import StrataExecution

extension SQLPlanner {
    /// The plan with each tree of three or more inner and cross joins in an order without needless cross
    /// products: the written order, except that an input no equality joins to those before it waits until
    /// one does (TPC-H Q9 lists `part, supplier, lineitem, …`: in written order, part × supplier is a cross
    /// product before lineitem's keys can apply). Each join then builds its smaller side by estimate
    /// (``JoinNode/buildsRight``), so the big fact table streams through as the probe side. The output keeps
    /// the written column order: a projection restores the positions. (Without statistics on keys, a
    /// reorder by size alone can join on a low-cardinality column first — customers by nation in Q5 — and
    /// multiply rows; the written order is the user's.)
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

    /// Which leaf holds a column (in written positions).
    private func leaf(of column: Int) -> Int? {
        leaves.firstIndex { column >= $0.offset && column < $0.offset + $0.width }
    }

    /// The columns of leaf `j` (its own positions) that equalities join to the leaves in `placed`.
    private func keyColumns(of j: Int, joinedTo placed: Set<Int>) -> Set<Int> {
        var columns: Set<Int> = []
        for condition in conditions {
            guard case .compare(.equal, let a, let b) = condition, let (x, y) = sides(condition) else { continue }
            let (mine, theirs, ownSide) = x == [j] ? (x, y, a) : (y, x, b)
            guard mine == [j], theirs.isSubset(of: placed) else { continue }
            var e = ownSide
            while case .cast(let inner, _) = e { e = inner }
            if case .column(let c, _, _) = e { columns.insert(c - leaves[j].offset) }
        }
        return columns
    }

    /// Output columns that identify each row of `plan` (a grouping's keys), when it has such.
    private func uniqueColumns(_ plan: PlanNode) -> Set<Int>? {
        switch plan {
        case .aggregate(_, let keys, _):
            return keys.isEmpty ? nil : Set(0..<keys.count)
        case .distinct(let input):
            return Set(0..<input.columns.count)
        case .filter(let input, _):
            return uniqueColumns(input)
        case .project(let input, let expressions, _):
            guard let inner = uniqueColumns(input) else { return nil }
            var out: Set<Int> = []
            for c in inner {
                guard let i = expressions.firstIndex(where: { if case .column(c, _, _) = $0 { true } else { false } })
                else { return nil }
                out.insert(i)
            }
            return out
        default:
            return nil
        }
    }

    /// The leaves an equality between two sides reads: one set per side.
    private func sides(_ condition: BoundExpression) -> (Set<Int>, Set<Int>)? {
        guard case .compare(.equal, let a, let b) = condition else { return nil }
        let x = Set(a.columns.compactMap(leaf(of:)))
        let y = Set(b.columns.compactMap(leaf(of:)))
        guard !x.isEmpty, !y.isEmpty, x.isDisjoint(with: y) else { return nil }
        return (x, y)
    }

    func ordered() -> PlanNode {
        var order = [0]
        var placed: Set<Int> = [0]
        while placed.count < leaves.count {
            let remaining = leaves.indices.filter { !placed.contains($0) }
            let joined = remaining.filter { !keyColumns(of: $0, joinedTo: placed).isEmpty }
            // A join that cannot multiply rows (the input is unique on its key: a grouping by it, as an
            // unnested IN or EXISTS is) only drops rows: it goes first.
            let next =
                joined.first { j in
                    uniqueColumns(leaves[j].plan).map { $0.isSubset(of: keyColumns(of: j, joinedTo: placed)) } ?? false
                } ?? joined.first ?? remaining[0]
            order.append(next)
            placed.insert(next)
        }

        // Written column positions to the new ones.
        var position: [Int: Int] = [:]
        var offset = 0
        for i in order {
            for c in 0..<leaves[i].width { position[leaves[i].offset + c] = offset + c }
            offset += leaves[i].width
        }
        var pending = conditions.map { $0.remapped { position[$0] ?? $0 } }
        var plan = leaves[order[0]].plan
        var width = leaves[order[0]].width
        for i in order.dropFirst() {
            width += leaves[i].width
            plan = .join(JoinNode(kind: .cross, left: plan, right: leaves[i].plan, leftKeys: [], rightKeys: [], residual: nil))
            // Conditions whose columns are all placed now apply: equalities across become this join's keys.
            let ready = pending.filter { !$0.columns.isEmpty && $0.columns.allSatisfy { $0 < width } }
            pending.removeAll { !$0.columns.isEmpty && $0.columns.allSatisfy { $0 < width } }
            if !ready.isEmpty { plan = SQLPlanner.filtered(plan, by: ready.count == 1 ? ready[0] : .and(ready)) }
        }
        if !pending.isEmpty { plan = .filter(plan, pending.count == 1 ? pending[0] : .and(pending)) }
        let columns = plan.columns
        let written = (0..<offset).map { position[$0] ?? $0 }
        return .project(
            plan, written.map { .column($0, columns[$0].type, name: columns[$0].name) }, columns: written.map { columns[$0] })
    }
}
