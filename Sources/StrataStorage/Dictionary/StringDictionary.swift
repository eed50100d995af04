/// The values of one string column's codes.
///
/// A segment's dictionary is sorted: code `i` is the `i`-th smallest value by UTF-8 bytes, so
/// equality, `IN`, ranges and prefixes become code sets and code ranges. A table dictionary (for
/// high-cardinality columns such as user ids) is shared by every segment of a table and numbers
/// values in order of arrival: `isSorted` is false, and lookups go through its hash index.
public struct StringDictionary: Sendable {
    let bytes: [UInt8]
    /// `count + 1` offsets into `bytes`.
    let offsets: [UInt32]
    /// Whether codes are in value order (segment dictionaries) or arrival order (table dictionaries).
    public let isSorted: Bool
    /// For table dictionaries: the index that finds a value's code.
    let index: TableDictionary?

    init(bytes: [UInt8], offsets: [UInt32], isSorted: Bool = true, index: TableDictionary? = nil) {
        self.bytes = bytes
        self.offsets = offsets
        self.isSorted = isSorted
        self.index = index
    }

    public var count: Int { offsets.count - 1 }

    public subscript(code: Int) -> String {
        let start = Int(offsets[code])
        let end = Int(offsets[code + 1])
        return bytes.withUnsafeBufferPointer {
            String(decoding: UnsafeBufferPointer(rebasing: $0[start..<end]), as: UTF8.self)
        }
    }

    /// Calls `body` with the UTF-8 bytes of a value, without making a `String`.
    public func withValueBytes<R>(_ code: Int, _ body: (UnsafeRawBufferPointer) -> R) -> R {
        let start = Int(offsets[code])
        let end = Int(offsets[code + 1])
        return bytes.withUnsafeBytes { body(UnsafeRawBufferPointer(rebasing: $0[start..<end])) }
    }

    /// All values, in code order.
    public var values: [String] {
        if let index { return index.strings(self) }
        return (0..<count).map { self[$0] }
    }

    /// The first code whose value is not less than `value` (`count` if none). Sorted dictionaries only.
    public func lowerBound(_ value: String) -> Int {
        precondition(isSorted, "lowerBound needs a sorted dictionary")
        var value = value
        return value.withUTF8 { target in
            var lo = 0
            var hi = count
            while lo < hi {
                let mid = (lo + hi) / 2
                if withValueBytes(mid, { StringOrder.compare($0, UnsafeRawBufferPointer(target)) }) < 0 {
                    lo = mid + 1
                } else {
                    hi = mid
                }
            }
            return lo
        }
    }

    /// The code of `value`, if the segment holds it.
    public func code(of value: String) -> Int? {
        if !isSorted {
            var value = value
            let code = value.withUTF8 { index?.lookup(UnsafeRawBufferPointer($0)) }
            return code.flatMap { $0 < count ? $0 : nil }
        }
        let i = lowerBound(value)
        return i < count && self[i] == value ? i : nil
    }

    /// The codes of values that start with `prefix`: a contiguous range because the dictionary is
    /// sorted. Sorted dictionaries only.
    public func codes(withPrefix prefix: String) -> Range<Int> {
        let lo = lowerBound(prefix)
        var hi = lo
        let p = Array(prefix.utf8)
        while hi < count, withValueBytes(hi, { $0.starts(with: p) }) { hi += 1 }
        return lo..<hi
    }
}
