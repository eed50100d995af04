public import StrataCore

/// Builds a ``ColumnData/sketch(bytes:offsets:validity:)`` column row by row.
public struct SketchColumnBuilder: Sendable {
    private var bytes: [UInt8] = []
    private var offsets: [Int] = [0]

    public init(capacity: Int = 0) { offsets.reserveCapacity(capacity + 1) }

    public var count: Int { offsets.count - 1 }

    /// Appends one row's serialized sketch (empty for a null row).
    public mutating func append<C: Collection>(_ sketch: C) where C.Element == UInt8 {
        bytes.append(contentsOf: sketch)
        offsets.append(bytes.count)
    }

    public func finish(validity: Bitset?) -> ColumnData {
        .sketch(bytes: bytes, offsets: offsets, validity: validity)
    }
}

/// The rollup states of `hll` and `quantile` aggregates: one serialized sketch per row
/// (``HyperLogLog/serialized()``, ``QuantileSketch/serialized()``).
///
/// A sketch's bytes depend only on the values fed to it, never on how they were split and merged, so a
/// rolled-up table answers `approx_count_distinct` and `approx_quantile` with exactly the raw table's
/// estimates.
enum SketchStates {
    /// One single-value sketch per input row; null inputs give null states.
    static func initial(_ kind: AggregatorKind, of source: ColumnData) -> ColumnData {
        var out = SketchColumnBuilder(capacity: source.count)
        let validity = source.validity
        func isValid(_ i: Int) -> Bool { validity?[i] ?? true }
        switch (kind, source) {
        case (.hll, .string(let dictionary, let codes, _)):
            // One serialized sketch per dictionary value, shared by its rows.
            var perCode = [[UInt8]?](repeating: nil, count: dictionary.count)
            for (i, code) in codes.enumerated() {
                guard isValid(i) else {
                    out.append(EmptyCollection<UInt8>())
                    continue
                }
                if perCode[Int(code)] == nil {
                    var sketch = HyperLogLog()
                    sketch.insert(dictionary[Int(code)])
                    perCode[Int(code)] = sketch.serialized()
                }
                out.append(perCode[Int(code)]!)
            }
        case (.hll, _):
            for i in 0..<source.count {
                guard isValid(i) else {
                    out.append(EmptyCollection<UInt8>())
                    continue
                }
                var sketch = HyperLogLog()
                switch source {
                case .int64(let v, _): sketch.insert(v[i])
                case .double(let v, _): sketch.insert(v[i])
                case .bool(let v, _): sketch.insert(Int64(v[i] ? 1 : 0))
                default: break
                }
                out.append(sketch.serialized())
            }
        case (.quantile, _):
            // Inputs repeat (latencies, prices): serialize each distinct value once.
            var cache: [UInt64: [UInt8]] = [:]
            for i in 0..<source.count {
                guard isValid(i) else {
                    out.append(EmptyCollection<UInt8>())
                    continue
                }
                let x: Double
                switch source {
                case .int64(let v, _): x = Double(v[i])
                case .double(let v, _): x = v[i]
                default: x = .nan
                }
                if let bytes = cache[x.bitPattern] {
                    out.append(bytes)
                } else {
                    var sketch = QuantileSketch()
                    sketch.insert(x)
                    let bytes = sketch.serialized()
                    cache[x.bitPattern] = bytes
                    out.append(bytes)
                }
            }
        default:
            for _ in 0..<source.count { out.append(EmptyCollection<UInt8>()) }
        }
        return out.finish(validity: validity)
    }

    /// Merges the sketches of each run `starts[k]..<ends[k]` into one row.
    static func merge(_ values: ColumnData, kind: AggregatorKind, starts: [Int], ends: [Int]) -> ColumnData {
        guard case .sketch(let bytes, let offsets, let validity) = values else { return values }
        var out = SketchColumnBuilder(capacity: starts.count)
        var outValidity = Bitset(count: starts.count, value: true)
        func isValid(_ i: Int) -> Bool { validity?[i] ?? true }
        for (k, (s, e)) in zip(starts, ends).enumerated() {
            let valid = (s..<e).lazy.filter(isValid)
            guard let first = valid.first else {
                outValidity[k] = false
                out.append(EmptyCollection<UInt8>())
                continue
            }
            if valid.dropFirst().isEmpty {
                out.append(bytes[offsets[first]..<offsets[first + 1]])  // one state: copied as it is
            } else {
                // States come from this module's writer through checksummed blocks; one that does not
                // parse cannot occur short of a bug, and is left out rather than stopping the merge.
                bytes.withUnsafeBytes { raw in
                    func row(_ i: Int) -> UnsafeRawBufferPointer {
                        UnsafeRawBufferPointer(rebasing: raw[offsets[i]..<offsets[i + 1]])
                    }
                    switch kind {
                    case .hll:
                        var merged = HyperLogLog()
                        for i in valid { try? merged.merge(serialized: row(i)) }
                        out.append(merged.serialized())
                    default:
                        var merged = QuantileSketch()
                        for i in valid { try? merged.merge(serialized: row(i)) }
                        out.append(merged.serialized())
                    }
                }
            }
        }
        return out.finish(validity: outValidity.isAllSet ? nil : outValidity)
    }
}

/// A one-line description of a stored sketch, shown where a scan returns a sketch column.
package enum SketchSummary {
    package static func describe(_ bytes: ArraySlice<UInt8>) -> String {
        let array = Array(bytes)
        if let h = try? HyperLogLog(serialized: array) { return "hll(≈\(h.estimate) distinct)" }
        if let q = try? QuantileSketch(serialized: array) {
            guard let lo = q.minimum, let hi = q.maximum else { return "quantiles(0 values)" }
            return "quantiles(\(q.count) values in [\(lo), \(hi)])"
        }
        return "sketch(\(array.count) bytes)"
    }
}

extension SegmentReader {
    /// Decodes a block of serialized sketches.
    func sketchBlock(column: Int, block: Int) throws(StrataError) -> ColumnData {
        try withBlock(column: column, block: block) { validity, payload, d throws(BlockDecoder.Failure) in
            let n = Int(d.rowCount)
            guard d.encoding == .sketches, payload.count >= 4 * n else { throw .malformed }
            var offsets = [0]
            offsets.reserveCapacity(n + 1)
            for i in 0..<n {
                let length = UInt32(littleEndian: payload.loadUnaligned(fromByteOffset: 4 * i, as: UInt32.self))
                offsets.append(offsets[i] + Int(length))
            }
            guard 4 * n + offsets[n] == payload.count else { throw .malformed }
            let bytes = Array(payload[(4 * n)...])
            return .sketch(bytes: bytes, offsets: offsets, validity: validity)
        }
    }
}
