/// A segment's sorted dictionary of one string column: code `i` is the `i`-th smallest value by
/// UTF-8 bytes, so equality, `IN`, ranges and prefixes become code sets and code ranges.
public struct StringDictionary: Sendable {
    let bytes: [UInt8]
    /// `count + 1` offsets into `bytes`.
    let offsets: [UInt32]

    init(bytes: [UInt8], offsets: [UInt32]) {
        self.bytes = bytes
        self.offsets = offsets
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
    public var values: [String] { (0..<count).map { self[$0] } }

    /// The first code whose value is not less than `value` (`count` if none).
    public func lowerBound(_ value: String) -> Int {
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
        let i = lowerBound(value)
        return i < count && self[i] == value ? i : nil
    }

    /// The codes of values that start with `prefix`: a contiguous range because the dictionary is sorted.
    public func codes(withPrefix prefix: String) -> Range<Int> {
        let lo = lowerBound(prefix)
        var hi = lo
        let p = Array(prefix.utf8)
        while hi < count, withValueBytes(hi, { $0.starts(with: p) }) { hi += 1 }
        return lo..<hi
    }
}
