import ArgumentParser
import Foundation
import Strata
import StrataCore

/// `strata verify`: checks every checksum of a database without changing it.
struct VerifyCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "verify",
        abstract: "Check a database's catalog, write-ahead log, segments and dictionaries; change nothing.",
        discussion: """
            Opens the database read-only (it may be in use by a writer), reads every log record and every \
            segment block and checks their checksums. Prints each problem with its file and offset or block \
            and exits non-zero if there is any; `strata repair` recovers what a damaged log still holds.
            """
    )

    @Option(name: .long, help: "Database directory.")
    var db: String

    func run() throws {
        let problems = Database.verify(at: db)
        for problem in problems { FileHandle.standardError.write(Data("\(problem)\n".utf8)) }
        guard problems.isEmpty else {
            FileHandle.standardError.write(Data("\(problems.count) problem(s) found in \(db)\n".utf8))
            throw ExitCode.failure
        }
        print("ok: \(db) passed every check")
    }
}

/// `strata repair`: recovers what a damaged database still holds and reports what was lost.
struct RepairCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "repair",
        abstract: "Recover the intact records of a damaged write-ahead log and report what was lost.",
        discussion: """
            Takes the database's write lock. Every log file with damage that no crash explains is moved to \
            wal/damaged/ (never deleted) and its intact records, before and after the damage, are written \
            back; the database is then opened, its log replayed, and every checksum verified. Exits non-zero \
            if records were lost or damage remains.
            """
    )

    @Option(name: .long, help: "Database directory.")
    var db: String

    func run() throws {
        let report = try Database.repair(at: db)
        print(report.description)
        if !report.isClean { throw ExitCode.failure }
    }
}
