import ArgumentParser
import Dispatch
import Foundation
import Strata
import StrataCore
import Synchronization

/// `strata repl`: an interactive SQL shell; reads statements from a pipe too.
struct ReplCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "repl",
        abstract: "An interactive SQL shell on a database (statements end with ';', .help lists commands).",
        discussion: """
            When stdin is not a terminal, no prompts are printed and the exit status is non-zero if any \
            statement or command failed. On a terminal, lines are kept in ~/.strata_history. Ctrl-C cancels \
            the running statement ("cancelled") and keeps the shell; at the prompt it drops the line typed, and \
            a second Ctrl-C (or Ctrl-D) leaves. SET memory_limit = '512MB' and SET timeout = '5s' change the \
            limits that --memory-limit and --timeout set.
            """
    )

    @Option(name: .long, help: "Database directory (created if missing).")
    var db: String

    @OptionGroup var limits: LimitOptions

    /// Opens for writing, or read-only beside another process that writes the database.
    static func open(_ db: String) throws(StrataError) -> Database {
        switch Result(catching: { () throws(StrataError) in try Database.open(at: db) }) {
        case .success(let database):
            return database
        case .failure(let error):
            guard error.code == .io, error.message.contains("in use") else { throw error }
            FileHandle.standardError.write(Data("note: \(db) is in use by a writer; opened read-only\n".utf8))
            return try Database.open(at: db, mode: .readOnly)
        }
    }

    func run() throws {
        // Ctrl-C: the default action would kill the shell; a signal source (below) hands it to a queue instead.
        signal(SIGINT, SIG_IGN)
        let database = try Self.open(db)
        for note in database.recoveryNotes { FileHandle.standardError.write(Data("note: \(note)\n".utf8)) }
        let interactive = isatty(STDIN_FILENO) != 0
        let session = SQLSession(
            database: database, options: try limits.queryOptions(),
            output: { text in FileHandle.standardOutput.write(Data(text.utf8)) },
            errorOutput: { text in FileHandle.standardError.write(Data(text.utf8)) })
        let history = interactive ? LineHistory(path: NSHomeDirectory() + "/.strata_history") : nil
        if interactive {
            print(
                "Strata SQL on \(db): \(database.tableNames.count) table(s). Statements end with ';'. .help for help.")
        }
        let interrupts = Interrupts()
        let source = DispatchSource.makeSignalSource(signal: SIGINT, queue: .global())
        source.setEventHandler {
            if session.cancel() {
                interrupts.count.store(0, ordering: .relaxed)
                return
            }
            if interrupts.count.wrappingAdd(1, ordering: .relaxed).newValue >= 2 {
                FileHandle.standardOutput.write(Data("\n".utf8))
                Foundation.exit(0)
            }
            if interactive {
                FileHandle.standardOutput.write(Data("\n(Ctrl-C again or Ctrl-D to leave)\nstrata> ".utf8))
            }
        }
        source.resume()
        while !session.finished {
            if interactive {
                FileHandle.standardOutput.write(Data((session.isContinuing ? "   ...> " : "strata> ").utf8))
            }
            guard let line = readLine(strippingNewline: true) else { break }
            if interrupts.count.exchange(0, ordering: .relaxed) > 0 {
                session.discardStatement()  // Ctrl-C dropped what was typed before it
            }
            history?.append(line)
            session.feed(line)
        }
        source.cancel()
        session.finish()
        if interactive { print("") }
        if session.failures > 0, !interactive { throw ExitCode.failure }
    }
}

/// Ctrl-C presses at the prompt since the last line was entered.
final class Interrupts: Sendable {
    let count = Atomic<Int>(0)
}

/// Appends entered lines to a history file (the terminal's own line editing does the rest).
final class LineHistory {
    let path: String

    init(path: String) { self.path = path }

    func append(_ line: String) {
        guard !line.trimmingCharacters(in: .whitespaces).isEmpty else { return }
        if let handle = FileHandle(forWritingAtPath: path) {
            handle.seekToEndOfFile()
            handle.write(Data((line + "\n").utf8))
            try? handle.close()
        } else {
            _ = FileManager.default.createFile(atPath: path, contents: Data((line + "\n").utf8))
        }
    }
}
