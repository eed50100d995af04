import StrataSQL
import Testing

/// Random expression trees printed to SQL and parsed back: checks that ``SQLExpression/description``
/// puts every parenthesis precedence needs, quotes every name that needs it, and that the parser reads
/// the canonical text back to the same tree.
@Suite("Generated expression round trip")
struct GeneratedRoundTripTests {
    @Test("print then parse gives the same tree", arguments: [1, 2, 3, 4])
    func roundTrip(seed: UInt64) throws {
        var generator = ExpressionGenerator(seed: seed)
        for _ in 0..<500 {
            let tree = generator.expression(depth: 4)
            let text = tree.description
            let parsed: SQLExpression
            do {
                parsed = try SQLParser.parseExpression(text)
            } catch {
                Issue.record("\(text) does not parse: \(error)")
                return
            }
            #expect(parsed == tree, "printed as \(text), parsed back as \(parsed)")
            #expect(parsed.description == text)
        }
    }
}

/// Builds random expressions in the parser's normal form (a minus before a number is part of the literal).
struct ExpressionGenerator {
    private var state: UInt64

    init(seed: UInt64) {
        state = seed &* 0x9E37_79B9_7F4A_7C15
    }

    /// SplitMix64.
    private mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }

    private mutating func below(_ bound: Int) -> Int { Int(next() % UInt64(bound)) }

    private mutating func pick<T>(_ choices: [T]) -> T { choices[below(choices.count)] }

    private mutating func chance(_ percent: Int) -> Bool { below(100) < percent }

    mutating func expression(depth: Int) -> SQLExpression {
        if depth == 0 || chance(25) { return leaf() }
        let child = depth - 1
        let kind: SQLExpression.Kind
        switch below(11) {
        case 0:
            var operand = expression(depth: child)
            if case .literal(.integer(let value)) = operand.kind, value >= 0 { operand = column() }
            if case .literal(.decimal(let text)) = operand.kind, !text.hasPrefix("-") { operand = column() }
            kind = .unary(pick([.not, .negate]), operand)
        case 1, 2, 3:
            kind = .binary(pick(BinaryOperator.allCases), expression(depth: child), expression(depth: child))
        case 4:
            kind = .isNull(expression(depth: child), negated: chance(50))
        case 5:
            let list = (0...below(3)).map { _ in expression(depth: child) }
            kind = .inList(expression(depth: child), list, negated: chance(50))
        case 6:
            kind = .between(
                expression(depth: child), low: expression(depth: child), high: expression(depth: child),
                negated: chance(50))
        case 7:
            kind = .like(
                expression(depth: child), pattern: expression(depth: child), negated: chance(50),
                caseInsensitive: chance(50))
        case 8:
            let branches = (0...below(2)).map { _ in
                CaseExpression.Branch(when: expression(depth: child), then: expression(depth: child))
            }
            kind = .caseWhen(
                CaseExpression(
                    operand: chance(50) ? expression(depth: child) : nil, branches: branches,
                    elseResult: chance(50) ? expression(depth: child) : nil))
        case 9:
            kind = .cast(expression(depth: child), pick(SQLType.allCases))
        default:
            kind = .function(functionCall(depth: child))
        }
        return SQLExpression(kind)
    }

    private mutating func functionCall(depth: Int) -> FunctionCall {
        let name = Identifier(pick(["count", "sum", "date_trunc", "Quantile_Cont", "left", "date", "f"]))
        let filter = chance(30) ? expression(depth: depth) : nil
        if chance(20) { return FunctionCall(name: name, isStar: true, filter: filter) }
        let arguments = (0..<below(3)).map { _ in expression(depth: depth) }
        return FunctionCall(
            name: name, arguments: arguments, isDistinct: !arguments.isEmpty && chance(30), filter: filter)
    }

    private mutating func column() -> SQLExpression {
        let name = pick(["a", "user_id", "UserId", "Revenue EUR", "order", "date", "interval", "we\"ird", "größe"])
        let table = chance(30) ? Identifier(pick(["e", "Events", "select"])) : nil
        return SQLExpression(.column(ColumnReference(table: table, column: Identifier(name))))
    }

    private mutating func leaf() -> SQLExpression {
        let literal: Literal
        switch below(9) {
        case 0, 1, 2: return column()
        case 3: literal = .integer(pick([0, 7, -3, 42, .max, .min]))
        case 4: literal = .decimal(pick(["0.5", "-2.25", "1e-3", ".5", "99999999999999999999"]))
        case 5: literal = .string(pick(["", "x", "it's", "5.%", "a\nb"]))
        case 6: literal = pick([.null, .boolean(true), .boolean(false)])
        case 7: literal = .typed(pick([.date, .timestamp]), "2026-10-01")
        default: literal = .interval(pick(["5 minutes", "1", "-2"]), pick([nil, .day, .hour, .second]))
        }
        return SQLExpression(.literal(literal))
    }
}
