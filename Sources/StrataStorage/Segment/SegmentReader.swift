public import StrataCore
import Synchronization

/// Reads one segment from its bytes (usually a memory-mapped file), lazily and block by block.
///
/// Opening checks the header, trailer and footer checksum; each block, dictionary and bitmap index
/// is checked against its CRC32C when first read. A mismatch is a `corruption` error naming the
/// file and the block; other segments stay readable.
public final class SegmentReader: Sendable {
    /// The file path (or in-memory name) used in error messages.
    public let name: String
    public let footer: SegmentFooter
    let bytes: SegmentBytes
    let dictionaries = Mutex<[Int: StringDictionary]>([:])
    /// Dictionary values as Strings, materialized once per column for ``columnBlock(column:block:)``.
    let dictionaryStrings = Mutex<[Int: [String]]>([:])
    let verifiedBitmapIndexes = Mutex<Set<Int>>([])

    /// Where decoded blocks are kept across queries (`nil`: decode every time).
    let cache: BlockCache?
    let cacheID = BlockCache.segmentID()

    /// The table dictionaries of columns with table-wide codes, by column name.
    /// Throws when a dictionary cannot be used (its file is damaged).
    public let tableDictionaries: (@Sendable (String) throws(StrataError) -> StringDictionary?)?

    public init(
        bytes: SegmentBytes, name: String, cache: BlockCache? = nil,
        tableDictionaries: (@Sendable (String) throws(StrataError) -> StringDictionary?)? = nil
    ) throws(StrataError) {
        self.bytes = bytes
        self.name = name
        self.cache = cache
        self.tableDictionaries = tableDictionaries
        let raw = bytes.buffer
        let minimum = SegmentFooter.headerSize + SegmentFooter.trailerSize
        guard raw.count >= minimum, raw.starts(with: SegmentFooter.headerMagic) else {
            throw StrataError(
                .corruption, "not a Strata segment (bad header magic or truncated file)", location: .init(file: name))
        }
        let version = UInt16(littleEndian: raw.loadUnaligned(fromByteOffset: 8, as: UInt16.self))
        guard SegmentFooter.readableVersions.contains(version) else {
            throw StrataError(
                .unsupported,
                "segment format version \(version) is not supported (this build reads versions "
                    + "\(SegmentFooter.readableVersions.lowerBound)-\(SegmentFooter.formatVersion))",
                location: .init(file: name))
        }
        let trailer = try SegmentTrailer.decode(file: raw, version: version, name: name)
        let footerOffset = Int(trailer.footerOffset)
        let footerBytes = UnsafeRawBufferPointer(
            rebasing: raw[footerOffset..<footerOffset + Int(trailer.footerLength)])
        guard CRC32C.checksum(footerBytes) == trailer.footerChecksum else {
            throw StrataError(.corruption, "segment footer checksum mismatch", location: .init(file: name))
        }
        do {
            footer = try SegmentFooter.decode(footerBytes, dataEnd: trailer.footerOffset)
        } catch {
            throw StrataError(error.code, error.message, location: .init(file: name))
        }
    }

    deinit { cache?.remove(segment: cacheID) }

    public var rowCount: Int { footer.rowCount }
    public var blockCount: Int { footer.blockCount }
    public var columns: [ColumnDescriptor] { footer.columns }

    /// Rows in block `block`.
    public func rowCount(ofBlock block: Int) -> Int {
        min(footer.blockRowCount, footer.rowCount - block * footer.blockRowCount)
    }

    // MARK: Blocks

    private func corruption(_ message: String, block: Int? = nil) -> StrataError {
        StrataError(.corruption, message, location: .init(file: name, block: block))
    }

    /// Verifies, decompresses and splits a block into its validity and payload, then calls `body`.
    func withBlock<R>(
        column: Int, block: Int,
        _ body: (Bitset?, UnsafeRawBufferPointer, BlockDescriptor) throws(BlockDecoder.Failure) -> R
    ) throws(StrataError) -> R {
        let descriptor = footer.columns[column].blocks[block]
        let columnName = footer.columns[column].column.name
        let start = Int(descriptor.offset)
        let end = start + Int(descriptor.storedLength)
        guard end <= bytes.count else {
            throw corruption(
                "block \(block) of column '\(columnName)' lies past the end of the file (truncated)", block: block)
        }
        let stored = UnsafeRawBufferPointer(rebasing: bytes.buffer[start..<end])
        guard CRC32C.checksum(stored) == descriptor.checksum else {
            throw corruption("checksum mismatch in block \(block) of column '\(columnName)'", block: block)
        }
        let codec = footer.columns[column].column.codec
        let rows = Int(descriptor.rowCount)
        func split(_ raw: UnsafeRawBufferPointer) throws(StrataError) -> R {
            var payload = raw
            var validity: Bitset?
            if descriptor.nullCount > 0 {
                let wordCount = (rows + 63) / 64
                guard raw.count >= wordCount * 8 else {
                    throw corruption("block \(block) of column '\(columnName)' is malformed", block: block)
                }
                let words = (0..<wordCount).map {
                    UInt64(littleEndian: raw.loadUnaligned(fromByteOffset: $0 * 8, as: UInt64.self))
                }
                validity = Bitset(words: words, count: rows)
                payload = UnsafeRawBufferPointer(rebasing: raw[(wordCount * 8)...])
            }
            do {
                return try body(validity, payload, descriptor)
            } catch {
                throw corruption("block \(block) of column '\(columnName)' is malformed", block: block)
            }
        }
        if codec == .none { return try split(stored) }
        let raw = UnsafeMutableRawBufferPointer.allocate(byteCount: Int(descriptor.rawLength), alignment: 16)
        defer { raw.deallocate() }
        guard BlockCompressor.decompress(stored, codec: codec, into: raw) else {
            throw corruption("block \(block) of column '\(columnName)' does not decompress", block: block)
        }
        return try split(UnsafeRawBufferPointer(raw))
    }

    /// A fresh array of `count` values that `decode` writes every one of (the decoders do: each writes its
    /// whole block or fails), without zeroing it first: a block is ~16K values, and zeroing them cost as much
    /// as decoding a bit-packed column.
    @inline(__always)
    static func decoded<T: BitwiseCopyable>(
        _: T.Type, count: Int, _ decode: (UnsafeMutableBufferPointer<T>) throws(BlockDecoder.Failure) -> Void
    ) throws(BlockDecoder.Failure) -> [T] {
        var failure: BlockDecoder.Failure?
        let values = [T](unsafeUninitializedCapacity: count) { out, initialized in
            do throws(BlockDecoder.Failure) {
                try decode(UnsafeMutableBufferPointer(rebasing: out[0..<count]))
                initialized = count
            } catch {
                failure = error
                initialized = 0
            }
        }
        if let failure { throw failure }
        return values
    }

    /// Decodes an int64 or timestamp block.
    public func int64Block(column: Int, block: Int) throws(StrataError) -> (values: [Int64], validity: Bitset?) {
        try withBlock(column: column, block: block) { validity, payload, d throws(BlockDecoder.Failure) in
            let n = Int(d.rowCount)
            let values = try Self.decoded(Int64.self, count: n) { out throws(BlockDecoder.Failure) in
                try BlockDecoder.decodeIntegers(payload, encoding: d.encoding, count: n, into: out)
            }
            return (values, validity)
        }
    }

    public func doubleBlock(column: Int, block: Int) throws(StrataError) -> (values: [Double], validity: Bitset?) {
        try withBlock(column: column, block: block) { validity, payload, d throws(BlockDecoder.Failure) in
            let n = Int(d.rowCount)
            let values = try Self.decoded(Double.self, count: n) { out throws(BlockDecoder.Failure) in
                try BlockDecoder.decodeDoubles(payload, count: n, into: out)
            }
            return (values, validity)
        }
    }

    public func boolBlock(column: Int, block: Int) throws(StrataError) -> (values: [Bool], validity: Bitset?) {
        try withBlock(column: column, block: block) { validity, payload, d throws(BlockDecoder.Failure) in
            let n = Int(d.rowCount)
            let values = try Self.decoded(Bool.self, count: n) { out throws(BlockDecoder.Failure) in
                try BlockDecoder.decodeBools(payload, count: n, into: out)
            }
            return (values, validity)
        }
    }

    /// Decodes a string column's dictionary codes.
    public func codeBlock(column: Int, block: Int) throws(StrataError) -> (codes: [UInt32], validity: Bitset?) {
        let descriptor = footer.columns[column]
        // Codes index the dictionary later: checked here against its size (table-wide codes against
        // the table dictionary, when the reader has it), so damage is an error rather than a trap.
        let unchecked = descriptor.column.tableDictionary && tableDictionaries == nil
        var dictionaryCount = Int(descriptor.dictionary?.count ?? 0)
        if descriptor.column.tableDictionary, !unchecked { dictionaryCount = try dictionary(column: column).count }
        return try withBlock(column: column, block: block) { validity, payload, d throws(BlockDecoder.Failure) in
            let n = Int(d.rowCount)
            let codes = try Self.decoded(UInt32.self, count: n) { out throws(BlockDecoder.Failure) in
                try BlockDecoder.decodeCodes(payload, count: n, dictionaryCount: dictionaryCount, into: out)
            }
            // An empty dictionary can only go with rows that are all null.
            if dictionaryCount == 0, !unchecked, (0..<n).contains(where: { validity?[$0] ?? true }) {
                throw .malformed
            }
            return (codes, validity)
        }
    }

    /// The dictionary of a string column as Strings (decoded once, then shared by every block).
    public func dictionaryValues(column: Int) throws(StrataError) -> [String] {
        if let cached = dictionaryStrings.withLock({ $0[column] }) { return cached }
        let values = try dictionary(column: column).values
        dictionaryStrings.withLock { $0[column] = values }
        return values
    }

    /// Decodes any block into column data (strings carry the whole segment dictionary).
    public func columnBlock(column: Int, block: Int) throws(StrataError) -> ColumnData {
        let data = try decodedBlock(column: column, block: block)
        if case .string(_, let codes, let validity) = data {
            return .string(dictionary: try dictionaryValues(column: column), codes: codes, validity: validity)
        }
        return data
    }

    /// Decodes a block for the query engine: like ``columnBlock(column:block:)``, but a string
    /// column's data carries an empty `dictionary` (read values through ``dictionary(column:)``), so
    /// no `String` is made. Kept in the block cache when the reader has one.
    public func decodedBlock(column: Int, block: Int) throws(StrataError) -> ColumnData {
        if let cache {
            if let hit = cache.value(segment: cacheID, column: column, block: block) { return hit }
            let data = try decodeColumnBlock(column: column, block: block)
            cache.insert(data, segment: cacheID, column: column, block: block)
            return data
        }
        return try decodeColumnBlock(column: column, block: block)
    }

    /// Whether a decoded copy of the block is in the cache (decoding it would cost nothing).
    public func isCached(column: Int, block: Int) -> Bool {
        cache?.value(segment: cacheID, column: column, block: block) != nil
    }

    private func decodeColumnBlock(column: Int, block: Int) throws(StrataError) -> ColumnData {
        if footer.columns[column].column.isSketch { return try sketchBlock(column: column, block: block) }
        switch footer.columns[column].column.type.physical {
        case .int64, .timestamp, .date, .decimal, .hugeint:
            let (v, n) = try int64Block(column: column, block: block)
            return .int64(v, validity: n)
        case .double:
            let (v, n) = try doubleBlock(column: column, block: block)
            return .double(v, validity: n)
        case .bool:
            let (v, n) = try boolBlock(column: column, block: block)
            return .bool(v, validity: n)
        case .string:
            let (c, n) = try codeBlock(column: column, block: block)
            return .string(dictionary: [], codes: c, validity: n)
        }
    }
}
