/// What follows `OVER` in a window function call: `(PARTITION BY … ORDER BY … frame)`, a window named in the
/// query's `WINDOW` clause (`OVER w`), or a named window refined (`OVER (w ORDER BY …)`).
///
/// Equality ignores source ranges (those of the expressions inside).
public struct WindowSpecification: Hashable, Sendable {
    /// The named window this one starts from (`OVER w`, `OVER (w …)`); resolved by the binder.
    public var base: Identifier?
    /// The `PARTITION BY` expressions; empty when absent (the whole input is one partition).
    public var partitionBy: [SQLExpression]
    /// The `ORDER BY` items within a partition; empty when absent.
    public var orderBy: [OrderItem]
    /// The frame; nil means the default (see ``WindowFrame``).
    public var frame: WindowFrame?

    public init(
        base: Identifier? = nil, partitionBy: [SQLExpression] = [], orderBy: [OrderItem] = [],
        frame: WindowFrame? = nil
    ) {
        self.base = base
        self.partitionBy = partitionBy
        self.orderBy = orderBy
        self.frame = frame
    }

    /// Whether the specification is only a reference to a named window: `OVER w`.
    public var isReference: Bool { base != nil && partitionBy.isEmpty && orderBy.isEmpty && frame == nil }
}

/// `ROWS | RANGE | GROUPS BETWEEN start AND end`, or `ROWS | RANGE | GROUPS start` (which ends at the current
/// row).
///
/// Without a frame, SQL's default applies: with an ORDER BY, `RANGE BETWEEN UNBOUNDED PRECEDING AND CURRENT
/// ROW` (the current row's peers included); without one, the whole partition.
public struct WindowFrame: Hashable, Sendable {
    /// Whether offsets count rows, values of the ORDER BY key, or groups of peers (rows with equal ORDER BY keys).
    public enum Unit: String, Hashable, Sendable {
        case rows = "ROWS"
        case range = "RANGE"
        case groups = "GROUPS"
    }

    /// One end of a frame.
    public enum Bound: Hashable, Sendable {
        case unboundedPreceding
        /// `n PRECEDING`: `n` rows (ROWS) or the key minus `n` (RANGE; `n` may be an INTERVAL).
        case preceding(SQLExpression)
        case currentRow
        /// `n FOLLOWING`.
        case following(SQLExpression)
        case unboundedFollowing
    }

    /// Rows a frame's `EXCLUDE` leaves out.
    public enum Exclusion: String, Hashable, Sendable {
        /// The current row.
        case currentRow = "CURRENT ROW"
        /// The current row and its peers.
        case group = "GROUP"
        /// The current row's peers, but not the row itself.
        case ties = "TIES"
        /// Nothing (the default, written out).
        case noOthers = "NO OTHERS"
    }

    public var unit: Unit
    public var start: Bound
    public var end: Bound
    /// `EXCLUDE …` after the bounds; nil when not written.
    public var exclusion: Exclusion?

    public init(unit: Unit, start: Bound, end: Bound = .currentRow, exclusion: Exclusion? = nil) {
        self.unit = unit
        self.start = start
        self.end = end
        self.exclusion = exclusion
    }
}

/// `name AS (specification)` in a query's `WINDOW` clause.
public struct NamedWindow: Hashable, Sendable {
    public var name: Identifier
    public var specification: WindowSpecification

    public init(name: Identifier, specification: WindowSpecification) {
        self.name = name
        self.specification = specification
    }
}

extension WindowSpecification: CustomStringConvertible {
    /// `w`, or `([w] [PARTITION BY …] [ORDER BY …] [frame])`.
    public var description: String {
        if isReference, let base { return base.description }
        var parts: [String] = []
        if let base { parts.append(base.description) }
        if !partitionBy.isEmpty {
            parts.append("PARTITION BY " + partitionBy.map(\.description).joined(separator: ", "))
        }
        if !orderBy.isEmpty { parts.append("ORDER BY " + orderBy.map(\.description).joined(separator: ", ")) }
        if let frame { parts.append(frame.description) }
        return "(" + parts.joined(separator: " ") + ")"
    }
}

extension WindowFrame: CustomStringConvertible {
    /// `ROWS BETWEEN start AND end [EXCLUDE …]`.
    public var description: String {
        "\(unit.rawValue) BETWEEN \(start) AND \(end)" + (exclusion.map { " EXCLUDE \($0.rawValue)" } ?? "")
    }
}

extension WindowFrame.Bound: CustomStringConvertible {
    public var description: String {
        switch self {
        case .unboundedPreceding: "UNBOUNDED PRECEDING"
        case .preceding(let offset): "\(offset) PRECEDING"
        case .currentRow: "CURRENT ROW"
        case .following(let offset): "\(offset) FOLLOWING"
        case .unboundedFollowing: "UNBOUNDED FOLLOWING"
        }
    }
}
