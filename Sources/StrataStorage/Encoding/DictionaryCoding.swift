/// The raw (pre-compression) layout of a sorted string dictionary: front coding, because sorted
/// values share long prefixes (`u00012345`, `u00012346`, …).
///
/// Layout: count (u32), then per value: the length of the prefix shared with the previous value
/// (LEB128), the length of the rest (LEB128), the rest's bytes.
enum DictionaryCoding {
    static func encode(_ values: [String]) -> [UInt8] {
        var out: [UInt8] = []
        withUnsafeBytes(of: UInt32(values.count).littleEndian) { out.append(contentsOf: $0) }
        var previous: [UInt8] = []
        for value in values {
            let bytes = Array(value.utf8)
            var shared = 0
            let limit = min(previous.count, bytes.count)
            while shared < limit, previous[shared] == bytes[shared] { shared += 1 }
            appendVarint(shared, to: &out)
            appendVarint(bytes.count - shared, to: &out)
            out.append(contentsOf: bytes[shared...])
            previous = bytes
        }
        return out
    }

    /// The concatenated value bytes and `count + 1` offsets; `nil` if malformed.
    static func decode(_ raw: [UInt8]) -> (bytes: [UInt8], offsets: [UInt32])? {
        guard raw.count >= 4 else { return nil }
        let count = Int(raw.withUnsafeBytes { UInt32(littleEndian: $0.loadUnaligned(as: UInt32.self)) })
        guard count <= raw.count else { return nil }
        var bytes: [UInt8] = []
        bytes.reserveCapacity(raw.count * 2)
        var offsets: [UInt32] = [0]
        offsets.reserveCapacity(count + 1)
        var i = 4
        var previousStart = 0
        for _ in 0..<count {
            // Offsets are u32: more bytes are damage (and shared prefixes could otherwise grow the
            // values quadratically in the input size).
            guard let shared = readVarint(raw, &i), let rest = readVarint(raw, &i), i + rest <= raw.count,
                shared <= bytes.count - previousStart, bytes.count + shared + rest <= Int(UInt32.max)
            else { return nil }
            let start = bytes.count
            // Copy the shared prefix byte by byte: appending a slice of `bytes` to itself would copy
            // the whole buffer each time (the slice keeps the old storage alive).
            for k in previousStart..<previousStart + shared { bytes.append(bytes[k]) }
            bytes.append(contentsOf: raw[i..<i + rest])
            i += rest
            previousStart = start
            offsets.append(UInt32(bytes.count))
        }
        return i == raw.count ? (bytes, offsets) : nil
    }

    package static func appendVarint(_ value: Int, to out: inout [UInt8]) {
        var v = UInt64(value)
        while v >= 0x80 {
            out.append(UInt8(v & 0x7F) | 0x80)
            v >>= 7
        }
        out.append(UInt8(v))
    }

    package static func readVarint(_ raw: [UInt8], _ i: inout Int) -> Int? {
        var value: UInt64 = 0
        var shift: UInt64 = 0
        while i < raw.count, shift < 35 {
            let b = raw[i]
            i += 1
            value |= UInt64(b & 0x7F) << shift
            if b < 0x80 { return Int(value) }
            shift += 7
        }
        return nil
    }
}
