import StrataCore

/// The batch kernels of ``CalendarFunction``: one loop over the arguments' typed buffers (timestamps and
/// dates as milliseconds, numbers as BIGINT or DOUBLE, text as strings).
extension VectorKernels {
    static func calendar(_ function: CalendarFunction, _ args: [Vector]) throws(StrataError) -> Vector? {
        guard let first = args.first else { return nil }
        let n = first.count
        var mask: Bitset?
        for arg in args { mask = both(mask, arg.nullMask()) }
        func each<T, E: Error>(_ empty: T, _ rule: (Int) throws(E) -> T) throws(E) -> [T] {
            var out = [T](repeating: empty, count: n)
            for i in 0..<n where mask?[i] ?? true { out[i] = try rule(i) }
            return out
        }
        let storage: Vector.Storage
        switch function {
        case .dayName, .monthName, .lastDay, .strftime:
            guard let ms = first.int64Buffer() else { return nil }
            switch function {
            case .dayName: storage = .string(each("") { i in CalendarFunction.dayName(ms[i]) })
            case .monthName: storage = .string(each("") { i in CalendarFunction.monthName(ms[i]) })
            case .strftime(let format): storage = .string(each("") { i in format.format(ms[i]) })
            default: storage = .int64(each(0) { i in CalendarFunction.lastDay(ms[i]) })
            }
        case .dateDiff(let unit), .dateSub(let unit):
            guard args.count == 2, let a = first.int64Buffer(), let b = args[1].int64Buffer() else { return nil }
            let isDiff = if case .dateDiff = function { true } else { false }
            storage = .int64(
                each(0) { i in
                    isDiff ? CalendarFunction.dateDiff(unit, a[i], b[i]) : CalendarFunction.dateSub(unit, a[i], b[i])
                })
        case .strptime(let format, let nullOnFailure):
            guard let text = first.stringBuffer() else { return nil }
            var out = [Int64](repeating: 0, count: n)
            var valid = mask ?? Bitset(count: n, value: true)
            for i in 0..<n where valid[i] {
                switch format.parse(text[i]) {
                case .success(let ms): out[i] = ms
                case .failure(let error):
                    guard nullOnFailure else { throw error }
                    valid[i] = false
                }
            }
            return Vector(type: .timestamp, storage: .int64(out), validity: valid, count: n)
        case .makeDate:
            guard args.count == 3, let y = first.int64Buffer(), let m = args[1].int64Buffer(),
                let d = args[2].int64Buffer()
            else { return nil }
            storage = .int64(try each(0) { i throws(StrataError) in try CalendarFunction.makeDate(y[i], m[i], d[i]) })
        case .makeTimestamp:
            if args.count == 1 {
                // Epoch microseconds.
                guard let micros = first.int64Buffer() else { return nil }
                storage = .int64(
                    try each(0) { i throws(StrataError) in
                        try SQLEvaluation.checkedTimestamp(Timestamp.floorDiv(micros[i], 1000))
                    })
            } else {
                var fields: [[Int64]] = []
                for arg in args.prefix(5) {
                    guard let v = arg.int64Buffer() else { return nil }
                    fields.append(v)
                }
                guard args.count == 6, let seconds = args[5].doubleBuffer() else { return nil }
                storage = .int64(
                    try each(0) { i throws(StrataError) in
                        try CalendarFunction.makeTimestamp(fields.map { $0[i] }, seconds: seconds[i])
                    })
            }
        case .toTimestamp:
            guard let seconds = first.doubleBuffer() else { return nil }
            storage = .int64(try each(0) { i throws(StrataError) in try CalendarFunction.toTimestamp(seconds[i]) })
        }
        return Vector(type: function.resultType, storage: storage, validity: mask, count: n)
    }
}
