import StrataCore
import StrataSQL
import Testing

@Suite("SET, RESET and SHOW")
struct SettingStatementTests {
    @Test(
        "SET takes = or TO, a string, number or word, and an optional SESSION/LOCAL/GLOBAL",
        arguments: [
            ("SET memory_limit = '512MB'", "memory_limit", SettingAssignment.Value.string("512MB")),
            ("set Memory_Limit to '2GiB';", "Memory_Limit", .string("2GiB")),
            ("SET SESSION timeout = '5s'", "timeout", .string("5s")),
            ("SET GLOBAL memory_limit = 'it''s'", "memory_limit", .string("it's")),
            ("SET statement_timeout = 5000", "statement_timeout", .number("5000")),
            ("SET memory_limit = -1", "memory_limit", .number("-1")),
            ("SET timeout = DEFAULT", "timeout", .word("DEFAULT")),
            ("SET session = 'x'", "session", .string("x")),
        ])
    func set(sql: String, name: String, value: SettingAssignment.Value) throws {
        guard case .set(let assignment) = try parse(sql) else {
            Issue.record("not a SET: \(sql)")
            return
        }
        #expect(assignment.name.name == name)
        #expect(assignment.value == value)
        #expect(try parse(assignment.description) == .set(assignment))
        #expect(try parse(sql).query == nil)
    }

    @Test("the value's range covers the value as written")
    func valueRange() throws {
        guard case .set(let assignment) = try parse("SET memory_limit = '512MB';") else {
            Issue.record("not a SET")
            return
        }
        #expect(assignment.valueRange == SourceRange(offset: 19, length: 7))
        #expect(!assignment.isDefault)
    }

    @Test("RESET names a setting or ALL; SHOW names a setting")
    func resetAndShow() throws {
        #expect(try parse("RESET memory_limit") == .reset(Identifier("memory_limit")))
        #expect(try parse("RESET ALL;") == .reset(nil))
        #expect(try parse("SHOW timeout") == .show(Identifier("timeout")))
        #expect(try parse("RESET ALL").description == "RESET ALL")
        #expect(try parse("SHOW timeout").description == "SHOW timeout")
    }

    @Test(
        "a malformed SET is a syntax error with a caret",
        arguments: [
            ("SET memory_limit '512MB'", "expected '=' or TO, found string '512MB'", 18),
            ("SET memory_limit =", "expected a setting value such as '512MB', found end of query", 19),
            ("SET = '1'", "expected a setting name, found '='", 5),
            ("SET memory_limit = '1GB' extra", "expected end of query, found 'extra'", 26),
            ("RESET", "expected a setting name or ALL, found end of query", 6),
        ])
    func errors(sql: String, message: String, column: Int) throws {
        let error = try #require(parseError(sql))
        #expect(error.code == .syntax)
        #expect(error.message == message)
        #expect(error.location?.column == column)
        #expect(error.detail?.contains("^") == true)
    }

    @Test("set, reset and show stay usable as column and table names")
    func stillIdentifiers() throws {
        #expect(try query("SELECT set, reset, show FROM settings").items.count == 3)
        #expect(try query("SELECT show FROM t").items.count == 1)
    }
}
