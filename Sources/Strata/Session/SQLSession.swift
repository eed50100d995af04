import Foundation
public import StrataCore
public import StrataPlanner
import StrataSQL
import Synchronization

/// An interactive SQL session over a database: what `strata repl` runs, usable from any front end.
///
/// Feed it lines with ``feed(_:)``; it collects a statement until a `;` that is not inside a string,
/// a quoted name or a comment, runs it and writes the result; lines starting with `.` (between
/// statements) are commands: `.tables`, `.schema TABLE`, `.mode table|csv|json`, `.timer on|off`,
/// `.explain [on|off|SQL]`, `.read FILE`, `.experiment E METRIC… [--option VALUE…]`, `.help`, `.quit`.
///
/// `SET memory_limit = '512MB'`, `SET timeout = '5s'` (or `statement_timeout`), `RESET …` and `SHOW …`
/// change ``options``, the limits every later statement runs under. ``cancel()`` (from any thread, e.g.
/// a SIGINT handler) stops the statement running now with a `cancelled` error.
public final class SQLSession: @unchecked Sendable {
    // Safety: the session is driven from one thread; only `cancel()` is called from others, and it
    // touches nothing but the mutex-guarded running context.
    public let database: Database
    /// How results are written.
    public var mode: ResultFormat = .table
    /// Whether each statement's time is written after its result.
    public var timer = false
    /// Whether statements are explained instead of run.
    public var explain = false
    /// The number of statements and commands that failed.
    public private(set) var failures = 0
    /// Whether `.quit` was given.
    public private(set) var finished = false
    /// Table mode shows at most this many rows.
    public var maxRows = 40
    /// The timeout and memory limit of each statement (set by `SET`, or by the front end's flags).
    public var options = QueryOptions()
    /// The limits ``options`` had when the session was made (or last given by the front end), restored
    /// by `RESET`.
    public var defaultOptions = QueryOptions()
    private let runningContext = Mutex<QueryContext?>(nil)

    let output: (String) -> Void
    private let errorOutput: (String) -> Void
    private var buffer = ""
    private var readDepth = 0

    /// - Parameters:
    ///   - database: The database statements run on.
    ///   - output: Receives results (text ending with a newline).
    ///   - errorOutput: Receives errors.
    ///   - options: The limits statements run under until a `SET` changes them (and after `RESET`).
    public init(
        database: Database, options: QueryOptions = QueryOptions(), output: @escaping (String) -> Void,
        errorOutput: @escaping (String) -> Void
    ) {
        self.database = database
        self.options = options
        self.defaultOptions = options
        self.output = output
        self.errorOutput = errorOutput
    }

    /// Stops the statement running now (if any) with a `cancelled` error; the session goes on. Safe to
    /// call from any thread.
    /// - Returns: Whether a statement was running.
    @discardableResult
    public func cancel() -> Bool {
        runningContext.withLock { context in
            context?.cancel()
            return context != nil
        }
    }

    /// Whether a statement is running now.
    public var isRunning: Bool { runningContext.withLock { $0 != nil } }

    /// Runs `body` with a fresh context from ``options``, reachable by ``cancel()`` while it runs.
    func running<T>(_ body: (QueryContext) throws(StrataError) -> T) throws(StrataError) -> T {
        let context = QueryContext(options: options)
        runningContext.withLock { $0 = context }
        defer { runningContext.withLock { $0 = nil } }
        return try body(context)
    }

    /// Whether a statement is partly typed (a continuation prompt is due).
    public var isContinuing: Bool { !Self.isBlank(buffer) }

    /// Handles one line of input.
    public func feed(_ line: String) {
        guard !finished else { return }
        if !isContinuing {
            buffer = ""  // blank lines between statements do not count in error positions
            let trimmed = line.trimmingCharacters(in: .whitespaces)
            if trimmed.hasPrefix(".") {
                command(trimmed)
                return
            }
        }
        buffer += line + "\n"
        while let end = Self.statementEnd(in: buffer) {
            let statement = String(buffer[..<end])
            buffer = String(buffer[buffer.index(after: end)...])
            run(statement)
            if finished { return }
        }
    }

    /// Drops a partly typed statement (Ctrl-C at a continuation prompt).
    public func discardStatement() {
        buffer = ""
    }

    /// Runs what is left in the buffer at the end of input, if it is more than blanks and comments.
    public func finish() {
        let rest = buffer
        buffer = ""
        if !Self.isBlank(rest) { run(rest) }
    }

    /// Runs one statement and writes its result (or error).
    public func run(_ statement: String) {
        guard !Self.isBlank(statement) else { return }
        if let parsed = try? SQLParser.parse(statement), parsed.isSetting, !Self.describesTable(parsed) {
            do {
                try setting(parsed, sql: statement)
            } catch {
                fail("\(error)")
            }
            return
        }
        var sql = statement
        if explain, !sql.trimmingCharacters(in: .whitespacesAndNewlines).lowercased().hasPrefix("explain") {
            sql = "EXPLAIN " + sql
        }
        let clock = ContinuousClock()
        let start = clock.now
        do {
            let options = options
            let result = try running { context throws(StrataError) in
                try database.query(sql, context: context, options: options)
            }
            let elapsed = start.duration(to: clock.now)
            if result.columnNames == ["plan"] {
                output(result.rows.map { $0[0].description }.joined(separator: "\n") + "\n")
            } else {
                output(result.rendered(as: mode, maxRows: maxRows))
            }
            if timer {
                let ms = Double(elapsed.components.seconds) * 1000 + Double(elapsed.components.attoseconds) * 1e-15
                output(String(format: "Run Time: %.3f ms\n", ms))
            }
        } catch {
            fail("\(error)")
        }
    }

    /// Whether `statement` is `SHOW t` for a name that is not a setting: the database describes the table.
    private static func describesTable(_ statement: SQLStatement) -> Bool {
        if case .show(let name) = statement { return !settingNames.contains(name.normalized) }
        return false
    }

    /// The settings `SET`, `RESET` and `SHOW` know.
    static let settingNames = ["memory_limit", "timeout", "statement_timeout"]

    /// Runs `SET`, `RESET` or `SHOW`.
    private func setting(_ statement: SQLStatement, sql: String) throws(StrataError) {
        let source = SQLSourceText(sql)
        func known(_ name: Identifier) throws(StrataError) -> String {
            let key = name.normalized
            guard Self.settingNames.contains(key) else {
                var message = "unknown setting '\(name.name)'; settings: " + Self.settingNames.joined(separator: ", ")
                if let s = NameSuggestion.closest(to: name.name, among: Self.settingNames) {
                    message = "unknown setting '\(name.name)'; did you mean '\(s)'?"
                }
                throw source.error(.binding, message, at: name.range)
            }
            return key
        }
        switch statement {
        case .set(let assignment):
            let key = try known(assignment.name)
            if assignment.isDefault {
                reset(key)
                return
            }
            do throws(StrataError) {
                if key == "memory_limit" {
                    options.memoryLimit = try QueryOptions.parseMemoryLimit(assignment.text)
                } else {
                    options.timeout = try QueryOptions.parseTimeout(assignment.text)
                }
            } catch {
                throw source.error(error.code, error.message, at: assignment.valueRange)
            }
        case .reset(let name):
            if let name { reset(try known(name)) } else { options = defaultOptions }
        case .show(let name):
            let key = try known(name)
            output(
                QueryResult(columns: [.init(name: key, type: .string)], rows: [[.string(settingText(key))]])
                    .rendered(as: mode, maxRows: maxRows))
        default:
            break
        }
    }

    private func reset(_ key: String) {
        if key == "memory_limit" {
            options.memoryLimit = defaultOptions.memoryLimit
        } else {
            options.timeout = defaultOptions.timeout
        }
    }

    /// A setting's value as `SHOW` writes it.
    func settingText(_ key: String) -> String {
        if key == "memory_limit" {
            let limit = options.memoryLimit ?? QueryContext.defaultMemoryLimit
            return limit == Int.max ? "none" : QueryContext.format(bytes: limit)
        }
        return options.timeout.map { QueryContext.format($0) } ?? "none"
    }

    func fail(_ message: String) {
        failures += 1
        errorOutput(message.hasSuffix("\n") ? message : message + "\n")
    }

    /// Handles a dot-command.
    public func command(_ line: String) {
        let parts = line.split(separator: " ", maxSplits: 1, omittingEmptySubsequences: true)
        let name = parts.first.map(String.init) ?? ""
        let argument = parts.count > 1 ? parts[1].trimmingCharacters(in: .whitespaces) : ""
        switch name {
        case ".quit", ".exit":
            finished = true
        case ".help":
            output(Self.help)
        case ".tables":
            let names = database.tableNames
            output(names.isEmpty ? "(no tables)\n" : names.joined(separator: "\n") + "\n")
        case ".schema":
            schema(argument)
        case ".mode":
            guard let format = ResultFormat(rawValue: argument.lowercased()) else {
                fail(".mode needs one of: table, csv, json")
                return
            }
            mode = format
        case ".timer":
            guard let on = Self.onOff(argument) else {
                fail(".timer needs on or off")
                return
            }
            timer = on
        case ".explain":
            if argument.isEmpty {
                explain.toggle()
                output("explain \(explain ? "on" : "off")\n")
            } else if let on = Self.onOff(argument) {
                explain = on
            } else {
                var sql = argument
                if sql.hasSuffix(";") { sql.removeLast() }
                let saved = explain
                explain = true
                run(sql)
                explain = saved
            }
        case ".read":
            read(argument)
        case ".experiment":
            experiment(argument)
        default:
            fail("unknown command '\(name)'; .help lists the commands")
        }
    }

    private func schema(_ table: String) {
        let names = table.isEmpty ? database.tableNames : [table]
        for name in names {
            do {
                let spec = try database.table(named: name).spec
                var lines = [
                    "\(spec.name): " + (spec.hasTime ? "\(spec.segmentGranularity.rawValue) segments" : "no time column")
                ]
                for column in spec.visibleColumns {
                    let role: String =
                        switch column.role {
                        case .time: "time"
                        case .dimension: "dimension"
                        case .metric: "metric"
                        case .aggregate(let kind, _): "rollup \(kind)"
                        }
                    let type = SQLValueType(column.type).description
                    lines.append(
                        "  \(column.name)  \(type)  \(role)\(column.nullable ? "" : "  NOT NULL")")
                }
                output(lines.joined(separator: "\n") + "\n")
            } catch {
                fail("\(error)")
            }
        }
    }

    private func read(_ path: String) {
        guard !path.isEmpty else {
            fail(".read needs a file name")
            return
        }
        guard readDepth < 16 else {
            fail(".read nests too deeply")
            return
        }
        guard let data = FileManager.default.contents(atPath: path) else {
            fail("cannot read '\(path)'")
            return
        }
        let saved = buffer
        buffer = ""
        readDepth += 1
        defer {
            readDepth -= 1
            buffer = saved
        }
        for line in String(decoding: data, as: UTF8.self).split(separator: "\n", omittingEmptySubsequences: false) {
            feed(String(line))
            if finished { return }
        }
        finish()
    }

    static func onOff(_ text: String) -> Bool? {
        switch text.lowercased() {
        case "on", "true", "1": true
        case "off", "false", "0": false
        default: nil
        }
    }

    static let help = """
        Statements end with ';' and may span lines. Commands:
          .tables               list the tables
          .schema [TABLE]       show a table's columns
          .mode table|csv|json  how results are written
          .timer on|off         show each statement's time
          .explain [on|off]     show plans instead of results (toggles without an argument)
          .explain SQL          show one statement's plan
          .read FILE            run the statements and commands in a file
          .experiment E METRIC... [--window 0d..14d] [--cap 0.99] [--cuped 7d] [--table T] [--format json]
                                analyse experiment E: METRIC as in strata experiment --metric,
                                e.g. converted=binomial(event = 'purchase') revenue=sum(revenue) cap=0.99;
                                also --baseline, --breakdown, --alpha, --sequential, --correction holm|bh
          SET memory_limit = '512MB'   limit each statement's memory (default 80% of RAM; 'none')
          SET timeout = '5s'           limit each statement's time (also statement_timeout; 'none')
          RESET name | ALL, SHOW name  back to the default; show a setting
          Ctrl-C                cancel the running statement (at the prompt: Ctrl-C twice or Ctrl-D leaves)
          .help                 this text
          .quit                 leave

        """

    /// The index of the first `;` that ends a statement (not inside quotes or comments), if any.
    static func statementEnd(in text: String) -> String.Index? {
        var index = text.startIndex
        var quote: Character?
        var lineComment = false
        var blockComment = false
        while index < text.endIndex {
            let c = text[index]
            let next = text.index(after: index)
            let following: Character? = next < text.endIndex ? text[next] : nil
            if lineComment {
                if c == "\n" { lineComment = false }
            } else if blockComment {
                if c == "*", following == "/" {
                    blockComment = false
                    index = text.index(after: next)
                    continue
                }
            } else if let open = quote {
                if c == open { quote = nil }  // a doubled quote closes and reopens: same effect
            } else if c == "'" || c == "\"" {
                quote = c
            } else if c == "-", following == "-" {
                lineComment = true
            } else if c == "/", following == "*" {
                blockComment = true
            } else if c == ";" {
                return index
            }
            index = next
        }
        return nil
    }

    /// Whether the text holds only blanks, `;` and comments.
    static func isBlank(_ text: String) -> Bool {
        var rest = Substring(text)
        while true {
            rest = rest.drop { $0.isWhitespace || $0 == ";" }
            if rest.hasPrefix("--") {
                rest = rest.drop { $0 != "\n" }
            } else if rest.hasPrefix("/*") {
                guard let end = rest.range(of: "*/") else { return false }
                rest = rest[end.upperBound...]
            } else {
                return rest.isEmpty
            }
        }
    }
}
