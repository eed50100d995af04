import CStrataCRC

/// CRC32C (Castagnoli) checksums of stored bytes: every block, dictionary, bitmap region, footer
/// and catalog carries one. Uses the CPU's CRC instruction when present.
public enum CRC32C {
    /// The checksum of `bytes`, optionally continuing an earlier one.
    public static func checksum(_ bytes: UnsafeRawBufferPointer, continuing crc: UInt32 = 0) -> UInt32 {
        guard let base = bytes.baseAddress else { return crc }
        return strata_crc32c(crc, base, bytes.count)
    }

    public static func checksum(_ bytes: [UInt8]) -> UInt32 {
        bytes.withUnsafeBytes { checksum($0) }
    }
}
