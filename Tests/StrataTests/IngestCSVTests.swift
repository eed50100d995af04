import Foundation
import Strata
import StrataCore
import Testing

/// A small table of every type: ts, name (string), n (int64), x (double), flag (bool).
enum IngestFixture {
    static let spec = TableSpec(
        name: "t",
        dimensions: [DimensionSpec(name: "name", type: .string), DimensionSpec(name: "flag", type: .bool)],
        metrics: [MetricSpec(name: "n", type: .int64), MetricSpec(name: "x", type: .double)])

    static func table() throws -> Table { try Database.inMemory().createTable(spec) }

    static let day: Int64 = 1_790_812_800_000  // 2026-10-01 00:00:00 UTC

    /// Stored rows: ts, name, flag, n, x.
    static func row(_ ms: Int64, _ name: String?, _ flag: Bool?, _ n: Int64?, _ x: Double?) -> [Value] {
        [
            .timestamp(ms), name.map(Value.string) ?? .null, flag.map(Value.bool) ?? .null, n.map(Value.int64) ?? .null,
            x.map(Value.double) ?? .null,
        ]
    }

    static func bytes(_ text: String) -> [UInt8] { Array(text.utf8) }

    /// The ingest error of `text`, or nil.
    static func error(csv text: String, options: IngestOptions = .init()) throws -> StrataError? {
        let table = try table()
        do {
            try table.ingest(csvData: bytes(text), name: "in.csv", options: options)
            return nil
        } catch {
            #expect(table.rowCount == 0, "a failed call stored rows")
            return error
        }
    }
}

@Suite("CSV ingest")
struct IngestCSVTests {
    typealias F = IngestFixture

    @Test("plain rows of every type, CRLF, BOM, quotes, doubled quotes and embedded newlines")
    func happyPath() throws {
        let table = try F.table()
        let text =
            "\u{FEFF}ts,name,flag,n,x\r\n"
            + "2026-10-01 00:00:01,alpha,true,1,1.5\r\n"
            + "2026-10-01 00:00:02,\"be,ta\",false,-2,2\r\n"
            + "2026-10-01 00:00:03,\"say \"\"hi\"\"\",TRUE,3,-0.25\r\n"
            + "2026-10-01 00:00:04,\"two\nlines\",0,4,1e3\r\n"
            + "2026-10-01T00:00:05Z,,,,\r\n"
            + "1790812806000,\"\",f,,\n"
        let report = try table.ingest(csvData: F.bytes(text), name: "in.csv")
        #expect(report.rowsRead == 6)
        #expect(report.rowsStored == 6)
        #expect(report.rowsRejected == 0)
        let rows = try table.scan().rows
        #expect(
            rows == [
                F.row(F.day + 1000, "alpha", true, 1, 1.5),
                F.row(F.day + 2000, "be,ta", false, -2, 2),
                F.row(F.day + 3000, "say \"hi\"", true, 3, -0.25),
                F.row(F.day + 4000, "two\nlines", false, 4, 1000),
                F.row(F.day + 5000, nil, nil, nil, nil),
                F.row(F.day + 6000, "", false, nil, nil),
            ])
    }

    @Test("header columns map by name in any order; extra columns are ignored by default")
    func headerOrder() throws {
        let table = try F.table()
        try table.ingest(csvData: F.bytes("x,extra,N,ts,flag,name\n2.5,zzz,7,2026-10-01,t,a\n"), name: "in.csv")
        #expect(try table.scan().rows == [F.row(F.day, "a", true, 7, 2.5)])
    }

    @Test("a custom delimiter")
    func delimiter() throws {
        let table = try F.table()
        try table.ingest(
            csvData: F.bytes("ts;name;flag;n;x\n2026-10-01;a,b;1;1;1\n"), name: "in.csv",
            options: IngestOptions(delimiter: UInt8(ascii: ";")))
        #expect(try table.scan().rows == [F.row(F.day, "a,b", true, 1, 1)])
    }

    static let header = "ts,name,flag,n,x\n"

    @Test(
        "bad rows are named with file:line:column and reason",
        arguments: [
            ("2026-10-01,a,true,1,1\n2026-10-01,b,true,x1,1\n", "in.csv:3:19:", "column 'n': not an int64: 'x1'"),
            ("2026-10-01,a,true,1,1.2.3\n", "in.csv:2:21:", "column 'x': not a number: '1.2.3'"),
            ("2026-10-01,a,yes,1,1\n", "in.csv:2:14:", "column 'flag': not a boolean"),
            ("2026-13-01,a,true,1,1\n", "in.csv:2:1:", "column 'ts': not a timestamp"),
            ("0000-01-01,a,true,1,1\n", "in.csv:2:1:", "timestamp out of range"),
            ("99999999999999999,a,true,1,1\n", "in.csv:2:1:", "timestamp out of range"),
            (",a,true,1,1\n", "in.csv:2:1:", "column 'ts' is required but empty"),
            ("2026-10-01,a,true,1\n", "in.csv:2:20:", "expected 5 fields (as in the header), found 4"),
            ("2026-10-01,a,true,1,1,9\n", "in.csv:2:23:", "expected 5 fields (as in the header), found 6"),
            ("2026-10-01,\"a,true,1,1\n2026-10-02,b,true,1,1\n", "in.csv:2:12:", "unterminated quoted field"),
            ("2026-10-01,\"a\"b,true,1,1\n", "in.csv:2:15:", "unexpected character after a closing quote"),
            ("2026-10-01,a,true,99999999999999999999,1\n", "in.csv:2:19:", "not an int64"),
            ("2026-10-01,\"x\ny\",true,1,bad\n", "in.csv:3:11:", "column 'x': not a number: 'bad'"),
            // A bad value and an extra field (issue 15: this crashed the process on a force-unwrap).
            ("2026-10-01,a,yes,1,1,9\n", "in.csv:2:22:", "expected 5 fields (as in the header), found 6"),
            ("2026-10-01,\"a\"b,true,1,1,9\n", "in.csv:2:15:", "unexpected character after a closing quote"),
        ])
    func badRows(body: String, location: String, reason: String) throws {
        let error = try #require(try F.error(csv: Self.header + body))
        #expect(error.code == .ingest)
        #expect(error.description.hasPrefix(location), "\(error)")
        #expect(error.message.contains(reason), "\(error)")
    }

    @Test("invalid UTF-8 in a string field is rejected at the field")
    func invalidUTF8() throws {
        var bytes = F.bytes(Self.header + "2026-10-01,ok,true,1,1\n2026-10-01,ab")
        bytes += [0xC3, 0x28]
        bytes += F.bytes(",true,1,1\n")
        let table = try F.table()
        #expect {
            try table.ingest(csvData: bytes, name: "in.csv")
        } throws: { error in
            "\(error)".hasPrefix("in.csv:3:12: ingest error: column 'name': invalid UTF-8 (byte 3 of the field)")
        }
        #expect(table.rowCount == 0)
    }

    @Test("a line over the limit is rejected")
    func longLine() throws {
        let long = String(repeating: "a", count: 200)
        let error = try #require(
            try F.error(csv: Self.header + "2026-10-01,\(long),true,1,1\n", options: IngestOptions(maxLineBytes: 100)))
        #expect(error.description.hasPrefix("in.csv:2:1: ingest error: line is longer than the limit of 100 bytes"))
    }

    @Test("a header lacking a column of the table names it")
    func missingColumn() throws {
        let error = try #require(try F.error(csv: "ts,name,n\n2026-10-01,a,1\n"))
        #expect(error.description.hasPrefix("in.csv:1:1: ingest error: header lacks columns 'flag', 'x' of table 't'"))
    }

    @Test("extra header columns: ignored by default, rejected on request")
    func extraColumns() throws {
        let text = "ts,name,flag,n,x,bogus\n2026-10-01,a,true,1,1,zz\n"
        #expect(try F.error(csv: text) == nil)
        let error = try #require(try F.error(csv: text, options: IngestOptions(extraColumns: .reject)))
        #expect(error.description.hasPrefix("in.csv:1:18: ingest error: header: column 'bogus' is not in table 't'"))
    }

    @Test("an empty file is an error; a header alone stores nothing")
    func emptyInput() throws {
        let error = try #require(try F.error(csv: ""))
        #expect(error.message.contains("empty"))
        let table = try F.table()
        let report = try table.ingest(csvData: F.bytes(Self.header), name: "in.csv")
        #expect(report.rowsRead == 0 && table.rowCount == 0)
    }

    @Test("fail: one bad row keeps the whole call out, and the error lists the first bad rows")
    func failPolicy() throws {
        let table = try F.table()
        try table.ingest(csvData: F.bytes(Self.header + "2026-10-01,keep,true,1,1\n"), name: "first.csv")
        let before = try table.scan().rows
        var body = ""
        for i in 0..<30 { body += i % 2 == 0 ? "2026-10-02,b,true,\(i),1\n" : "2026-10-02,b,true,bad\(i),1\n" }
        #expect {
            try table.ingest(csvData: F.bytes(Self.header + body), name: "in.csv")
        } throws: { error in
            guard let error = error as? StrataError else { return false }
            let lines = error.description.split(separator: "\n")
            return error.location == .init(file: "in.csv", line: 3, column: 19) && lines.count == 10
                && lines[1] == "in.csv:5:19: column 'n': not an int64: 'bad3'" && error.message.contains("10+ bad rows")
        }
        #expect(try table.scan().rows == before)
    }

    @Test("skip: exactly the good rows are stored and each bad row is reported")
    func skipPolicy() throws {
        let table = try F.table()
        let body =
            "2026-10-01 00:00:01,a,true,1,1\n" + "2026-10-01 00:00:02,b,true,oops,1\n"
            + "2026-10-01 00:00:03,c,false,3,3\n"
            + "2026-10-01 00:00:04,d\n" + "2026-10-01 00:00:05,\"e\",t,5,5\n"
        let report = try table.ingest(
            csvData: F.bytes(Self.header + body), name: "in.csv", options: .init(onError: .skip))
        #expect(report.rowsRead == 5)
        #expect(report.rowsStored == 3)
        #expect(report.rowsRejected == 2)
        #expect(
            report.rejected.map(\.description) == [
                "in.csv:3:28: column 'n': not an int64: 'oops'",
                "in.csv:5:22: expected 5 fields (as in the header), found 2",
            ])
        #expect(
            try table.scan().rows == [
                F.row(F.day + 1000, "a", true, 1, 1), F.row(F.day + 3000, "c", false, 3, 3),
                F.row(F.day + 5000, "e", true, 5, 5),
            ])
    }

    @Test("timestamp formats follow the spec: millis only, iso only")
    func timestampFormats() throws {
        var spec = IngestFixture.spec
        spec.timestamp?.format = .millis
        let millis = try Database.inMemory().createTable(spec)
        try millis.ingest(csvData: F.bytes(Self.header + "1790812800000,a,t,1,1\n"), name: "in.csv")
        #expect(throws: StrataError.self) {
            try millis.ingest(csvData: F.bytes(Self.header + "2026-10-01,a,t,1,1\n"), name: "in.csv")
        }
        spec.timestamp?.format = .iso
        let iso = try Database.inMemory().createTable(spec)
        try iso.ingest(csvData: F.bytes(Self.header + "2026-10-01 00:00:00.000,a,t,1,1\n"), name: "in.csv")
        #expect(throws: StrataError.self) {
            try iso.ingest(csvData: F.bytes(Self.header + "1790812800000,a,t,1,1\n"), name: "in.csv")
        }
    }

    @Test("several files in one call are all-or-nothing")
    func multiFile() throws {
        let dir = TestDirectory()
        let good = dir.path + "/good.csv"
        let bad = dir.path + "/bad.csv"
        try Data((Self.header + "2026-10-01,a,t,1,1\n").utf8).write(to: URL(fileURLWithPath: good))
        try Data((Self.header + "2026-10-02,a,t,zz,1\n").utf8).write(to: URL(fileURLWithPath: bad))
        let table = try F.table()
        #expect {
            try table.ingest(csv: [good, bad])
        } throws: { error in
            "\(error)".hasPrefix(bad + ":2:16:")
        }
        #expect(table.rowCount == 0)
        let report = try table.ingest(csv: [good, good])
        #expect(report.rowsStored == 2 && table.rowCount == 2)
    }
}
