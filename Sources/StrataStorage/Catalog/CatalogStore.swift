import Foundation
public import StrataCore

/// Persists catalogs in a database directory.
///
/// The current catalog is the file `CATALOG`: a first line `strata-catalog <format> <crc32c hex>` and
/// the JSON body. Publishing writes `CATALOG.tmp`, fsyncs it, renames it over `CATALOG` and fsyncs the
/// directory, so a crash at any step leaves the previous or the next catalog, never a mix.
///
/// Each version is also written, before `CATALOG`, as a copy `CATALOG.<version>` (the newest
/// ``keptCopies`` are kept). A damaged `CATALOG` is read from the newest copy when that copy is
/// intact: it holds the same version, or the next one when a crash came between the two writes
/// (then its segments are on disk and the log records it holds are not retired yet). Older copies
/// are never used in its place: the log records and segments that lead from them to the damaged
/// version may be gone.
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

    /// Copies of recent versions kept beside `CATALOG`.
    public static let keptCopies = 3

    /// A catalog as read from disk.
    public struct LoadedCatalog: Sendable {
        public var catalog: Catalog
        /// Whether segment time ranges come from a format that could store them wrong (format 1).
        public var timeRangesNeedCheck: Bool
        /// When `CATALOG` was damaged and the catalog was read from a copy: what happened.
        public var fallback: String?
    }

    /// Loads the current catalog (an empty one for a new database), from its newest copy when
    /// `CATALOG` is damaged (see the type's documentation).
    /// - Throws: `corruption` when `CATALOG` is damaged and no usable copy exists, naming both.
    public func load() throws(StrataError) -> LoadedCatalog {
        let copies = copyVersions()
        guard FileSystem.fileExists(path) else {
            guard let newest = copies.last else {
                return LoadedCatalog(catalog: Catalog(), timeRangesNeedCheck: false)
            }
            return try loadCopy(newest, because: corrupt("the file is missing but copies of it exist"))
        }
        do {
            return try Self.decode(FileSystem.readFile(path), path: path)
        } catch {
            // A flipped format digit reads as `unsupported`: an intact copy of the same publish settles it.
            guard let newest = copies.last else { throw error }
            return try loadCopy(newest, because: error)
        }
    }

    private func loadCopy(_ version: UInt64, because damage: StrataError) throws(StrataError) -> LoadedCatalog {
        let copy = copyPath(version)
        do {
            var loaded = try Self.decode(FileSystem.readFile(copy), path: copy)
            loaded.fallback = "\(damage); read version \(version) from its copy \(copy)"
            return loaded
        } catch {
            if damage.code != .corruption { throw damage }
            throw StrataError(
                .corruption,
                "\(damage.message), and its newest copy is damaged too (\(error.message)); "
                    + "restore the database from a backup",
                location: damage.location)
        }
    }

    /// Decodes the bytes of a catalog file.
    /// - Throws: `corruption` naming `path`, `unsupported` for a newer format.
    public static func decode(_ bytes: [UInt8], path: String) throws(StrataError) -> LoadedCatalog {
        func corrupt(_ what: String) -> StrataError {
            StrataError(.corruption, "catalog is corrupt: \(what)", location: .init(file: path))
        }
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
        let catalog: Catalog
        do {
            catalog = try JSONDecoder().decode(Catalog.self, from: Data(body))
        } catch {
            throw corrupt("unreadable body (\(error))")
        }
        if let problem = problem(in: catalog) { throw corrupt(problem) }
        return LoadedCatalog(catalog: catalog, timeRangesNeedCheck: format == 1)
    }

    /// `CATALOG.<version>`
    func copyPath(_ version: UInt64) -> String { path + "." + String(version) }

    /// Versions of the copies on disk, ascending (only names Strata writes, regular files).
    func copyVersions() -> [UInt64] {
        let prefix = Self.fileName + "."
        let names = (try? FileSystem.listDirectory(directory)) ?? []
        return names.compactMap { name -> UInt64? in
            guard name.hasPrefix(prefix), let version = UInt64(name.dropFirst(prefix.count)),
                name == prefix + String(version), FileSystem.isRegularFileNoFollow(directory + "/" + name)
            else { return nil }
            return version
        }.sorted()
    }

    /// Problems `CATALOG` or its copies have (for verification): each file that fails to decode.
    public func damagedFiles() -> [StrataError] {
        var problems: [StrataError] = []
        for file in [path] + copyVersions().map(copyPath) where FileSystem.fileExists(file) {
            do {
                _ = try Self.decode(FileSystem.readFile(file), path: file)
            } catch {
                problems.append(error)
            }
        }
        return problems
    }

    /// Refuses paths Strata would not have written. The opener deletes and maps the files a catalog
    /// names (segments by path, dictionaries by table and column name), so a crafted path such as
    /// `../victim.txt` must never reach the file system. Counters are incremented on from what was read,
    /// so one near `UInt64.max` (never written) would trap: those are refused too.
    private static func problem(in catalog: Catalog) -> String? {
        let limit = WALRecord.maximumSequence
        guard catalog.version <= limit, catalog.nextSegmentNumber <= limit else {
            return "version or next segment number out of range"
        }
        for table in catalog.tables where (table.walCheckpoint ?? 0) > limit {
            return "log checkpoint of table '\(table.spec.name)' out of range"
        }
        for table in catalog.tables {
            let key = table.spec.name.lowercased()
            guard isTableDirectoryName(key) else { return "table name '\(table.spec.name)' is not valid" }
            for dimension in table.spec.dimensions where !isTableDirectoryName(dimension.name.lowercased()) {
                return "column name '\(dimension.name)' of table '\(table.spec.name)' is not valid"
            }
            for segment in table.segments
            where !isSegmentPath(segment.file) || !segment.file.hasPrefix("segments/\(key)/") {
                return "segment path '\(segment.file)' of table '\(table.spec.name)' is not of the form "
                    + "segments/\(key)/<digits>.seg"
            }
        }
        return nil
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
        let bytes = Array("strata-catalog \(Self.format) \(checksum)\n".utf8) + body
        // The copy first: `CATALOG` is never newer than the newest copy. Its directory entry is made
        // durable by the rename's directory sync below.
        let copy = copyPath(catalog.version)
        if FileSystem.isRegularFileNoFollow(copy) { FileSystem.removeFile(copy) }
        try FileSystem.writeNewFile(copy, bytes)
        try FileSystem.replaceAtomically(path, bytes)
        for version in copyVersions().dropLast(Self.keptCopies) { FileSystem.removeFile(copyPath(version)) }
    }

    /// Removes what a crash can leave behind: temporary files (never read) and segment files that no
    /// published catalog references (written before a publish that did not happen).
    ///
    /// Only names Strata writes are candidates (`CATALOG.tmp`, `segments/<table>/<digits>.seg`), and
    /// symbolic links are neither followed nor removed: a user's file in the database directory, or
    /// a table directory linked to somewhere else, is left alone.
    /// Copies newer than `catalog` are of publishes that did not happen; they go too.
    public func removeLeftovers(keeping catalog: Catalog) throws(StrataError) {
        if FileSystem.isRegularFileNoFollow(path + ".tmp") { FileSystem.removeFile(path + ".tmp") }
        for version in copyVersions() where version > catalog.version { FileSystem.removeFile(copyPath(version)) }
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
