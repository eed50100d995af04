import StrataCore

/// The batch kernels of ``MathFunction``: one loop over the argument's doubles per function.
extension VectorKernels {
    static func math(_ function: MathFunction, _ args: [Vector], type: SQLValueType) -> Vector? {
        guard let first = args.first else { return nil }
        let n = first.count
        if function == .trunc, case .decimal(let p, let s) = type {
            // Exact, on the DECIMAL's units.
            return Vector.from(
                (0..<n).map { i in
                    guard case .decimal(let d) = first.value(at: i) else { return .null }
                    return SQLEvaluation.roundDecimal(d, digits: 0, function: .math(.trunc), precision: p, scale: s)
                }, type: type)
        }
        guard let x = first.doubleBuffer() else { return nil }
        var mask: Bitset?
        for arg in args { mask = both(mask, arg.nullMask()) }
        let storage: Vector.Storage
        switch function {
        case .sign: storage = .int64(x.map { $0 > 0 ? 1 : $0 < 0 ? -1 : 0 })
        case .isnan: storage = .bool(x.map(\.isNaN))
        case .isinf: storage = .bool(x.map(\.isInfinite))
        case .isfinite: storage = .bool(x.map(\.isFinite))
        case .logBase, .atan2:
            guard args.count == 2, let y = args[1].doubleBuffer() else { return nil }
            storage = .double((0..<n).map { i in MathFunction.binary(function, x[i], y[i]) })
        default:
            storage = .double(x.map { MathFunction.unary(function, $0) })
        }
        return Vector(type: function.resultType, storage: storage, validity: mask, count: n)
    }
}
