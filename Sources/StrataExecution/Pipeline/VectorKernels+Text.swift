import StrataCore

/// The batch kernels of the string and regular-expression functions: each reads its arguments' typed
/// buffers (the binder has cast them to VARCHAR and BIGINT) and runs the function's rule once per row that
/// holds a value. A function of one dictionary column runs once per dictionary entry instead
/// (``VectorExpression``), so `regexp_extract(url, …)` over a segment costs one match per distinct URL.
extension VectorKernels {
    static func text(_ function: TextFunction, _ args: [Vector]) throws(StrataError) -> Vector? {
        guard let first = args.first else { return nil }
        let n = first.count
        var mask: Bitset?
        if function.propagatesNull {
            for arg in args { mask = both(mask, arg.nullMask()) }
        }
        var strings: [[String]] = []
        var integers: [[Int64]] = []
        for arg in args {
            switch arg.type {
            case .varchar, .null:
                guard let v = arg.stringBuffer() else { return nil }
                strings.append(v)
                integers.append([])
            case .bigint:
                guard let v = arg.int64Buffer() else { return nil }
                strings.append([])
                integers.append(v)
            default:
                return nil
            }
        }
        let s = strings.first ?? []
        func text(_ rule: (Int) throws(StrataError) -> String) throws(StrataError) -> Vector {
            Vector(type: .varchar, storage: .string(try rows(n, mask, empty: "", rule)), validity: mask, count: n)
        }
        func number(_ rule: (Int) -> Int64) -> Vector {
            Vector(type: .bigint, storage: .int64(rows(n, mask, empty: 0, rule)), validity: mask, count: n)
        }
        func truth(_ rule: (Int) -> Bool) -> Vector {
            Vector(type: .boolean, storage: .bool(rows(n, mask, empty: false, rule)), validity: mask, count: n)
        }
        switch function {
        case .left: return try text { i in TextFunction.left(s[i], integers[1][i]) }
        case .right: return try text { i in TextFunction.right(s[i], integers[1][i]) }
        case .concatenate: return try text { i in s[i] + strings[1][i] }
        case .concat:
            let masks = args.map { $0.nullMask() }
            return try text { i in
                var out = ""
                for k in args.indices where masks[k]?[i] ?? true { out += strings[k][i] }
                return out
            }
        case .concatWithSeparator:
            // A NULL separator makes the row NULL; NULL values are left out, with their separators.
            mask = args[0].nullMask()
            let masks = args.map { $0.nullMask() }
            return try text { i in
                var out = ""
                var any = false
                for k in 1..<args.count where masks[k]?[i] ?? true {
                    if any { out += s[i] }
                    out += strings[k][i]
                    any = true
                }
                return out
            }
        case .splitPart: return try text { i in TextFunction.splitPart(s[i], strings[1][i], integers[2][i]) }
        case .replace: return try text { i in TextFunction.replace(s[i], strings[1][i], strings[2][i]) }
        case .trim, .ltrim, .rtrim:
            return try text { i in
                TextFunction.trim(
                    s[i], args.count > 1 ? strings[1][i] : nil, leading: function != .rtrim,
                    trailing: function != .ltrim)
            }
        case .lpad, .rpad:
            return try text { i throws(StrataError) in
                try TextFunction.pad(s[i], integers[1][i], strings[2][i], left: function == .lpad)
            }
        case .strpos: return number { i in TextFunction.strpos(s[i], strings[1][i]) }
        case .startsWith: return truth { i in TextFunction.startsWith(s[i], strings[1][i]) }
        case .endsWith: return truth { i in TextFunction.endsWith(s[i], strings[1][i]) }
        case .contains: return truth { i in TextFunction.contains(s[i], strings[1][i]) }
        case .reverse: return try text { i in TextFunction.reverse(s[i]) }
        case .repeat: return try text { i throws(StrataError) in try TextFunction.repeated(s[i], integers[1][i]) }
        case .md5: return try text { i in MD5Digest.hex(s[i]) }
        case .ascii: return number { i in TextFunction.ascii(s[i]) }
        case .chr: return try text { i throws(StrataError) in try TextFunction.chr(integers[0][i]) }
        case .strlen: return number { i in Int64(s[i].utf8.count) }
        case .bitLength: return number { i in Int64(s[i].utf8.count) * 8 }
        case .unicode: return number { i in TextFunction.unicode(s[i]) }
        case .translate: return try text { i in TextFunction.translate(s[i], strings[1][i], strings[2][i]) }
        }
    }

    /// `regexp_*` over the strings of `args[0]`; `args[1]` is `regexp_replace`'s replacement.
    static func regex(_ function: RegexFunction, _ pattern: RegexPattern, _ args: [Vector]) throws(StrataError)
        -> Vector?
    {
        guard let first = args.first, let s = first.stringBuffer() else { return nil }
        let n = first.count
        var mask: Bitset?
        for arg in args { mask = both(mask, arg.nullMask()) }
        let groupCount = pattern.groupCount
        let pattern = try pattern.matcher()
        let out: Vector.Storage
        switch function {
        case .matches: out = .bool(rows(n, mask, empty: false) { i in pattern.matches(s[i]) })
        case .fullMatch: out = .bool(rows(n, mask, empty: false) { i in pattern.fullyMatches(s[i]) })
        case .extract(let group): out = .string(rows(n, mask, empty: "") { i in pattern.extract(s[i], group: group) })
        case .replace:
            guard args.count == 2, let replacements = args[1].stringBuffer() else { return nil }
            // A constant replacement (the usual case) is parsed once.
            var constant: RegexPattern.Rewrite?
            if case .constant(.string(let text)) = args[1].storage {
                constant = try RegexPattern.Rewrite(text, groupCount: groupCount)
            }
            out = .string(
                try rows(n, mask, empty: "") { i throws(StrataError) in
                    if let constant { return pattern.replace(s[i], with: constant) }
                    let rewrite = try RegexPattern.Rewrite(replacements[i], groupCount: groupCount)
                    return pattern.replace(s[i], with: rewrite)
                })
        }
        return Vector(type: function.resultType, storage: out, validity: mask, count: n)
    }

    /// `rule(i)` for every row `mask` holds (`empty` at NULL rows).
    private static func rows<T, E: Error>(_ n: Int, _ mask: Bitset?, empty: T, _ rule: (Int) throws(E) -> T)
        throws(E) -> [T]
    {
        var out = [T](repeating: empty, count: n)
        for i in 0..<n where mask?[i] ?? true { out[i] = try rule(i) }
        return out
    }
}
