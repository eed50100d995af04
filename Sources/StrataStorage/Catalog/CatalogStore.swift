import Foundation
public import StrataCore

/// Persists catalogs in a database directory.
///
/// The current catalog is the file `CATALOG`: a first line `strata-catalog <format> <crc32c hex>` and
/// the JSON body. Publishing writes `CATALOG.tmp`, fsyncs it, renames it over `CATALOG` and fsyncs the
/// directory, so a crash at any step leaves the previous or the next catalog, never a mix.
public struct CatalogStore: Sendable {
    public let directory: String
    public static let fileName = "CATALOG"

    /// The format this version writes. Format 1 catalogs of tables with a sort key could hold segment
    /// time ranges taken from the first and last row in sort order rather than the true minimum and
    /// maximum; ``load()`` reports them as ``LoadedCatalog/timeRangesNeedCheck`` so the opener
    /// recomputes them from the segment footers (which always held the true range).
    public static let format = 2

    public init(directory: String) { self.directory = directory }

    var path: String { directory + "/" + Self.fileName }

    /// A catalog as read from disk.
    public struct LoadedCatalog: Sendable {
        public var catalog: Catalog
        /// Whether segment time ranges come from a format that could store them wrong (format 1).
        public var timeRangesNeedCheck: Bool
    }

    /// Loads the current catalog (an empty one for a new database).
    public func load() throws(StrataError) -> LoadedCatalog {
        guard FileSystem.fileExists(path) else { return LoadedCatalog(catalog: Catalog(), timeRangesNeedCheck: false) }
        let bytes = try FileSystem.readFile(path)
        guard let newline = bytes.firstIndex(of: 10) else { throw corrupt("missing header line") }
        let header = String(decoding: bytes[..<newline], as: UTF8.self).split(separator: " ")
        guard header.count == 3, header[0] == "strata-catalog" else { throw corrupt("bad header line") }
        guard let format = Int(header[1]), format == 1 || format == Self.format else {
            throw StrataError(.unsupported, "catalog format \(header[1]) is not supported", location: .init(file: path))
        }
        let body = Array(bytes[(newline + 1)...])
        guard let expected = UInt32(header[2], radix: 16), CRC32C.checksum(body) == expected else {
            throw corrupt("checksum mismatch")
        }
        do {
            let catalog = try JSONDecoder().decode(Catalog.self, from: Data(body))
            try checkPaths(of: catalog)
            return LoadedCatalog(catalog: catalog, timeRangesNeedCheck: format == 1)
        } catch let error as StrataError {
            throw error
        } catch {
            throw corrupt("unreadable body (\(error))")
        }
    }

    /// Refuses paths Strata would not have written. The opener deletes and maps the files a catalog
    /// names (segments by path, dictionaries by table and column name), so a crafted path such as
    /// `../victim.txt` must never reach the file system.
    private func checkPaths(of catalog: Catalog) throws(StrataError) {
        for table in catalog.tables {
            let key = table.spec.name.lowercased()
            guard Self.isTableDirectoryName(key) else { throw corrupt("table name '\(table.spec.name)' is not valid") }
            for dimension in table.spec.dimensions where !Self.isTableDirectoryName(dimension.name.lowercased()) {
                throw corrupt("column name '\(dimension.name)' of table '\(table.spec.name)' is not valid")
            }
            for segment in table.segments
            where !Self.isSegmentPath(segment.file) || !segment.file.hasPrefix("segments/\(key)/") {
                throw corrupt(
                    "segment path '\(segment.file)' of table '\(table.spec.name)' is not of the form "
                        + "segments/\(key)/<digits>.seg")
            }
        }
    }

    /// Whether `path` has the form `segments/<table>/<digits>.seg`, with a table name of letters,
    /// digits and `_` (so it can hold no `..`, `/` or leading `/`).
    public static func isSegmentPath(_ path: String) -> Bool {
        let parts = path.split(separator: "/", omittingEmptySubsequences: false)
        return parts.count == 3 && parts[0] == "segments" && isTableDirectoryName(parts[1])
            && isSegmentFileName(parts[2])
    }

    /// Whether `name` is a segment file name as Strata writes them: digits, then `.seg`.
    public static func isSegmentFileName(_ name: some StringProtocol) -> Bool {
        guard name.hasSuffix(".seg") else { return false }
        let digits = name.utf8.dropLast(4)
        return !digits.isEmpty && digits.allSatisfy { (48...57).contains($0) }
    }

    /// Whether `name` can be a table's directory: a table name, lowercased.
    static func isTableDirectoryName(_ name: some StringProtocol) -> Bool {
        !name.isEmpty && name.utf8.allSatisfy { c in (97...122).contains(c) || (48...57).contains(c) || c == 95 }
    }

    /// Publishes `catalog` atomically.
    public func publish(_ catalog: Catalog) throws(StrataError) {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys]
        let body: [UInt8]
        do {
            body = Array(try encoder.encode(catalog))
        } catch {
            throw StrataError(.internal, "catalog encoding failed: \(error)")
        }
        let checksum = String(CRC32C.checksum(body), radix: 16)
        try FileSystem.replaceAtomically(path, Array("strata-catalog \(Self.format) \(checksum)\n".utf8) + body)
    }

    /// Removes what a crash can leave behind: temporary files (never read) and segment files that no
    /// published catalog references (written before a publish that did not happen).
    ///
    /// Only names Strata writes are candidates (`CATALOG.tmp`, `segments/<table>/<digits>.seg`), and
    /// symbolic links are neither followed nor removed: a user's file in the database directory, or
    /// a table directory linked to somewhere else, is left alone.
    public func removeLeftovers(keeping catalog: Catalog) throws(StrataError) {
        if FileSystem.isRegularFileNoFollow(path + ".tmp") { FileSystem.removeFile(path + ".tmp") }
        let live = catalog.segmentFiles
        let segmentsDirectory = directory + "/segments"
        guard FileSystem.isDirectoryNoFollow(segmentsDirectory) else { return }
        for table in try FileSystem.listDirectory(segmentsDirectory) where Self.isTableDirectoryName(table) {
            let tableDirectory = segmentsDirectory + "/" + table
            guard FileSystem.isDirectoryNoFollow(tableDirectory) else { continue }
            for file in try FileSystem.listDirectory(tableDirectory) where Self.isSegmentFileName(file) {
                let relative = "segments/\(table)/\(file)"
                let full = tableDirectory + "/" + file
                if !live.contains(relative), FileSystem.isRegularFileNoFollow(full) { FileSystem.removeFile(full) }
            }
        }
    }

    private func corrupt(_ what: String) -> StrataError {
        StrataError(.corruption, "catalog is corrupt: \(what)", location: .init(file: path))
    }
}
