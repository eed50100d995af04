extension DataType {
    /// Reads a column type from a table spec: `"type": "int64"`, or `"type": "decimal"` with `precision`
    /// (default 18) and `scale` (default 3: DuckDB's plain `DECIMAL`). `"decimal(15,2)"` is accepted too.
    static func decodeSpecType<Key: CodingKey>(
        _ c: KeyedDecodingContainer<Key>, type: Key, precision: Key, scale: Key
    ) throws -> DataType {
        let name = try c.decode(String.self, forKey: type)
        if name == "decimal" {
            let p = try c.decodeIfPresent(Int.self, forKey: precision) ?? 18
            let s = try c.decodeIfPresent(Int.self, forKey: scale) ?? 3
            return .decimal(precision: p, scale: s)
        }
        guard let result = DataType(rawValue: name), result != .hugeint else {
            throw DecodingError.dataCorruptedError(
                forKey: type, in: c, debugDescription: "unknown column type '\(name)'")
        }
        return result
    }

    /// Writes a column type the way ``decodeSpecType(_:type:precision:scale:)`` reads it.
    func encodeSpecType<Key: CodingKey>(
        _ c: inout KeyedEncodingContainer<Key>, type: Key, precision: Key, scale: Key
    ) throws {
        if case .decimal(let p, let s) = self {
            try c.encode("decimal", forKey: type)
            try c.encode(p, forKey: precision)
            try c.encode(s, forKey: scale)
        } else {
            try c.encode(rawValue, forKey: type)
        }
    }
}
