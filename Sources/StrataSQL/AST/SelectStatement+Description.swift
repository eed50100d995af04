extension SelectStatement: CustomStringConvertible {
    /// The query as canonical SQL on one line; parsing it again gives an equal query.
    public var description: String {
        var parts: [String] = []
        if !commonTableExpressions.isEmpty {
            parts.append("WITH " + commonTableExpressions.map { "\($0.name) AS (\($0.query))" }.joined(separator: ", "))
        }
        parts.append((isDistinct ? "SELECT DISTINCT " : "SELECT ") + items.map(\.description).joined(separator: ", "))
        if let from { parts.append("FROM \(from)") }
        if let whereClause { parts.append("WHERE \(whereClause)") }
        if let groupBy { parts.append("GROUP BY \(groupBy)") }
        if let having { parts.append("HAVING \(having)") }
        if !windows.isEmpty {
            parts.append("WINDOW " + windows.map { "\($0.name) AS \($0.specification)" }.joined(separator: ", "))
        }
        if let qualify { parts.append("QUALIFY \(qualify)") }
        for operation in setOperations {
            parts.append(operation.kind.rawValue.uppercased() + (operation.all ? " ALL" : ""))
            parts.append(operation.query.description)
        }
        if !orderBy.isEmpty { parts.append("ORDER BY " + orderBy.map(\.description).joined(separator: ", ")) }
        if let limit { parts.append("LIMIT \(limit)") }
        if let offset { parts.append("OFFSET \(offset)") }
        return parts.joined(separator: " ")
    }
}

extension SelectItem: CustomStringConvertible {
    /// `expression [AS alias]`, `*` or `t.*`.
    public var description: String {
        switch self {
        case .expression(let expression, let alias): alias.map { "\(expression) AS \($0)" } ?? expression.description
        case .wildcard(let qualifier, let excluded, let replacements):
            (qualifier.map { "\($0).*" } ?? "*")
                + (excluded.isEmpty ? "" : " EXCLUDE (\(excluded.map(\.description).joined(separator: ", ")))")
                + (replacements.isEmpty
                    ? ""
                    : " REPLACE (\(replacements.map { "\($0.expression) AS \($0.column)" }.joined(separator: ", ")))")
        }
    }
}

extension TableReference: CustomStringConvertible {
    /// `name [AS alias]`, `(query) [AS alias]` or `function(arguments) [AS alias]`.
    public var description: String {
        let text =
            switch source {
            case .table(let name): (schema + [name]).map(\.description).joined(separator: ".")
            case .subquery(let query): "(\(query))"
            case .function(let call): call.description
            case .join(let join): join.description
            }
        return alias.map { "\(text) AS \($0)" } ?? text
    }
}

extension Join: CustomStringConvertible {
    /// `left KIND JOIN right ON condition` (or `USING (…)`; a cross join has neither).
    public var description: String {
        let natural = condition == .natural ? "NATURAL " : ""
        var text = "\(left) \(natural)\(kind.rawValue.uppercased()) JOIN \(right)"
        switch condition {
        case .natural?: break
        case .on(let condition)?: text += " ON \(condition)"
        case .using(let names)?: text += " USING (" + names.map(\.description).joined(separator: ", ") + ")"
        case nil: break
        }
        return text
    }
}

extension GroupByClause: CustomStringConvertible {
    /// `ALL` or the expressions separated by commas (without the `GROUP BY` keywords).
    public var description: String {
        switch self {
        case .all: "ALL"
        case .expressions(let expressions): expressions.map(\.description).joined(separator: ", ")
        case .groupingSets(let elements): elements.map(\.description).joined(separator: ", ")
        }
    }
}

extension OrderItem: CustomStringConvertible {
    /// `expression [ASC|DESC] [NULLS FIRST|LAST]`.
    public var description: String {
        var text = expression.description
        if let direction { text += " \(direction.rawValue)" }
        if let nulls { text += " \(nulls.rawValue)" }
        return text
    }
}

extension TableFunctionCall: CustomStringConvertible {
    /// `name(positional, …, key = value, …)`.
    public var description: String {
        let arguments = self.arguments.map(\.description) + namedArguments.map { "\($0.name) = \($0.value)" }
        return "\(name)(\(arguments.joined(separator: ", ")))"
    }
}
