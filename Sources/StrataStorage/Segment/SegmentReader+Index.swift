public import StrataCore
import Synchronization

extension SegmentReader {
    /// The sorted dictionary of a string column (read and checked once, then cached).
    public func dictionary(column: Int) throws(StrataError) -> StringDictionary {
        if let cached = dictionaries.withLock({ $0[column] }) { return cached }
        let columnName = footer.columns[column].column.name
        if footer.columns[column].column.tableDictionary {
            guard let dictionary = try tableDictionaries?(columnName) else {
                throw StrataError(
                    .internal, "column '\(columnName)' uses a table dictionary the reader was not given",
                    location: .init(file: name))
            }
            return dictionary
        }
        guard let region = footer.columns[column].dictionary else {
            throw StrataError(.corruption, "column '\(columnName)' has no dictionary", location: .init(file: name))
        }
        let raw = try regionBytes(region, what: "dictionary of column '\(columnName)'")
        guard let (bytes, offsets) = DictionaryCoding.decode(raw), offsets.count == Int(region.count) + 1 else {
            throw corruptRegion("dictionary of column '\(columnName)'")
        }
        let dictionary = StringDictionary(bytes: bytes, offsets: offsets)
        dictionaries.withLock { $0[column] = dictionary }
        return dictionary
    }

    /// The rows holding dictionary code `code` of an indexed string column.
    public func bitmap(column: Int, code: Int) throws(StrataError) -> RoaringBitmap {
        let columnName = footer.columns[column].column.name
        guard let region = footer.columns[column].bitmapIndex else {
            throw StrataError(.internal, "column '\(columnName)' has no bitmap index", location: .init(file: name))
        }
        let start = Int(region.offset)
        let end = start + Int(region.storedLength)
        guard end <= bytes.count else { throw corruptRegion("bitmap index of column '\(columnName)'") }
        let raw = UnsafeRawBufferPointer(rebasing: bytes.buffer[start..<end])
        if !verifiedBitmapIndexes.withLock({ $0.contains(column) }) {
            guard CRC32C.checksum(raw) == region.checksum else {
                throw StrataError(
                    .corruption, "checksum mismatch in the bitmap index of column '\(columnName)'",
                    location: .init(file: name))
            }
            verifiedBitmapIndexes.withLock { _ = $0.insert(column) }
        }
        let count = Int(region.count)
        guard code >= 0, code < count, raw.count >= 8 + 16 * count else {
            throw corruptRegion("bitmap index of column '\(columnName)'")
        }
        // Compared as UInt64 first: Int(_:) of a damaged offset would trap.
        let lo = UInt64(littleEndian: raw.loadUnaligned(fromByteOffset: 8 + 16 * code, as: UInt64.self))
        let length = UInt64(littleEndian: raw.loadUnaligned(fromByteOffset: 16 + 16 * code, as: UInt64.self))
        let size = UInt64(raw.count)
        guard lo <= size, length <= size - lo,
            let bitmap = RoaringBitmap.frozenView(
                UnsafeRawBufferPointer(rebasing: raw[Int(lo)..<Int(lo + length)]), owner: bytes)
        else { throw corruptRegion("bitmap index of column '\(columnName)'") }
        return bitmap
    }

    /// Checks every checksum in the segment (blocks, dictionaries, bitmap indexes).
    public func verify() throws(StrataError) {
        for (c, column) in footer.columns.enumerated() {
            for b in column.blocks.indices { _ = try decodedBlock(column: c, block: b) }
            if column.dictionary != nil { _ = try dictionary(column: c) }
            if column.bitmapIndex != nil, column.dictionary?.count ?? 0 > 0 { _ = try bitmap(column: c, code: 0) }
        }
    }

    private func corruptRegion(_ what: String) -> StrataError {
        StrataError(.corruption, "\(what) is malformed", location: .init(file: name))
    }

    private func regionBytes(_ region: RegionDescriptor, what: String) throws(StrataError) -> [UInt8] {
        let start = Int(region.offset)
        let end = start + Int(region.storedLength)
        guard end <= bytes.count else { throw corruptRegion(what) }
        let stored = UnsafeRawBufferPointer(rebasing: bytes.buffer[start..<end])
        guard CRC32C.checksum(stored) == region.checksum else {
            throw StrataError(.corruption, "checksum mismatch in the \(what)", location: .init(file: name))
        }
        var raw = [UInt8](repeating: 0, count: Int(region.rawLength))
        let ok = raw.withUnsafeMutableBytes { BlockCompressor.decompress(stored, codec: region.codec, into: $0) }
        guard ok else { throw corruptRegion(what) }
        return raw
    }
}
