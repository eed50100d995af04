import StrataCore
import StrataExecution
import StrataSQL

extension ExpressionBinder {
    /// The numeric function names ``bindMathFunction(_:name:at:child:)`` knows (for "did you mean").
    static let mathFunctionNames = MathFunction.allCases.map(\.rawValue) + ["pi", "mod", "random"]

    /// Binds a call of a numeric function (``MathFunction``, `pi()`, `mod(a, b)`); `nil` when `name` is not one.
    func bindMathFunction(_ call: FunctionCall, name: String, at expression: SQLExpression, child: Child)
        throws(StrataError) -> BoundExpression?
    {
        switch name {
        case "pi":
            try argumentCount(call, 0...0, at: expression)
            return .constant(.double(Double.pi), .double)
        case "random":
            // One seed per statement; RandomDraws gives each row its own draw.
            try argumentCount(call, 0...0, at: expression)
            return .function(.random(seed: RandomDraws.mix(UInt64(bitPattern: statementTime))), [], .double)
        case "mod":
            try argumentCount(call, 2...2, at: expression)
            let (a, b) = (try child(call.arguments[0]), try child(call.arguments[1]))
            return try bindArithmetic(.modulo, a, b, call.arguments[0], call.arguments[1], at: expression)
        default:
            break
        }
        guard var function = MathFunction(rawValue: name) else { return nil }
        // `log(x)` is the base-10 logarithm; `log(b, x)` takes a base.
        if function == .logBase {
            try argumentCount(call, 1...2, at: expression)
            if call.arguments.count == 1 { function = .log10 }
        } else {
            try argumentCount(call, function.argumentCount...function.argumentCount, at: expression)
        }
        var args: [BoundExpression] = []
        for (i, argument) in call.arguments.enumerated() {
            let x = try child(argument)
            guard x.type.isNumeric || x.type == .null else {
                throw error(.type, "\(name)() needs a number, not \(x.type)", at: call.arguments[i])
            }
            args.append(x)
        }
        if function == .trunc {
            // DuckDB keeps an integer as it is and truncates a DECIMAL exactly, to scale 0.
            if args[0].type.isInteger { return args[0] }
            if case .decimal(let p, _) = args[0].type {
                return .function(.math(.trunc), args, .decimal(precision: p, scale: 0))
            }
        }
        args = args.map { x in
            x.type == .double ? x : x.constantValue == .null ? .constant(.null, .double) : .cast(x, .double)
        }
        return .function(.math(function), args, function.resultType)
    }
}
