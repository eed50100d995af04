import CStrataZstd
import Foundation
public import StrataCore

/// Test fixtures stored zstd-compressed (`zstd -19 file`): the TPC-H tables under Fixtures/tpch.
public enum ZstdFixture {
    /// The decompressed bytes of a one-frame `.zst` file whose header records its size (as the `zstd` tool
    /// writes it).
    public static func contents(of path: String) throws(StrataError) -> [UInt8] {
        guard let data = FileManager.default.contents(atPath: path) else {
            throw StrataError(.io, "cannot read \(path)")
        }
        let compressed = [UInt8](data)
        let size = ZSTD_getFrameContentSize(compressed, compressed.count)
        guard size != ZSTD_CONTENTSIZE_ERROR, size != ZSTD_CONTENTSIZE_UNKNOWN, size < 1 << 32 else {
            throw StrataError(.corruption, "\(path): not a zstd frame with a recorded size")
        }
        var output = [UInt8](repeating: 0, count: Int(size))
        let written = output.withUnsafeMutableBytes { out in
            ZSTD_decompress(out.baseAddress, out.count, compressed, compressed.count)
        }
        guard ZSTD_isError(written) == 0, written == Int(size) else {
            throw StrataError(.corruption, "\(path): zstd data does not decompress")
        }
        return output
    }
}
