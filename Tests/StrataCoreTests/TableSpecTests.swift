import Foundation
import StrataCore
import Testing

@Suite("Table specs")
struct TableSpecTests {
    static let example = """
        {"name": "events",
         "timestamp": {"column": "ts"},
         "dimensions": [{"name": "user_id", "type": "string"}, {"name": "event", "type": "string"},
                        {"name": "is_new_user", "type": "bool"}],
         "metrics": [{"name": "revenue", "type": "double"}, {"name": "latency_ms", "type": "int64"}],
         "segmentGranularity": "day",
         "rollup": null}
        """

    @Test("the documented JSON spec decodes, and encoding round-trips")
    func decodesExample() throws {
        let spec = try TableSpec.decode(json: Data(Self.example.utf8))
        #expect(spec.name == "events")
        #expect(spec.dimensions.map(\.name) == ["user_id", "event", "is_new_user"])
        #expect(spec.metrics.map(\.type) == [.double, .int64])
        #expect(spec.segmentGranularity == .day)
        #expect(spec.rollup == nil)
        #expect(try TableSpec.decode(json: spec.encodeJSON()) == spec)
    }

    @Test("a rollup spec lays out aggregate state columns")
    func rollupColumns() throws {
        let json = Self.example.replacingOccurrences(
            of: "\"rollup\": null",
            with: """
                "rollup": {"granularity": "minute", "aggregates": [{"name": "events", "type": "count"},
                  {"name": "revenue_sum", "type": "sum", "column": "revenue"},
                  {"name": "latency", "type": "moments", "column": "latency_ms"}]}
                """)
        let spec = try TableSpec.decode(json: Data(json.utf8))
        #expect(spec.rollup?.granularity == .minute)
        #expect(
            spec.storedColumns.map(\.name) == [
                "ts", "user_id", "event", "is_new_user", "events", "revenue_sum", "latency#n", "latency#sum",
                "latency#sumsq",
            ])
    }

    @Test(
        "invalid specs are rejected with a message naming the field",
        arguments: [
            (
                #"{"name": "t", "timestamp": {"column": "ts"}, "dimensions": [{"name": "a", "type": "strin"}]}"#,
                "dimensions[0].type"
            ),
            // A spec without a timestamp (a lookup table) needs some column, and has no time to expire rows by.
            (#"{"name": "t", "dimensions": []}"#, "dimensions"),
            (#"{"name": "t", "dimensions": [{"name": "a", "type": "string"}], "retentionDays": 7}"#, "retentionDays"),
            (
                #"{"name": "t", "timestamp": {"column": "ts"}, "dimensions": [{"name": "a", "type": "string"}, {"name": "A", "type": "int64"}]}"#,
                "dimensions[1].name"
            ),
            (
                #"{"name": "t", "timestamp": {"column": "ts"}, "metrics": [{"name": "ts", "type": "double"}]}"#,
                "metrics[0].name"
            ),
            (
                #"{"name": "t", "timestamp": {"column": "ts"}, "metrics": [{"name": "m", "type": "string"}]}"#,
                "metrics[0].type"
            ),
            (#"{"name": "t", "timestamp": {"column": "ts"}, "segmentGranularity": "fortnight"}"#, "segmentGranularity"),
            (#"{"name": "1t", "timestamp": {"column": "ts"}}"#, "name"),
            (
                #"{"name": "t", "timestamp": {"column": "ts"}, "rollup": {"granularity": "minute", "aggregates": [{"name": "s", "type": "sum"}]}}"#,
                "rollup.aggregates[0].column"
            ),
            (
                #"{"name": "t", "timestamp": {"column": "ts"}, "rollup": {"granularity": "minute", "aggregates": [{"name": "s", "type": "sum", "column": "nope"}]}}"#,
                "rollup.aggregates[0].column"
            ),
            (
                #"{"name": "t", "timestamp": {"column": "ts"}, "dimensions": [{"name": "a", "type": "string"}], "sortKey": ["b"]}"#,
                "sortKey[0]"
            ),
        ])
    func rejects(json: String, field: String) {
        do {
            _ = try TableSpec.decode(json: Data(json.utf8))
            Issue.record("accepted: \(json)")
        } catch {
            #expect(error.code == .schema)
            #expect(error.message.contains("'\(field)'"), "\(error.message)")
        }
    }
}
