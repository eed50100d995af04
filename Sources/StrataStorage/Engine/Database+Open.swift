public import StrataCore
import Synchronization

/// How a process uses a database directory.
public enum AccessMode: Sendable, Hashable {
    /// One writer per directory at a time (an exclusive lock): appends, ingest, flushes, DDL.
    case readWrite
    /// Any number of readers, beside one writer in another process: the last published catalog plus
    /// the records in the write-ahead log, as of the open. A reader never writes, creates, cuts or
    /// removes a file, so it also works on a full disk and a read-only file system.
    case readOnly
}

extension Database {
    /// Opens the database in `directory`.
    ///
    /// **Read-write** (the default) creates the directory if needed and recovers from any earlier
    /// crash: temporary files and unpublished segment files are removed, the last published catalog
    /// wins, and the write-ahead log is replayed into head segments. A torn record at the end of the
    /// newest log file (an append a crash cut short, never acknowledged) is cut off and reported in
    /// ``recoveryNotes``.
    ///
    /// Damage that no crash explains — a log record that fails its checksum with intact records after
    /// it, or damage in an older log file — is never cut silently: opening throws `corruption` naming
    /// the file and byte offset and changes nothing. ``repair(at:)`` (`strata repair`) then sets the
    /// damaged file aside, keeps its intact records and reports what was lost.
    ///
    /// **Read-only** (``AccessMode/readOnly``) takes no lock and never writes: it sees the state as of
    /// the open (a writer's later appends are not seen), skips a torn log tail (perhaps an append in
    /// progress) and refuses every change with `invalidArgument`.
    /// - Throws: `io` if the directory cannot be created or is locked by another writer, `notFound` if
    ///   a read-only open finds no database, `corruption` for a damaged catalog or log.
    public static func open(
        at directory: String, options: Options = Options(), mode: AccessMode = .readWrite
    ) throws(StrataError) -> Database {
        try validate(options)
        if mode == .readOnly { return try openReadOnly(at: directory, options: options) }
        try FileSystem.createDirectory(directory + "/segments")
        let lock = try DirectoryLock(directory: directory)
        let store = CatalogStore(directory: directory)
        let loaded = try store.load()
        let catalog = loaded.catalog
        try store.removeLeftovers(keeping: catalog)
        if loaded.fallback != nil { try store.publish(catalog) }
        let floor = catalog.tables.compactMap(\.walCheckpoint).max() ?? 0
        let (wal, recovery) = try WriteAheadLog.open(
            directory: directory + "/wal", mode: options.durability == .fsync ? .fsync : .buffered,
            sequenceFloor: floor, databaseHint: repairHint(directory))
        let db = Database(path: directory, options: options, lock: lock, store: store, catalog: catalog, wal: wal)
        if let fallback = loaded.fallback {
            db.notes.withLock { $0.append("\(fallback); CATALOG was rewritten from it") }
        }
        db.noteTornTails(recovery)
        for table in catalog.tables { db.openDictionariesIsolatingDamage(of: table) }
        if loaded.timeRangesNeedCheck { try db.recomputeTimeRanges() }
        try db.replay(recovery.records)
        db.retireLog()
        db.startTimer()
        return db
    }

    /// A reader does not lock, so a writer may publish a catalog, retire log files or remove compacted
    /// segments while it opens. It maps every segment the catalog names (a mapping outlives the file's
    /// removal) and checks that the catalog did not change meanwhile; if it did, it starts over. A segment
    /// that fails to open is left to report its error when it is read, as on a writer.
    /// - Parameter readingLog: `false` skips the log (``verify(at:options:)`` checks it separately, and
    ///   must reach the segments even when the log is damaged).
    private static func openReadOnly(at directory: String, options: Options, readingLog: Bool = true)
        throws(StrataError) -> Database
    {
        guard FileSystem.isDirectory(directory) else {
            throw StrataError(.notFound, "no database at '\(directory)'", location: .init(file: directory))
        }
        let store = CatalogStore(directory: directory)
        for _ in 0..<8 {
            let loaded = try store.load()
            let recovery =
                readingLog
                ? try WriteAheadLog.read(directory: directory + "/wal", databaseHint: repairHint(directory))
                : WriteAheadLog.Recovery()
            let db = Database(
                path: directory, options: options, lock: nil, store: store, catalog: loaded.catalog,
                // Replayed records are durable: the log stands in only to make them visible.
                wal: WriteAheadLog.inMemory(lastSequence: recovery.records.last?.sequence ?? 0), mode: .readOnly)
            if let fallback = loaded.fallback { db.notes.withLock { $0.append(fallback) } }
            db.noteTornTails(recovery)
            for table in loaded.catalog.tables {
                db.openDictionariesIsolatingDamage(of: table)
                for segment in table.segments { _ = try? db.reader(for: segment) }
            }
            // Changed meanwhile: a file it names may be gone because a writer moved on.
            guard try store.load().catalog.version == loaded.catalog.version else { continue }
            if loaded.timeRangesNeedCheck { try db.recomputeTimeRanges() }
            try db.replay(recovery.records)
            return db
        }
        throw StrataError(
            .io, "the database kept changing while it was opened read-only; try again",
            location: .init(file: directory))
    }

    static func repairHint(_ directory: String) -> String {
        "run `strata repair --db \(directory)` (or `Database.repair(at:)`) to set it aside, recover the intact "
            + "records and report what was lost"
    }

    private func noteTornTails(_ recovery: WriteAheadLog.Recovery) {
        let verb = mode == .readWrite ? "cut" : "skipped"
        notes.withLock { notes in
            for (file, dropped) in recovery.truncated {
                notes.append(
                    "\(verb) a torn record at the end of the write-ahead log \(file) (\(dropped) bytes of an append "
                        + "that a crash cut short; it was never acknowledged)")
            }
        }
    }

    /// Checks a database directory without opening it for writing: the catalog, every write-ahead
    /// log file (every damaged stretch, not only the first) and every checksum of every segment and
    /// table dictionary. Returns the problems found, empty when healthy; a torn log tail (what a crash
    /// leaves, cut on the next read-write open) is not a problem.
    public static func verify(at directory: String, options: Options = Options()) -> [StrataError] {
        var problems = CatalogStore(directory: directory).damagedFiles()
        do {
            for file in try WriteAheadLog.inspect(directory: directory + "/wal")
            where file.scan.damaged && !file.damageIsTornTail {
                problems.append(WriteAheadLog.damageError(file, databaseHint: repairHint(directory)))
            }
        } catch {
            problems.append(error)
        }
        do {
            try validate(options)
            problems += try openReadOnly(at: directory, options: options, readingLog: false).verify()
        } catch {
            problems.append(error)
        }
        return problems
    }

    /// What ``repair(at:options:)`` found and did.
    public struct RepairReport: Sendable, CustomStringConvertible {
        /// A log file with damage no crash explains: set aside, its intact records kept.
        public struct LogFile: Sendable {
            public var file: String
            /// Where the damaged original now lives.
            public var keptAt: String
            /// The byte ranges that held no intact record.
            public var damage: [Range<Int>]
            public var recoveredRecords: Int
            /// Records known to be lost (gaps in the sequence numbers around a damaged stretch).
            public var lostRecords: Int
            /// Whether a damaged stretch reaches the end of the file or covers its header, so that an
            /// unknown number of further records (at least one) was lost.
            public var lostUncounted: Bool
        }

        public var logFiles: [LogFile]
        /// Damage that remains after the repair (segments failing their checksums), from ``verify()``.
        public var remainingProblems: [StrataError]
        /// What opening the repaired database reported (see ``recoveryNotes``).
        public var notes: [String]

        /// Whether the database is whole again: nothing was lost and nothing remains damaged.
        public var isClean: Bool {
            remainingProblems.isEmpty && logFiles.allSatisfy { $0.lostRecords == 0 && !$0.lostUncounted }
        }

        public var description: String {
            var lines: [String] = []
            for file in logFiles {
                let ranges = file.damage.map { "\($0.lowerBound)..<\($0.upperBound)" }.joined(separator: ", ")
                var lost = "\(file.lostRecords) records lost"
                if file.lostUncounted { lost = "at least \(file.lostRecords + 1) records lost (the count is unknown)" }
                lines.append(
                    "write-ahead log \(file.file): damaged bytes \(ranges); \(file.recoveredRecords) intact records "
                        + "kept, \(lost); the damaged file is kept at \(file.keptAt)")
            }
            lines += notes
            for problem in remainingProblems { lines.append("still damaged: \(problem)") }
            if lines.isEmpty { lines.append("nothing to repair") }
            return lines.joined(separator: "\n")
        }
    }

    /// Recovers what can be recovered from damage that makes ``open(at:options:mode:)`` refuse the
    /// database, and says what was lost: every damaged write-ahead log file is moved to `wal/damaged/`
    /// (never deleted) and its intact records — before and after the damage — are written back in its
    /// place. The database is then opened (replaying the log), checked with ``verify()`` and closed.
    /// - Throws: `io` if the directory is locked by another process or cannot be written;
    ///   `corruption` for damage repair cannot handle (a damaged catalog).
    public static func repair(at directory: String, options: Options = Options()) throws(StrataError)
        -> RepairReport
    {
        try validate(options)
        guard FileSystem.isDirectory(directory) else {
            throw StrataError(.notFound, "no database at '\(directory)'", location: .init(file: directory))
        }
        let repaired: [WriteAheadLog.RepairedFile]
        do {
            let lock = try DirectoryLock(directory: directory)
            defer { withExtendedLifetime(lock) {} }
            repaired = try WriteAheadLog.repair(directory: directory + "/wal")
        }
        let db = try open(at: directory, options: options)
        let files = repaired.map { file in
            RepairReport.LogFile(
                file: file.file, keptAt: file.keptAt, damage: file.damage, recoveredRecords: file.recoveredRecords,
                lostRecords: file.lostRecords, lostUncounted: file.lostUncounted)
        }
        let report = RepairReport(logFiles: files, remainingProblems: db.verify(), notes: db.recoveryNotes)
        try db.close()
        return report
    }
}
