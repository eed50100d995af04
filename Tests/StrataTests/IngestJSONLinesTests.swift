import Foundation
import Strata
import StrataCore
import Testing

@Suite("JSON Lines ingest")
struct IngestJSONLinesTests {
    typealias F = IngestFixture

    @Test("objects with nulls, missing fields, ints as doubles, escapes, unknown fields and blank lines")
    func happyPath() throws {
        let table = try F.table()
        let text = """
            {"ts": "2026-10-01 00:00:01", "name": "a", "flag": true, "n": 1, "x": 1.5}
            {"ts": 1790812802000, "name": "q\\"\\u00e9\\n", "flag": false, "n": -2, "x": 2, "other": {"deep": [1, 2]}}

            {"TS": "2026-10-01T00:00:03Z", "name": null, "x": 3e2}
            {"ts":"2026-10-01 00:00:04","name":"\\ud83d\\ude00","flag":null,"n":null,"x":-0.5}
            """
        let report = try table.ingest(jsonLinesData: F.bytes(text), name: "in.jsonl")
        #expect(report.rowsRead == 4 && report.rowsStored == 4)
        #expect(
            try table.scan().rows == [
                F.row(F.day + 1000, "a", true, 1, 1.5),
                F.row(F.day + 2000, "q\"é\n", false, -2, 2),
                F.row(F.day + 3000, nil, nil, nil, 300),
                F.row(F.day + 4000, "😀", nil, nil, -0.5),
            ])
    }

    @Test(
        "bad lines are named with file:line:column and reason",
        arguments: [
            (
                #"{"ts": "2026-10-01", "name": {"a": 1}}"#, "in.jsonl:1:30:",
                "field 'name': nested objects are not supported"
            ),
            (#"{"ts": "2026-10-01", "n": [1]}"#, "in.jsonl:1:27:", "field 'n': nested arrays are not supported"),
            (#"{"ts": "2026-10-01", "n": 1.5}"#, "in.jsonl:1:27:", "field 'n' expects int64, got '1.5'"),
            (#"{"ts": "2026-10-01", "n": "1"}"#, "in.jsonl:1:27:", "field 'n' expects int64, got a string"),
            (#"{"ts": "2026-10-01", "flag": 1}"#, "in.jsonl:1:30:", "field 'flag' expects a boolean, got a number"),
            (#"{"ts": "yesterday"}"#, "in.jsonl:1:8:", "column 'ts': not a timestamp"),
            (#"{"name": "a"}"#, "in.jsonl:1:1:", "required field 'ts' is missing"),
            (#"{"ts": "2026-10-01", "ts": "2026-10-02"}"#, "in.jsonl:1:22:", "field 'ts' appears twice"),
            (#"{"ts": "2026-10-01" "n": 1}"#, "in.jsonl:1:21:", "invalid JSON: expected ',' or '}'"),
            (#"{"ts": "2026-10-01", "n": 1"#, "in.jsonl:1:28:", "invalid JSON: expected ',' or '}'"),
            (#"{"ts": "2026-10-01", "name": "abc}"#, "in.jsonl:1:30:", "invalid JSON: unterminated string"),
            (#"[1, 2]"#, "in.jsonl:1:1:", "expected a JSON object, found an array"),
            (#"{"ts": "2026-10-01"} x"#, "in.jsonl:1:22:", "unexpected text after the JSON object"),
            (#"{"ts": "2026-10-01", "n": tru}"#, "in.jsonl:1:27:", "invalid JSON: expected a value"),
        ])
    func badLines(line: String, location: String, reason: String) throws {
        let table = try F.table()
        #expect {
            try table.ingest(jsonLinesData: F.bytes(line + "\n"), name: "in.jsonl")
        } throws: { error in
            let text = "\(error)"
            let ok = text.hasPrefix(location) && text.contains(reason)
            if !ok { Issue.record("got: \(text)") }
            return ok
        }
        #expect(table.rowCount == 0)
    }

    @Test("unknown fields are rejected on request; skip keeps the good lines")
    func unknownAndSkip() throws {
        let table = try F.table()
        let text = """
            {"ts": "2026-10-01", "name": "a", "bogus": 1}
            {"ts": "2026-10-01", "name": "b"}
            not json
            """
        let report = try table.ingest(
            jsonLinesData: F.bytes(text), name: "in.jsonl", options: .init(onError: .skip, extraColumns: .reject))
        #expect(report.rowsStored == 1 && report.rowsRejected == 2)
        #expect(
            report.rejected.map(\.description) == [
                "in.jsonl:1:35: unknown field 'bogus' (not a column of the table; extra fields are rejected)",
                "in.jsonl:3:1: invalid JSON: expected a JSON object '{', found 'n'",
            ])
        #expect(try table.scan().rows == [F.row(F.day, "b", nil, nil, nil)])
    }

    @Test("invalid UTF-8 inside a JSON string is rejected")
    func invalidUTF8() throws {
        let table = try F.table()
        var bytes = F.bytes(#"{"ts": "2026-10-01", "name": "a"#)
        bytes += [0xFF]
        bytes += F.bytes("\"}\n")
        #expect {
            try table.ingest(jsonLinesData: bytes, name: "in.jsonl")
        } throws: { error in
            "\(error)".hasPrefix("in.jsonl:1:30: ingest error: column 'name': invalid UTF-8")
        }
    }
}
