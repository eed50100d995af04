public import StrataCore

extension EventsDataset {
    /// The table spec for the events dataset: day segments, string dimensions (user ids without a
    /// bitmap index: they are nearly unique per segment), a boolean dimension and two metrics.
    /// Inside a day, rows are clustered by (experiment, variant, event), then time: dashboard filters on
    /// those touch few blocks, their bitmaps become runs, and their codes compress to almost nothing.
    public static func tableSpec(name: String = "events") -> TableSpec {
        TableSpec(
            name: name, timestamp: TimestampSpec(column: "ts"),
            dimensions: [
                DimensionSpec(name: "user_id", type: .string, bitmapIndex: false, dictionary: .table),
                DimensionSpec(name: "event", type: .string),
                DimensionSpec(name: "experiment", type: .string),
                DimensionSpec(name: "variant", type: .string),
                DimensionSpec(name: "country", type: .string),
                DimensionSpec(name: "platform", type: .string),
                DimensionSpec(name: "app_version", type: .string),
                DimensionSpec(name: "is_new_user", type: .bool),
            ],
            metrics: [MetricSpec(name: "revenue", type: .double), MetricSpec(name: "latency_ms", type: .int64)],
            segmentGranularity: .day, sortKey: ["experiment", "variant", "event"], sortTimeGranularity: .day)
    }
}

extension EventsBatch {
    /// The batch as columns named like the CSV header, ready for ``Table/append(_:)``.
    public var columnBatch: ColumnBatch {
        ColumnBatch([
            "ts": ColumnVector(.timestamp(ts)), "user_id": ColumnVector(.string(userId)),
            "event": ColumnVector(.string(event)), "experiment": ColumnVector(.string(experiment)),
            "variant": ColumnVector(.string(variant)), "country": ColumnVector(.string(country)),
            "platform": ColumnVector(.string(platform)), "app_version": ColumnVector(.string(appVersion)),
            "is_new_user": ColumnVector(.bool(isNewUser)), "revenue": ColumnVector(.double(revenue)),
            "latency_ms": ColumnVector(.int64(latencyMs)),
        ])
    }
}
