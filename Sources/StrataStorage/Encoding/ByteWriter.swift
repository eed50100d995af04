/// Appends little-endian integers and length-prefixed strings to a byte array (footer and catalog
/// encoding).
public struct ByteWriter: Sendable {
    public private(set) var bytes: [UInt8] = []

    public init() {}

    public mutating func write<T: FixedWidthInteger>(_ value: T) {
        withUnsafeBytes(of: value.littleEndian) { bytes.append(contentsOf: $0) }
    }

    public mutating func write(_ value: Double) { write(value.bitPattern) }

    public mutating func write(_ value: Bool) { write(UInt8(value ? 1 : 0)) }

    public mutating func write(_ value: String) {
        let utf8 = Array(value.utf8)
        write(UInt32(utf8.count))
        bytes.append(contentsOf: utf8)
    }

    public mutating func write(bytes other: [UInt8]) { bytes.append(contentsOf: other) }

    /// Appends the values of an integer array in one copy (little-endian platforms).
    public mutating func write<T: FixedWidthInteger>(raw values: [T]) {
        #if _endian(little)
            values.withUnsafeBytes { bytes.append(contentsOf: $0) }
        #else
            for v in values { write(v) }
        #endif
    }
}

/// Reads what ``ByteWriter`` wrote, failing (not trapping) on truncated or malformed input.
public struct ByteReader {
    public enum Failure: Error { case truncated }

    let bytes: UnsafeRawBufferPointer
    public private(set) var offset: Int = 0

    public init(_ bytes: UnsafeRawBufferPointer) { self.bytes = bytes }

    public var isAtEnd: Bool { offset >= bytes.count }

    /// Bytes not read yet.
    public var remaining: Int { bytes.count - offset }

    public mutating func read<T: FixedWidthInteger>(_: T.Type = T.self) throws(Failure) -> T {
        let size = MemoryLayout<T>.size
        guard offset + size <= bytes.count else { throw .truncated }
        let v = bytes.loadUnaligned(fromByteOffset: offset, as: T.self)
        offset += size
        return T(littleEndian: v)
    }

    /// Reads `count` little-endian integers written by ``ByteWriter/write(raw:)``.
    public mutating func readArray<T: FixedWidthInteger>(_: T.Type, count: Int) throws(Failure) -> [T] {
        let size = MemoryLayout<T>.size * count
        guard count >= 0, size <= bytes.count - offset else { throw .truncated }
        let start = offset
        let out = [T](unsafeUninitializedCapacity: count) { buffer, initialized in
            UnsafeMutableRawBufferPointer(buffer).copyMemory(
                from: UnsafeRawBufferPointer(rebasing: bytes[start..<start + size]))
            initialized = count
        }
        offset += size
        #if _endian(little)
            return out
        #else
            return out.map { T(littleEndian: $0) }
        #endif
    }

    public mutating func readDouble() throws(Failure) -> Double { Double(bitPattern: try read(UInt64.self)) }

    public mutating func readBool() throws(Failure) -> Bool { try read(UInt8.self) != 0 }

    public mutating func readString() throws(Failure) -> String {
        let length = Int(try read(UInt32.self))
        guard offset + length <= bytes.count else { throw .truncated }
        let s = String(decoding: UnsafeRawBufferPointer(rebasing: bytes[offset..<offset + length]), as: UTF8.self)
        offset += length
        return s
    }
}
