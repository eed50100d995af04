import ArgumentParser
import Foundation
import Strata
import StrataCore

/// `strata repl`: an interactive SQL shell; reads statements from a pipe too.
struct ReplCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "repl",
        abstract: "An interactive SQL shell on a database (statements end with ';', .help lists commands).",
        discussion: """
            When stdin is not a terminal, no prompts are printed and the exit status is non-zero if any \
            statement or command failed. On a terminal, lines are kept in ~/.strata_history.
            """
    )

    @Option(name: .long, help: "Database directory (created if missing).")
    var db: String

    func run() throws {
        let database = try Database.open(at: db)
        let interactive = isatty(STDIN_FILENO) != 0
        let session = SQLSession(
            database: database,
            output: { text in FileHandle.standardOutput.write(Data(text.utf8)) },
            errorOutput: { text in FileHandle.standardError.write(Data(text.utf8)) })
        let history = interactive ? LineHistory(path: NSHomeDirectory() + "/.strata_history") : nil
        if interactive {
            print(
                "Strata SQL on \(db): \(database.tableNames.count) table(s). Statements end with ';'. .help for help.")
        }
        while !session.finished {
            if interactive {
                FileHandle.standardOutput.write(Data((session.isContinuing ? "   ...> " : "strata> ").utf8))
            }
            guard let line = readLine(strippingNewline: true) else { break }
            history?.append(line)
            session.feed(line)
        }
        session.finish()
        if interactive { print("") }
        if session.failures > 0, !interactive { throw ExitCode.failure }
    }
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
            FileManager.default.createFile(atPath: path, contents: Data((line + "\n").utf8))
        }
    }
}
