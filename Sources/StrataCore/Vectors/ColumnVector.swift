/// A column of values of one type with optional nulls: the unit of columnar appends.
public struct ColumnVector: Sendable, Equatable {
    public enum Values: Sendable, Equatable {
        case int64([Int64])
        case double([Double])
        case bool([Bool])
        case string([String])
        /// Milliseconds since the Unix epoch, UTC.
        case timestamp([Int64])
    }

    public var values: Values
    /// Which rows hold a value (`nil`: all of them). Values at null rows are ignored.
    public var validity: Bitset?

    public init(_ values: Values, validity: Bitset? = nil) {
        self.values = values
        self.validity = validity
    }

    public var count: Int {
        switch values {
        case .int64(let v), .timestamp(let v): v.count
        case .double(let v): v.count
        case .bool(let v): v.count
        case .string(let v): v.count
        }
    }

    public var dataType: DataType {
        switch values {
        case .int64: .int64
        case .double: .double
        case .bool: .bool
        case .string: .string
        case .timestamp: .timestamp
        }
    }

    public func isNull(_ row: Int) -> Bool { validity.map { !$0[row] } ?? false }

    /// The value at `row`, boxed (for row-oriented consumers and tests).
    public func value(at row: Int) -> Value {
        if isNull(row) { return .null }
        switch values {
        case .int64(let v): return .int64(v[row])
        case .double(let v): return .double(v[row])
        case .bool(let v): return .bool(v[row])
        case .string(let v): return .string(v[row])
        case .timestamp(let v): return .timestamp(v[row])
        }
    }

    public static func int64(_ values: [Int64?]) -> ColumnVector {
        ColumnVector(.int64(values.map { $0 ?? 0 }), validity: validity(of: values))
    }
    public static func double(_ values: [Double?]) -> ColumnVector {
        ColumnVector(.double(values.map { $0 ?? 0 }), validity: validity(of: values))
    }
    public static func bool(_ values: [Bool?]) -> ColumnVector {
        ColumnVector(.bool(values.map { $0 ?? false }), validity: validity(of: values))
    }
    public static func string(_ values: [String?]) -> ColumnVector {
        ColumnVector(.string(values.map { $0 ?? "" }), validity: validity(of: values))
    }
    public static func timestamp(_ values: [Int64?]) -> ColumnVector {
        ColumnVector(.timestamp(values.map { $0 ?? 0 }), validity: validity(of: values))
    }

    private static func validity<T>(of values: [T?]) -> Bitset? {
        guard values.contains(where: { $0 == nil }) else { return nil }
        var bits = Bitset(count: values.count, value: true)
        for (i, v) in values.enumerated() where v == nil { bits[i] = false }
        return bits
    }
}

/// Named columns of equal length: a columnar batch of rows for ``Table`` appends.
public struct ColumnBatch: Sendable, Equatable {
    public private(set) var names: [String]
    public private(set) var vectors: [ColumnVector]

    public init() {
        names = []
        vectors = []
    }

    /// Creates a batch from (name, vector) pairs.
    public init(_ columns: KeyValuePairs<String, ColumnVector>) {
        names = columns.map(\.key)
        vectors = columns.map(\.value)
    }

    public var rowCount: Int { vectors.first?.count ?? 0 }

    public mutating func append(column name: String, _ vector: ColumnVector) {
        names.append(name)
        vectors.append(vector)
    }

    public func vector(named name: String) -> ColumnVector? {
        names.firstIndex(of: name).map { vectors[$0] }
    }
}
