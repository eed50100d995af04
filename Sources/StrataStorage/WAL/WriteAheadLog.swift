import Foundation
public import StrataCore
public import Synchronization

#if canImport(Glibc)
    import Glibc
#elseif canImport(Musl)
    import Musl
#elseif canImport(Darwin)
    import Darwin
#endif

/// The write-ahead log of a database: appends are written here before they are acknowledged, and
/// replayed on open.
///
/// Records carry a log sequence number (LSN) that increases across files and restarts. The log is
/// a series of files in `wal/`; a new file is started on open and by ``rotate()``, and a file is
/// deleted by ``retire(where:)`` once every record in it is held by published segments.
///
/// **Durability.** With ``SyncMode/fsync`` an append returns once its record is on stable storage.
/// Concurrent appenders share fsyncs (group commit): the first appender that needs a sync becomes the
/// leader and syncs everything written so far, outside the lock; appenders arriving meanwhile
/// write their records and wait; when the leader is done, those whose records it covered return and
/// the next one that still needs a sync leads. With ``SyncMode/buffered`` records are written to
/// the operating system (they survive a killed process) but synced only by ``rotate()``,
/// ``sync()`` and ``close()``: a power loss can drop what was appended since.
///
/// **Failure.** A failed write is cut back off the file; a failed sync leaves the log's state on
/// disk unknown, so the log refuses further appends (reopen the database to recover from disk).
public final class WriteAheadLog: @unchecked Sendable {
    public enum SyncMode: Sendable, Hashable {
        /// Sync before acknowledging (group commit).
        case fsync
        /// Write without syncing; sync on rotation, ``sync()`` and ``close()``.
        case buffered
    }

    /// The log directory, or `nil` for a log that only numbers appends (in-memory databases).
    public let directory: String?
    public let mode: SyncMode
    /// Number of data syncs issued (group commit makes it smaller than the number of appends).
    public let syncCount = Atomic<Int>(0)
    /// Number of records appended since open.
    public let appendCount = Atomic<Int>(0)

    // `condition` guards everything below.
    private let condition = NSCondition()
    private var file: WALFileHandle?
    private var fileNumber: UInt64
    private var fileBytes = WALFile.headerSize
    /// Per table (lowercased name): the newest sequence number in the current file.
    private var fileTables: [String: UInt64] = [:]
    private var closedFiles: [(number: UInt64, tables: [String: UInt64])] = []
    private var lastSequence: UInt64
    private var writtenSequence: UInt64
    private var syncedSequence: UInt64
    private var syncing = false
    private var failure: StrataError?
    private var isClosed = false
    /// Appends up to this sequence are durable per the mode (and may be shown to readers).
    private let durable: Atomic<UInt64>

    private init(directory: String?, mode: SyncMode, fileNumber: UInt64, lastSequence: UInt64) {
        self.directory = directory
        self.mode = mode
        self.fileNumber = fileNumber
        self.lastSequence = lastSequence
        self.writtenSequence = lastSequence
        self.syncedSequence = lastSequence
        self.durable = Atomic(lastSequence)
    }

    /// A log without files: it numbers appends (after `lastSequence`) and acknowledges them at once.
    public static func inMemory(lastSequence: UInt64 = 0) -> WriteAheadLog {
        WriteAheadLog(directory: nil, mode: .buffered, fileNumber: 0, lastSequence: lastSequence)
    }

    /// What opening a log found on disk.
    public struct Recovery: Sendable {
        /// Every intact record, in sequence order.
        public var records: [WALRecord] = []
        /// Torn tails: bytes after the last intact record of the newest file, left by an append that a
        /// crash cut short (never acknowledged). A writer cuts them off; a reader skips them.
        public var truncated: [(file: String, droppedBytes: Int)] = []

        public init() {}
    }

    /// One log file as read from disk.
    public struct FileScan: Sendable {
        public var number: UInt64
        public var path: String
        public var scan: WALFile.Scan
        /// Whether it is the newest file (the only one an interrupted append can have left torn).
        public var isNewest: Bool

        /// Whether its damage is only what a crash leaves: a torn tail of the newest file.
        public var damageIsTornTail: Bool { isNewest && scan.damageIsTornTail }

        /// The damaged byte ranges, for messages.
        public var damageDescription: String {
            scan.damage.map { "bytes \($0.lowerBound)..<\($0.upperBound)" }.joined(separator: ", ")
        }
    }

    /// Reads every log file in `directory` without changing anything. A file removed while it is
    /// being listed (a writer retiring it) is skipped.
    /// - Throws: `io` if the directory or a file cannot be read.
    public static func inspect(directory: String) throws(StrataError) -> [FileScan] {
        guard FileSystem.isDirectoryNoFollow(directory) else { return [] }
        let names = try FileSystem.listDirectory(directory).compactMap { name in
            WALFile.number(of: name).map { (name, $0) }
        }.sorted { $0.1 < $1.1 }
        var files: [FileScan] = []
        for (name, number) in names {
            let path = directory + "/" + name
            guard FileSystem.isRegularFileNoFollow(path) else { continue }
            let bytes: [UInt8]
            do {
                bytes = try FileSystem.readFile(path)
            } catch  where !FileSystem.fileExists(path) {
                continue
            }
            let scan = bytes.withUnsafeBytes { WALFile.scan($0) }
            files.append(FileScan(number: number, path: path, scan: scan, isNewest: false))
        }
        if !files.isEmpty { files[files.count - 1].isNewest = true }
        return files
    }

    /// The `corruption` error for damage in `file` that no crash explains.
    public static func damageError(_ file: FileScan, databaseHint: String) -> StrataError {
        let first = file.scan.damage.first ?? 0..<0
        let lost =
            file.scan.records.isEmpty
            ? "no intact record in the file" : "\(file.scan.records.count) intact records around the damage"
        return StrataError(
            .corruption,
            "write-ahead log \(file.path) is damaged at byte \(first.lowerBound) (\(file.damageDescription) "
                + "unreadable; \(lost)): acknowledged appends may be lost. Nothing was changed; "
                + databaseHint,
            location: .init(file: file.path, offset: first.lowerBound))
    }

    /// The records of every log file, checked: damage other than a torn tail of the newest file throws.
    static func collect(_ files: [FileScan], databaseHint: String) throws(StrataError) -> Recovery {
        var recovery = Recovery()
        for file in files {
            if file.scan.damaged {
                guard file.damageIsTornTail else { throw damageError(file, databaseHint: databaseHint) }
                recovery.truncated.append((file.path, file.scan.byteCount - file.scan.validLength))
            }
            recovery.records += file.scan.records
        }
        recovery.records.sort { $0.sequence < $1.sequence }
        return recovery
    }

    /// Reads the log in `directory` as a reader beside a writer would: nothing is created, cut or
    /// removed, and a torn tail of the newest file (perhaps an append in progress) is skipped.
    /// - Throws: `corruption` for damage a crash cannot leave; `io` if a file cannot be read.
    public static func read(directory: String, databaseHint: String) throws(StrataError) -> Recovery {
        try collect(inspect(directory: directory), databaseHint: databaseHint)
    }

    /// Opens the log in `directory` (creating it): reads every log file, cuts a torn tail off the newest
    /// one (reported in ``Recovery/truncated``), and starts a new file for appends.
    ///
    /// Damage anywhere else — a bad record followed by intact ones, a damaged older file, a bad
    /// header on a file that holds records — is not what a crash leaves: it throws `corruption`
    /// naming the file and offset and changes nothing (``repair(directory:)`` sets such a file
    /// aside and keeps its intact records).
    /// - Parameters:
    ///   - sequenceFloor: numbers at or below it are taken (by records already in published
    ///     segments); new appends get higher ones even if no log file remains.
    ///   - databaseHint: what the error tells the user to do (e.g. run `strata repair`).
    /// - Throws: `corruption` as above; `io` if the directory or a file cannot be read, cut or created.
    public static func open(
        directory: String, mode: SyncMode, sequenceFloor: UInt64, databaseHint: String = ""
    ) throws(StrataError) -> (WriteAheadLog, Recovery) {
        try FileSystem.createDirectory(directory)
        let files = try inspect(directory: directory)
        let recovery = try collect(files, databaseHint: databaseHint)
        var closed: [(number: UInt64, tables: [String: UInt64])] = []
        var last = sequenceFloor
        for file in files {
            if file.scan.records.isEmpty {
                FileSystem.removeFile(file.path)
                continue
            }
            if file.scan.damaged { try FileSystem.truncate(file.path, length: file.scan.validLength) }
            var tables: [String: UInt64] = [:]
            for record in file.scan.records {
                let key = record.table.lowercased()
                tables[key] = max(tables[key] ?? 0, record.sequence)
                last = max(last, record.sequence)
            }
            closed.append((file.number, tables))
        }
        let lastNumber = files.last?.number ?? 0
        let log = WriteAheadLog(directory: directory, mode: mode, fileNumber: lastNumber + 1, lastSequence: last)
        log.closedFiles = closed
        log.file = try WALFileHandle(creating: directory + "/" + WALFile.name(lastNumber + 1))
        return (log, recovery)
    }

    /// What ``repair(directory:)`` did to one damaged file.
    public struct RepairedFile: Sendable {
        public var file: String
        /// Where the damaged original now lives.
        public var keptAt: String
        /// The byte ranges that held no intact record.
        public var damage: [Range<Int>]
        public var recoveredRecords: Int
        /// Records known to be lost: the gaps in the sequence numbers of the intact records on both
        /// sides of a damaged stretch (a file's records are numbered consecutively).
        public var lostRecords: Int
        /// Whether a damaged stretch reaches the end of the file or covers its header, so that an
        /// unknown number of records (at least one) is lost beyond ``lostRecords``.
        public var lostUncounted: Bool
    }

    /// Sets every damaged log file aside in `wal/damaged/` and writes its intact records back under
    /// its name, so that the log opens again; a torn tail of the newest file is left for the next
    /// open to cut. Caller holds the database's lock.
    public static func repair(directory: String) throws(StrataError) -> [RepairedFile] {
        var repaired: [RepairedFile] = []
        for file in try inspect(directory: directory) where file.scan.damaged && !file.damageIsTornTail {
            let asideDirectory = directory + "/damaged"
            try FileSystem.createDirectory(asideDirectory)
            var aside = asideDirectory + "/" + WALFile.name(file.number)
            var n = 1
            while FileSystem.fileExists(aside) {
                aside = asideDirectory + "/" + WALFile.name(file.number) + ".\(n)"
                n += 1
            }
            try FileSystem.moveFile(file.path, to: aside)
            if !file.scan.records.isEmpty {
                var bytes = WALFile.header
                for record in file.scan.records {
                    var framed = WALRecord.encode(table: record.table, columns: record.columns)
                    WALRecord.stamp(&framed, sequence: record.sequence)
                    bytes += framed
                }
                try FileSystem.writeNewFile(file.path, bytes)
            }
            try FileSystem.syncDirectory(containing: file.path)
            let (lost, uncounted) = losses(in: file.scan)
            repaired.append(
                RepairedFile(
                    file: file.path, keptAt: aside, damage: file.scan.damage,
                    recoveredRecords: file.scan.records.count, lostRecords: lost, lostUncounted: uncounted))
        }
        return repaired
    }

    /// Records lost in the damaged stretches of `scan`: counted from the sequence numbers on both
    /// sides, uncounted where a stretch has no intact record after it (or before it, at the header).
    static func losses(in scan: WALFile.Scan) -> (counted: Int, uncounted: Bool) {
        var counted = 0
        var uncounted = false
        for range in scan.damage {
            let before = scan.recordOffsets.lastIndex { $0 < range.lowerBound }
            let after = scan.recordOffsets.firstIndex { $0 >= range.upperBound }
            guard let before, let after else {
                uncounted = true
                continue
            }
            // Sequences increase within a scan and stay below `maximumSequence` (2^62): no overflow.
            counted += Int(scan.records[after].sequence - scan.records[before].sequence) - 1
        }
        return (counted, uncounted)
    }

    /// The newest sequence number whose append is durable (per the mode): appends up to it may be read.
    public var durableSequence: UInt64 { durable.load(ordering: .acquiring) }

    /// The newest sequence number handed out.
    public var assignedSequence: UInt64 {
        condition.lock()
        defer { condition.unlock() }
        return lastSequence
    }

    /// Log files still on disk (for tests and statistics).
    public var fileCount: Int {
        condition.lock()
        defer { condition.unlock() }
        return closedFiles.count + (file == nil ? 0 : 1)
    }

    /// Appends one record made by ``WALRecord/encode(table:columns:)`` and returns once it is durable
    /// per the mode.
    ///
    /// `whileLocked` runs after the record is written and before any later record is: it receives
    /// the record's sequence number, so that what it publishes (head segments) is ordered like the
    /// log. What it publishes must stay hidden from readers until ``durableSequence`` reaches that
    /// number.
    /// - Throws: `io` if writing or syncing fails or the log is closed; nothing is published then,
    ///   except when the sync fails, where the record stays hidden (its sequence never becomes durable).
    @discardableResult
    public func append(_ record: inout [UInt8], table: String, whileLocked: (UInt64) -> Void) throws(StrataError)
        -> UInt64
    {
        condition.lock()
        defer { condition.unlock() }
        if let failure { throw failure }
        guard !isClosed else { throw StrataError(.invalidArgument, "the database is closed") }
        let sequence = lastSequence + 1
        if let file {
            WALRecord.stamp(&record, sequence: sequence)
            do {
                try file.write(record)
            } catch {
                // Cut a partial record off, so later records stay readable; if that fails, stop.
                if !file.truncate(to: fileBytes) {
                    failure = StrataError(.io, "write-ahead log write failed and could not be undone: \(error.message)")
                }
                throw error
            }
            fileBytes += record.count
            fileTables[table.lowercased()] = sequence
        }
        lastSequence = sequence
        whileLocked(sequence)
        writtenSequence = sequence
        appendCount.add(1, ordering: .relaxed)
        guard file != nil, mode == .fsync else {
            durable.store(sequence, ordering: .releasing)
            return sequence
        }
        while syncedSequence < sequence {
            if let failure { throw failure }
            if syncing {
                condition.wait()
                continue
            }
            // Lead: sync everything written so far, without holding the lock.
            syncing = true
            let target = writtenSequence
            let handle = file!
            condition.unlock()
            let code = handle.sync()
            syncCount.add(1, ordering: .relaxed)
            condition.lock()
            syncing = false
            if code == 0 {
                markSynced(through: target)
            } else {
                failure = FileSystem.ioError("fsync write-ahead log", handle.path, errno: code)
            }
            condition.broadcast()
        }
        return sequence
    }

    /// Caller holds the lock.
    private func markSynced(through sequence: UInt64) {
        if sequence > syncedSequence { syncedSequence = sequence }
        if syncedSequence > durable.load(ordering: .relaxed) { durable.store(syncedSequence, ordering: .releasing) }
    }

    /// Syncs everything written so far (in either mode).
    public func sync() throws(StrataError) {
        condition.lock()
        defer { condition.unlock() }
        try syncLocked()
    }

    private func syncLocked() throws(StrataError) {
        if let failure { throw failure }
        guard let file, syncedSequence < writtenSequence else {
            markSynced(through: writtenSequence)
            return
        }
        let code = file.sync()
        syncCount.add(1, ordering: .relaxed)
        guard code == 0 else {
            failure = FileSystem.ioError("fsync write-ahead log", file.path, errno: code)
            condition.broadcast()
            throw failure!
        }
        markSynced(through: writtenSequence)
        condition.broadcast()
    }

    /// Syncs the current file and starts a new one, so that the records written so far can be
    /// retired as a whole once flushed. Does nothing when the current file holds no record.
    public func rotate() throws(StrataError) {
        condition.lock()
        defer { condition.unlock() }
        guard let directory, !isClosed, !fileTables.isEmpty else { return }
        try syncLocked()
        let next = try WALFileHandle(creating: directory + "/" + WALFile.name(fileNumber + 1))
        closedFiles.append((fileNumber, fileTables))
        file = next
        fileNumber += 1
        fileBytes = WALFile.headerSize
        fileTables = [:]
    }

    /// Deletes the closed log files all of whose records are flushed.
    /// - Parameter isFlushed: whether the records of a table (lowercased name) up to a sequence number
    ///   are held by published segments (or no longer needed: the table was dropped).
    public func retire(where isFlushed: (String, UInt64) -> Bool) {
        guard let directory else { return }
        condition.lock()
        var retired: [UInt64] = []
        closedFiles.removeAll { file in
            let done = file.tables.allSatisfy { isFlushed($0.key, $0.value) }
            if done { retired.append(file.number) }
            return done
        }
        condition.unlock()
        for number in retired { FileSystem.removeFile(directory + "/" + WALFile.name(number)) }
    }

    /// Syncs and closes the log; later appends fail. The current file is kept if it holds records.
    public func close() throws(StrataError) {
        condition.lock()
        defer { condition.unlock() }
        guard !isClosed else { return }
        defer {
            isClosed = true
            if let directory, fileTables.isEmpty, failure == nil {
                FileSystem.removeFile(directory + "/" + WALFile.name(fileNumber))
            }
            file = nil
            condition.broadcast()
        }
        if failure == nil { try syncLocked() }
    }
}
