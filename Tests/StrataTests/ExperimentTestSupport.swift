import Strata
import StrataCore
import StrataTestSupport

/// Small experiment tables built by hand or at random, and a row-at-a-time reference of the analysis.
enum ExperimentFixture {
    static let day: Int64 = 86_400_000
    static let hour: Int64 = 3_600_000
    static let start = Int64(CivilDate.days(year: 2026, month: 10, day: 1)) * Timestamp.millisecondsPerDay

    static func spec(eventIndexed: Bool = true, tableUnits: Bool = false) -> TableSpec {
        TableSpec(
            name: "events", timestamp: TimestampSpec(column: "ts"),
            dimensions: [
                DimensionSpec(
                    name: "user_id", type: .string, bitmapIndex: false, dictionary: tableUnits ? .table : nil),
                DimensionSpec(name: "event", type: .string, bitmapIndex: eventIndexed),
                DimensionSpec(name: "experiment", type: .string),
                DimensionSpec(name: "variant", type: .string),
                DimensionSpec(name: "platform", type: .string),
            ],
            metrics: [MetricSpec(name: "revenue", type: .double), MetricSpec(name: "latency_ms", type: .int64)],
            segmentGranularity: .day)
    }

    /// One row: milliseconds after `start`, user, event, variant (experiment `exp`), revenue.
    struct Row {
        var t: Int64
        var user: String
        var event: String
        var variant: String = "control"
        var experiment: String = "exp"
        var revenue: Double? = 0
        var platform: String? = "ios"
        var latency: Int64 = 100
    }

    static func batch(_ rows: [Row]) -> ColumnBatch {
        ColumnBatch([
            "ts": .timestamp(rows.map { start + $0.t }), "user_id": .string(rows.map(\.user)),
            "event": .string(rows.map(\.event)), "experiment": .string(rows.map(\.experiment)),
            "variant": .string(rows.map(\.variant)), "platform": .string(rows.map(\.platform)),
            "revenue": .double(rows.map(\.revenue)), "latency_ms": .int64(rows.map { $0.latency }),
        ])
    }

    /// A table holding `rows`, in blocks of `blockRows` rows.
    static func table(
        _ rows: [Row], blockRows: Int = 64, eventIndexed: Bool = true, tableUnits: Bool = false
    ) throws -> Table {
        var options = Database.Options()
        options.blockRowCount = blockRows
        let db = Database.inMemory(options: options)
        let table = try db.createTable(spec(eventIndexed: eventIndexed, tableUnits: tableUnits))
        try table.append(batch(rows))
        return table
    }

    /// Random rows: users in one or (rarely) two variants, exposures spread over days, purchases with
    /// revenue (some NULL), other events, rows of a second experiment.
    static func randomRows(seed: UInt64, users: Int = 150, days: Int = 4) -> [Row] {
        var rng = SplitMix64(seed: seed)
        var rows: [Row] = []
        let platforms: [String?] = ["ios", "android", "web", nil]
        for u in 0..<users {
            let user = "u\(u)"
            let variant = Bool.random(using: &rng) ? "control" : "treatment"
            let platform = platforms[Int.random(in: 0..<platforms.count, using: &rng)]
            let span = Int64(days) * day
            for _ in 0..<Int.random(in: 1...3, using: &rng) {
                let switched = Int.random(in: 0..<25, using: &rng) == 0
                rows.append(
                    Row(
                        t: Int64.random(in: 0..<span, using: &rng), user: user, event: "exposure",
                        variant: switched ? (variant == "control" ? "treatment" : "control") : variant,
                        platform: platform))
            }
            if Int.random(in: 0..<4, using: &rng) == 0 {
                rows.append(
                    Row(
                        t: Int64.random(in: 0..<span, using: &rng), user: user, event: "exposure",
                        variant: "control", experiment: "other", platform: platform))
            }
            for _ in 0..<Int.random(in: 0...12, using: &rng) {
                let event = ["purchase", "view", "view", "click"][Int.random(in: 0..<4, using: &rng)]
                var revenue: Double? = 0
                if event == "purchase" {
                    revenue =
                        Int.random(in: 0..<8, using: &rng) == 0
                        ? nil : Double(Int.random(in: 100...9_000, using: &rng)) / 100
                }
                rows.append(
                    Row(
                        t: Int64.random(in: 0..<span, using: &rng), user: user, event: event, variant: variant,
                        experiment: Bool.random(using: &rng) ? "exp" : "other", revenue: revenue, platform: platform,
                        latency: Int64.random(in: 10...500, using: &rng)))
            }
        }
        return rows
    }
}

/// Per-variant sums computed the slow, obvious way from `table.scan()`.
struct ReferenceSums: Equatable {
    var n = 0
    var y = 0.0
    var yy = 0.0
    var z = 0.0
    var zz = 0.0
    var yz = 0.0
    var x = 0.0
    var xx = 0.0
    var xy = 0.0
}

enum ExperimentReference {
    /// metric name → variant → sums, for count, sum, binomial and ratio metrics (overall section).
    static func sums(_ table: Table, _ analysis: ExperimentAnalysis) throws -> [String: [String: ReferenceSums]] {
        let result = try table.scan()
        let names = result.columns
        let range = analysis.timeRange ?? Int64.min..<Int64.max
        func value(_ row: [Value], _ name: String) -> Value? { names.firstIndex(of: name).map { row[$0] } }
        func time(_ row: [Value]) -> Int64 {
            if case .timestamp(let t)? = value(row, "ts") { return t }
            return 0
        }
        let rows = result.rows.filter { range.contains(time($0)) }
        let e = analysis.exposure
        var first: [String: (Int64, String)] = [:]
        var variants: [String: Set<String>] = [:]
        for row in rows {
            guard case .string(let experiment)? = value(row, e.experimentColumn), experiment == analysis.experiment,
                e.filter.map({ ReferenceFilter.evaluate($0, { value(row, $0) ?? .null }) == true }) ?? true,
                case .string(let unit)? = value(row, e.unitColumn),
                case .string(let variant)? = value(row, e.variantColumn)
            else { continue }
            variants[unit, default: []].insert(variant)
            if first[unit] == nil || time(row) < first[unit]!.0 { first[unit] = (time(row), variant) }
        }
        let units = first.filter { variants[$0.key]!.count == 1 }
        var out: [String: [String: ReferenceSums]] = [:]
        for metric in analysis.metrics {
            let window = metric.window ?? analysis.window
            let upper = window.duration.map { window.delay + $0 } ?? Int64.max
            func perUnit(_ filter: Filter?, _ column: String?, pre: Bool) -> [String: Double] {
                var totals: [String: Double] = [:]
                for row in rows {
                    guard case .string(let unit)? = value(row, e.unitColumn), let (t0, _) = units[unit],
                        filter.map({ ReferenceFilter.evaluate($0, { value(row, $0) ?? .null }) == true }) ?? true
                    else { continue }
                    var v = 1.0
                    if let column {
                        switch value(row, column) {
                        case .double(let d)?: v = d
                        case .int64(let i)?: v = Double(i)
                        case .decimal(let d)?: v = d.doubleValue
                        default: continue
                        }
                    }
                    let offset = time(row) - t0
                    let inside =
                        pre
                        ? offset < 0 && offset >= -(metric.cupedLookback ?? 0)
                        : offset >= window.delay && offset < upper
                    if inside { totals[unit, default: 0] += v }
                }
                return totals
            }
            var y: [String: Double]
            var z: [String: Double]?
            var x: [String: Double]?
            switch metric.kind {
            case .count(let f), .binomial(let f):
                y = perUnit(f, nil, pre: false)
                if metric.cupedLookback != nil { x = perUnit(f, nil, pre: true) }
            case .sum(let c, let f):
                y = perUnit(f, c, pre: false)
                if metric.cupedLookback != nil { x = perUnit(f, c, pre: true) }
            case .ratio(let a, let b):
                func parts(_ g: ExperimentMetric.Aggregate) -> (Filter?, String?) {
                    switch g {
                    case .count(let f): (f, nil)
                    case .sum(let c, let f): (f, c)
                    }
                }
                y = perUnit(parts(a).0, parts(a).1, pre: false)
                z = perUnit(parts(b).0, parts(b).1, pre: false)
            case .quantile: continue
            }
            var yv = units.keys.map { ($0, y[$0] ?? 0) }
            var xv = x.map { x in units.keys.map { x[$0] ?? 0 } }
            var zv = z.map { z in units.keys.map { z[$0] ?? 0 } }
            if case .binomial = metric.kind {
                yv = yv.map { ($0.0, $0.1 > 0 ? 1 : 0) }
                xv = xv?.map { $0 > 0 ? 1 : 0 }
            }
            switch metric.capping {
            case .absolute(let c)?:
                yv = yv.map { ($0.0, min($0.1, c)) }
                xv = xv?.map { min($0, c) }
            case .percentile(let p)?:
                let c = quantile(yv.map(\.1), p)
                yv = yv.map { ($0.0, min($0.1, c)) }
                xv = xv?.map { min($0, c) }
                if let z = zv {
                    let cz = quantile(z, p)
                    zv = z.map { min($0, cz) }
                }
            case nil: break
            }
            var sums: [String: ReferenceSums] = [:]
            for (i, (unit, yu)) in yv.enumerated() {
                let variant = units[unit]!.1
                var s = sums[variant] ?? ReferenceSums()
                s.n += 1
                s.y += yu
                s.yy += yu * yu
                if let zv {
                    s.z += zv[i]
                    s.zz += zv[i] * zv[i]
                    s.yz += yu * zv[i]
                }
                if let xv {
                    s.x += xv[i]
                    s.xx += xv[i] * xv[i]
                    s.xy += xv[i] * yu
                }
                sums[variant] = s
            }
            out[metric.name] = sums
        }
        return out
    }

    static func quantile(_ values: [Double], _ p: Double) -> Double {
        let s = values.sorted()
        guard !s.isEmpty else { return 0 }
        let h = Double(s.count - 1) * p
        let lo = Int(h.rounded(.down))
        let hi = min(lo + 1, s.count - 1)
        return s[lo] + (h - Double(lo)) * (s[hi] - s[lo])
    }

    /// The engine's sums of a metric's variant in the reference's shape.
    static func sums(of v: VariantStatistics) -> ReferenceSums {
        ReferenceSums(
            n: v.units, y: v.sum, yy: v.sumSquares, z: v.ratio?.denominatorSum ?? 0,
            zz: v.ratio?.denominatorSumSquares ?? 0, yz: v.ratio?.sumProducts ?? 0, x: v.covariate?.sum ?? 0,
            xx: v.covariate?.sumSquares ?? 0, xy: v.covariate?.sumProducts ?? 0)
    }

    /// Whether two sums agree to relative 1e-9.
    static func close(_ a: ReferenceSums, _ b: ReferenceSums) -> Bool {
        func near(_ x: Double, _ y: Double) -> Bool { abs(x - y) <= 1e-9 * max(1, abs(x), abs(y)) }
        return a.n == b.n && near(a.y, b.y) && near(a.yy, b.yy) && near(a.z, b.z) && near(a.zz, b.zz)
            && near(a.yz, b.yz) && near(a.x, b.x) && near(a.xx, b.xx) && near(a.xy, b.xy)
    }
}
