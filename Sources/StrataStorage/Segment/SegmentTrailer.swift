package import StrataCore

/// The last 32 bytes of a segment file: where the footer lies and its checksum (layout on
/// ``SegmentFooter``).
///
/// From format version 2 the trailer carries a CRC32C of the header and of its own first 20 bytes:
/// before that a flipped bit in the footer offset or length was read unchecked.
package struct SegmentTrailer: Sendable, Equatable {
    package var footerOffset: UInt64
    package var footerLength: UInt64
    package var footerChecksum: UInt32

    package init(footerOffset: UInt64, footerLength: UInt64, footerChecksum: UInt32) {
        self.footerOffset = footerOffset
        self.footerLength = footerLength
        self.footerChecksum = footerChecksum
    }

    /// The trailer bytes (current format) of a file that starts with `header`.
    package func encode(header: [UInt8]) -> [UInt8] {
        var w = ByteWriter()
        w.write(footerOffset)
        w.write(footerLength)
        w.write(footerChecksum)
        let checksum = header.withUnsafeBytes { h in
            w.bytes.withUnsafeBytes { fields in Self.checksum(header: h, fields: fields) }
        }
        w.write(checksum)
        w.write(bytes: SegmentFooter.trailerMagic)
        return w.bytes
    }

    private static func checksum(header: UnsafeRawBufferPointer, fields: UnsafeRawBufferPointer) -> UInt32 {
        CRC32C.checksum(fields, continuing: CRC32C.checksum(header))
    }

    /// Reads and checks the trailer of a whole segment file whose header magic and format version
    /// were checked: the checksum (version 2 on), then that the footer lies between header and trailer.
    /// - Throws: `corruption` naming `name`.
    package static func decode(file raw: UnsafeRawBufferPointer, version: UInt16, name: String) throws(StrataError)
        -> SegmentTrailer
    {
        func corruption(_ message: String) -> StrataError {
            StrataError(.corruption, message, location: .init(file: name))
        }
        let headerSize = SegmentFooter.headerSize
        let size = SegmentFooter.trailerSize
        guard raw.count >= headerSize + size else { throw corruption("segment file is truncated (\(raw.count) bytes)") }
        let trailer = UnsafeRawBufferPointer(rebasing: raw[(raw.count - size)...])
        guard trailer[24..<32].elementsEqual(SegmentFooter.trailerMagic) else {
            throw corruption("segment trailer is missing (truncated file)")
        }
        func u64(_ at: Int) -> UInt64 {
            UInt64(littleEndian: trailer.loadUnaligned(fromByteOffset: at, as: UInt64.self))
        }
        func u32(_ at: Int) -> UInt32 {
            UInt32(littleEndian: trailer.loadUnaligned(fromByteOffset: at, as: UInt32.self))
        }
        if version >= 2 {
            let expected = checksum(
                header: UnsafeRawBufferPointer(rebasing: raw[0..<headerSize]),
                fields: UnsafeRawBufferPointer(rebasing: trailer[0..<20]))
            guard u32(20) == expected else {
                throw corruption("segment trailer checksum mismatch (damaged header or trailer)")
            }
        }
        let decoded = SegmentTrailer(footerOffset: u64(0), footerLength: u64(8), footerChecksum: u32(16))
        // Compared as UInt64: a damaged version 1 trailer may hold any value, and Int(_:) would trap.
        let dataEnd = UInt64(raw.count - size)
        guard decoded.footerOffset >= UInt64(headerSize), decoded.footerOffset <= dataEnd,
            decoded.footerLength > 0, decoded.footerLength <= dataEnd - decoded.footerOffset
        else {
            throw corruption(
                "segment footer location is invalid (offset \(decoded.footerOffset), length \(decoded.footerLength), "
                    + "file \(raw.count) bytes)")
        }
        return decoded
    }
}
