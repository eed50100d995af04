import Foundation
import Strata
import StrataCore
import StrataTestSupport
import Testing

/// Issue 15's fuzz crashers: a flat chain of ~2,350 `OR` or `+` terms overflowed the stack in the recursive
/// binder and evaluator. The parser now bounds the depth of the expression tree at 128 levels; these run
/// every query through `db.query` on a thread with an 8 MB stack (Linux's default, macOS's main thread), so
/// a limit too generous for a debug build fails here as a crash rather than in a user's process. (A 512 KB
/// secondary thread holds only ~20 levels in a debug build: the binder's frames are the follow-up.)
@Suite("SQL: expression depth is bounded, so long chains are a limit error, not a crash")
struct SQLExpressionDepthTests {
    /// The deepest tree the parser accepts.
    static let maximumDepth = 128

    /// `term op term op …` with `count` terms: a left-deep tree of `count - 1` operator nodes over the terms.
    static func chain(_ term: String, _ op: String, count: Int) -> String {
        Array(repeating: term, count: count).joined(separator: " \(op) ")
    }

    /// Runs `sql` on a fresh thread with an 8 MB stack and returns its result or error; Swift Testing's own
    /// threads have no stack size to rely on.
    static func queryOnThread(_ sql: String) -> Result<QueryResult, StrataError> {
        let database = SQLTestTable.database
        let box = ResultBox()
        let done = DispatchSemaphore(value: 0)
        let thread = Thread {
            box.result = Result { () throws(StrataError) in try database.query(sql) }
            done.signal()
        }
        thread.stackSize = 8 << 20
        thread.start()
        done.wait()
        return box.result ?? .failure(StrataError(.internal, "the query thread did not finish"))
    }

    /// Carries the result out of the thread; the semaphore orders the write before the read.
    final class ResultBox: @unchecked Sendable {
        var result: Result<QueryResult, StrataError>?
    }

    struct Case: CustomTestStringConvertible, Sendable {
        let name: String
        /// The query with the chain at exactly `maximumDepth` levels.
        let sql: @Sendable (Int) -> String
        /// How many chain terms make a tree of `depth` levels.
        let terms: @Sendable (Int) -> Int
        let expected: Value
        var testDescription: String { name }
    }

    // `cohort = 1` is 2 levels, so n terms joined by OR are n + 1 levels; `1 + 1 + …` with n terms is n.
    static let cases: [Case] = [
        Case(
            name: "OR chain in WHERE",
            sql: { "SELECT count(*) > 0 FROM events WHERE " + chain("cohort = cohort", "OR", count: $0) },
            terms: { $0 - 1 }, expected: .bool(true)),
        Case(
            name: "AND chain in WHERE",
            sql: { "SELECT count(*) > 0 FROM events WHERE " + chain("cohort = cohort", "AND", count: $0) },
            terms: { $0 - 1 }, expected: .bool(true)),
        Case(
            name: "constant + chain", sql: { "SELECT " + chain("1", "+", count: $0) }, terms: { $0 },
            expected: .int64(Int64(maximumDepth))),
        Case(
            name: "+ chain over a column, per row",
            sql: { "SELECT max(" + chain("cohort * 0", "+", count: $0) + ") FROM events" },
            // `max(…)` adds a level and `cohort * 0` is 2.
            terms: { $0 - 2 }, expected: .int64(0)),
        Case(
            name: "|| chain over a column, per row",
            sql: { "SELECT max(length(" + chain("'x'", "||", count: $0) + ")) FROM events" },
            terms: { $0 - 2 }, expected: .int64(Int64(maximumDepth - 2))),
    ]

    @Test("a chain at the largest allowed depth parses, binds, plans and runs", arguments: cases)
    func largestAllowed(_ c: Case) throws {
        let sql = c.sql(c.terms(Self.maximumDepth))
        let result = try Self.queryOnThread(sql).get()
        #expect(result.rows.first?.first == c.expected)
    }

    @Test("one level more is a limit error", arguments: cases)
    func oneTooDeep(_ c: Case) throws {
        let sql = c.sql(c.terms(Self.maximumDepth + 1))
        let error = try #require(Self.queryOnThread(sql).failureError)
        #expect(error.code == .limit)
        #expect(error.message.contains("too deep"))
    }

    struct Chain: CustomTestStringConvertible, Sendable {
        let name: String
        let sql: String
        var testDescription: String { name }
    }

    @Test(
        "the 5,000-term chains from the fuzzer are a limit error, not a crash",
        arguments: [
            Chain(name: "OR", sql: "SELECT 1 FROM events WHERE " + chain("cohort = 1", "OR", count: 5000)),
            Chain(name: "+", sql: "SELECT " + chain("1", "+", count: 5000)),
            Chain(name: "||", sql: "SELECT " + chain("country", "||", count: 5000) + " FROM events"),
            Chain(
                name: "+ in an IN list",
                sql: "SELECT 1 FROM events WHERE cohort IN (" + chain("1", "+", count: 5000) + ")"),
        ])
    func fuzzChains(_ c: Chain) throws {
        let error = try #require(Self.queryOnThread(c.sql).failureError)
        #expect(error.code == .limit)
        #expect(error.message.contains("more than 128 levels"))
        #expect(error.location?.line == 1)
    }

    @Test("prefix operators and parentheses stay under the nesting limit")
    func prefixNesting() throws {
        for sql in [
            "SELECT " + String(repeating: "NOT ", count: 5000) + "true",
            "SELECT " + String(repeating: "- ", count: 5000) + "1",
            "SELECT " + String(repeating: "(", count: 5000) + "1" + String(repeating: ")", count: 5000),
            "SELECT " + String(repeating: "abs(", count: 5000) + "1" + String(repeating: ")", count: 5000),
        ] {
            let error = try #require(Self.queryOnThread(sql).failureError)
            #expect(error.code == .limit)
            #expect(error.message.contains("nests too deeply"))
        }
        let fine = try Self.queryOnThread("SELECT " + String(repeating: "NOT ", count: 100) + "true").get()
        #expect(fine.rows.first?.first == .bool(true))
    }
}

extension Result {
    fileprivate var failureError: Failure? {
        if case .failure(let error) = self { return error }
        return nil
    }
}
