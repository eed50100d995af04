import StrataCore
import StrataStorage

/// The running states of one aggregation for every group (struct of arrays, grown as groups appear).
/// Updates take a block's column and the rows that feed it, dispatching on type once per block.
final class Accumulator {
    let function: AggregateFunction
    let type: DataType?
    var counts: [Int64] = []
    var integerSums: [Int128] = []
    var doubleSums: [Double] = []
    var means: [Double] = []
    var m2: [Double] = []
    var extremes: [Value] = []
    var distinct: [Set<UInt64>] = []
    /// String values of count-distinct columns, mapped to stable ids across segments.
    var distinctStrings: [String: UInt64] = [:]

    init(function: AggregateFunction, type: DataType?) {
        self.function = function
        self.type = type
    }

    func grow(to groups: Int) {
        guard counts.count < groups else { return }
        let extra = groups - counts.count
        counts += repeatElement(0, count: extra)
        switch function {
        case .sum, .avg:
            if type == .double {
                doubleSums += repeatElement(0, count: extra)
            } else {
                integerSums += repeatElement(0, count: extra)
            }
        case .varianceSample, .standardDeviationSample:
            means += repeatElement(0, count: extra)
            m2 += repeatElement(0, count: extra)
        case .min, .max:
            extremes += repeatElement(.null, count: extra)
        case .countDistinct:
            distinct += repeatElement([], count: extra)
        case .count:
            break
        }
    }

    /// Feeds rows `rows` (block positions) belonging to `groups` (parallel array) from `data`
    /// (`nil` for `count(*)`).
    func update(rows: [Int32], groups: [Int32], data: ColumnData?) {
        guard let data else {
            for g in groups { counts[Int(g)] &+= 1 }
            return
        }
        let validity = data.validity
        switch (function, data) {
        case (.count, _):
            for (r, g) in zip(rows, groups) where validity?[Int(r)] ?? true { counts[Int(g)] &+= 1 }
        case (.sum, .int64(let v, _)), (.avg, .int64(let v, _)):
            for (r, g) in zip(rows, groups) where validity?[Int(r)] ?? true {
                counts[Int(g)] &+= 1
                integerSums[Int(g)] &+= Int128(v[Int(r)])
            }
        case (.sum, .double(let v, _)), (.avg, .double(let v, _)):
            for (r, g) in zip(rows, groups) where validity?[Int(r)] ?? true {
                counts[Int(g)] &+= 1
                doubleSums[Int(g)] += v[Int(r)]
            }
        case (.varianceSample, _), (.standardDeviationSample, _):
            for (r, g) in zip(rows, groups) where validity?[Int(r)] ?? true {
                let x: Double
                switch data {
                case .int64(let v, _): x = Double(v[Int(r)])
                case .double(let v, _): x = v[Int(r)]
                default: continue
                }
                // Welford's update: numerically stable where Σx² − (Σx)²/n cancels.
                let k = Int(g)
                counts[k] &+= 1
                let delta = x - means[k]
                means[k] += delta / Double(counts[k])
                m2[k] += delta * (x - means[k])
            }
        case (.min, _), (.max, _):
            let wantLess = function == .min
            for (r, g) in zip(rows, groups) where validity?[Int(r)] ?? true {
                let v = data.value(at: Int(r), type: type ?? .int64)
                let k = Int(g)
                if extremes[k].isNull {
                    extremes[k] = v
                } else if let order = ValueOrder.compare(v, extremes[k]), wantLess ? order < 0 : order > 0 {
                    extremes[k] = v
                }
            }
        case (.countDistinct, .string(let dictionary, let codes, _)):
            var ids = [UInt64?](repeating: nil, count: dictionary.count)
            for (r, g) in zip(rows, groups) where validity?[Int(r)] ?? true {
                let code = Int(codes[Int(r)])
                let id: UInt64
                if let known = ids[code] {
                    id = known
                } else {
                    let s = dictionary[code]
                    id = distinctStrings[s] ?? UInt64(distinctStrings.count)
                    distinctStrings[s] = id
                    ids[code] = id
                }
                distinct[Int(g)].insert(id)
            }
        case (.countDistinct, .int64(let v, _)):
            for (r, g) in zip(rows, groups) where validity?[Int(r)] ?? true {
                distinct[Int(g)].insert(UInt64(bitPattern: v[Int(r)]))
            }
        case (.countDistinct, .double(let v, _)):
            for (r, g) in zip(rows, groups) where validity?[Int(r)] ?? true {
                distinct[Int(g)].insert(SegmentPredicate.key(v[Int(r)]))
            }
        case (.countDistinct, .bool(let v, _)):
            for (r, g) in zip(rows, groups) where validity?[Int(r)] ?? true {
                distinct[Int(g)].insert(v[Int(r)] ? 1 : 0)
            }
        default:
            break
        }
    }

    /// The final value of group `g`.
    func result(_ g: Int) -> Value {
        switch function {
        case .count:
            return .int64(counts[g])
        case .sum:
            guard counts[g] > 0 else { return .null }
            if type == .double { return .double(doubleSums[g]) }
            let s = integerSums[g]
            return s >= Int128(Int64.min) && s <= Int128(Int64.max) ? .int64(Int64(s)) : .double(Double(s))
        case .avg:
            guard counts[g] > 0 else { return .null }
            let total = type == .double ? doubleSums[g] : Double(integerSums[g])
            return .double(total / Double(counts[g]))
        case .varianceSample, .standardDeviationSample:
            guard counts[g] > 1 else { return .null }
            let variance = m2[g] / Double(counts[g] - 1)
            return .double(function == .varianceSample ? variance : variance.squareRoot())
        case .min, .max:
            return extremes[g]
        case .countDistinct:
            return .int64(Int64(distinct[g].count))
        }
    }

    /// The output type.
    var resultType: DataType? {
        switch function {
        case .count, .countDistinct: .int64
        case .sum: type == .double ? .double : .int64
        case .avg, .varianceSample, .standardDeviationSample: .double
        case .min, .max: type
        }
    }
}
