import StrataCore
import StrataExecution
import StrataTestSupport
import Testing

@testable import Strata

/// A native `Filter` bound as a SQL predicate must keep the rows the filter keeps: generated filters over
/// every column type, evaluated on generated rows both ways — the reference evaluator's `ReferenceFilter` (the native API's
/// row semantics, written apart from the engine) against the bound expression's evaluation.
@Suite("Filter binding")
struct FilterBindingTests {
    static let spec = TableSpec(
        name: "t",
        dimensions: [
            DimensionSpec(name: "s", type: .string), DimensionSpec(name: "b", type: .bool),
        ],
        metrics: [
            MetricSpec(name: "i", type: .int64), MetricSpec(name: "d", type: .double),
            MetricSpec(name: "m", type: .decimal(precision: 10, scale: 2)),
        ])

    struct Generator {
        var state: UInt64
        mutating func next(_ n: Int) -> Int {
            state = state &* 6_364_136_223_846_793_005 &+ 1_442_695_040_888_963_407
            return Int((state >> 33) % UInt64(n))
        }
    }

    static func row(_ g: inout Generator) -> [String: Value] {
        func maybe(_ v: Value) -> Value { g.next(6) == 0 ? .null : v }
        return [
            "ts": .timestamp(1_700_000_000_000 + Int64(g.next(5)) * 1000),
            "s": maybe(.string(["a", "b", "ab", "B", ""][g.next(5)])),
            "b": maybe(.bool(g.next(2) == 0)),
            "i": maybe(.int64(Int64(g.next(7)) - 3)),
            "d": maybe(.double(Double(g.next(9)) / 2 - 2)),
            "m": maybe(.decimal(DecimalValue(unscaled: Int128(g.next(11)) * 25 - 100, precision: 10, scale: 2))),
        ]
    }

    static func literal(_ column: String, _ g: inout Generator) -> Value {
        if g.next(10) == 0 { return .null }
        switch column {
        case "ts":
            let ms = 1_700_000_000_000 + Int64(g.next(5)) * 1000
            return g.next(2) == 0 ? .int64(ms) : .string(Timestamp.format(milliseconds: ms))
        case "s": return .string(["a", "b", "ab", "c"][g.next(4)])
        case "b": return .bool(g.next(2) == 0)
        case "i": return g.next(3) == 0 ? .double(Double(g.next(7)) - 3.5) : .int64(Int64(g.next(7)) - 3)
        case "d": return g.next(2) == 0 ? .int64(Int64(g.next(5)) - 2) : .double(Double(g.next(9)) / 2 - 2)
        default:
            // Decimal literals: integers, exact decimals and short doubles.
            switch g.next(3) {
            case 0: return .int64(Int64(g.next(5)) - 2)
            case 1: return .double(Double(g.next(17)) / 4 - 2)
            default: return .decimal(DecimalValue(unscaled: Int128(g.next(21)) * 125 - 1250, precision: 9, scale: 3))
            }
        }
    }

    static func filter(_ g: inout Generator, depth: Int) -> Filter {
        let columns = ["ts", "s", "b", "i", "d", "m"]
        if depth > 0, g.next(3) == 0 {
            switch g.next(3) {
            case 0: return .and((0..<g.next(3)).map { _ in filter(&g, depth: depth - 1) })
            case 1: return .or((0..<g.next(3)).map { _ in filter(&g, depth: depth - 1) })
            default: return .not(filter(&g, depth: depth - 1))
            }
        }
        let column = columns[g.next(columns.count)]
        switch g.next(5) {
        case 0: return .in(column, (0..<g.next(4)).map { _ in literal(column, &g) })
        case 1: return .isNull(column)
        case 2 where column == "s": return .like("s", ["a%", "_", "%b", ""][g.next(4)])
        default:
            let ops: [ComparisonOperator] = [
                .equal, .notEqual, .lessThan, .lessThanOrEqual, .greaterThan, .greaterThanOrEqual,
            ]
            return .compare(column, ops[g.next(ops.count)], literal(column, &g))
        }
    }

    /// The native filter's answer, with decimals compared exactly as the native API always has (a double
    /// literal by its shortest text).
    static func expected(_ filter: Filter, _ row: [String: Value]) -> Bool? {
        ReferenceFilter.evaluate(coerced(filter)) { name in
            guard let value = row[name] else { return .null }
            if case .decimal(let d) = value { return .double(d.doubleValue) }
            return value
        }
    }

    /// The filter with time literals as instants, as the native binder coerced them (text or epoch ms).
    static func coerced(_ filter: Filter) -> Filter {
        func instant(_ v: Value) -> Value {
            switch v {
            case .int64(let ms): return .timestamp(ms)
            case .string(let text):
                guard case .success(let ms) = Timestamp.parse(text) else { return v }
                return .timestamp(ms)
            default: return v
            }
        }
        switch filter {
        case .compare("ts", let op, let v): return .compare("ts", op, instant(v))
        case .in("ts", let list): return .in("ts", list.map(instant))
        case .and(let parts): return .and(parts.map(coerced))
        case .or(let parts): return .or(parts.map(coerced))
        case .not(let inner): return .not(coerced(inner))
        default: return filter
        }
    }

    @Test("generated filters keep the rows the native filter keeps", arguments: 0..<4)
    func generated(seed: Int) throws {
        var g = Generator(state: UInt64(seed) &* 0x9E37_79B9_7F4A_7C15 &+ 1)
        let names = Self.spec.storedColumns.map(\.name)
        let rows = (0..<40).map { _ in Self.row(&g) }
        for _ in 0..<300 {
            let filter = Self.filter(&g, depth: 2)
            let bound = try filter.bound(in: Self.spec)
            for row in rows {
                let values = names.map { row[$0] ?? .null }
                let got: Bool? =
                    switch try bound.evaluate(values) {
                    case .bool(let b): b
                    default: nil
                    }
                #expect(got == Self.expected(filter, row), "\(filter) on \(row)")
            }
        }
    }

    @Test("bad filters name the column and the problem")
    func errors() {
        func failure(_ filter: Filter) -> StrataError? {
            #expect(throws: StrataError.self) { try filter.bound(in: Self.spec) }
        }
        let unknown = failure(.equals("sx", "x"))
        #expect(unknown?.code == .binding)
        #expect(unknown?.message.contains("did you mean 's'") == true)
        #expect(failure(.like("i", "a%"))?.code == .type)
        let decimal = failure(.equals("m", "ten"))
        #expect(decimal?.code == .type)
        #expect(decimal?.message.contains("decimal(10,2)") == true)
        #expect(failure(.equals("ts", "yesterday"))?.code == .type)
        #expect(failure(.equals("i", "3"))?.code == .type)
    }

    @Test("a decimal column compares exactly with a finer literal")
    func decimals() throws {
        let row: [Value] = [
            .timestamp(0), .string("a"), .bool(true), .int64(1), .double(1),
            .decimal(DecimalValue(unscaled: 1000, precision: 10, scale: 2)),
        ]
        let cases: [(Filter, Bool)] = [
            (.compare("m", .equal, .double(10.005)), false),
            (.compare("m", .lessThan, .double(10.005)), true),
            (.compare("m", .equal, .string("10.000")), true),
            (.compare("m", .greaterThan, .int64(9)), true),
            (.in("m", [.double(10), .null]), true),
            (.in("m", [.double(10.001)]), false),
        ]
        for (filter, want) in cases {
            #expect(try filter.bound(in: Self.spec).evaluate(row) == .bool(want), "\(filter)")
        }
    }
}
