import Foundation
public import Strata
public import StrataCore

/// The fixed table the SQL, CSV and JSON Lines targets use: the events table of `Fixtures/events-spec.json`.
public enum FuzzTable {
    /// The spec of `Fixtures/events-spec.json` (kept inline so the targets need no files).
    public static let specJSON = """
        {"name": "events",
         "timestamp": {"column": "ts", "format": "auto"},
         "dimensions": [{"name": "user_id", "type": "string", "bitmapIndex": false, "dictionary": "table"},
                        {"name": "event", "type": "string"},
                        {"name": "experiment", "type": "string"},
                        {"name": "variant", "type": "string"},
                        {"name": "country", "type": "string"},
                        {"name": "platform", "type": "string"},
                        {"name": "app_version", "type": "string"},
                        {"name": "is_new_user", "type": "bool"}],
         "metrics": [{"name": "revenue", "type": "double"}, {"name": "latency_ms", "type": "int64"}],
         "segmentGranularity": "day",
         "sortKey": ["experiment", "variant", "event"],
         "sortTimeGranularity": "day",
         "rollup": null}
        """

    public static let spec: TableSpec = {
        do {
            return try TableSpec.decode(json: Data(specJSON.utf8))
        } catch {
            fatalError("the fuzz table spec does not decode: \(error)")
        }
    }()

    /// Rows of the table as CSV (the first rows of `Fixtures/sql/events.csv`, plus nulls).
    public static let csvRows = """
        ts,user_id,event,experiment,variant,country,platform,app_version,revenue,latency_ms,is_new_user
        2026-10-01 00:01:38.469,u26800305,notification_sent,exp_005,treatment,US,ios,4.0.1,0.00,58,false
        2026-10-01 00:31:57.375,u43774177,click,exp_008,treatment_b,VE,android,6.4.0,0.00,124,false
        2026-10-01 12:02:45.354,u43774177,page_view,exp_033,control,VE,android,6.4.0,0.00,100,false
        2026-10-01 12:26:40.374,u91652443,notification_sent,exp_002,control,US,android,5.5.1,0.00,196,false
        2026-10-01 12:43:41.219,u43774177,purchase,exp_005,treatment_b,VE,android,6.4.0,19.99,296,true
        2026-10-02 08:00:00,u1,exposure,exp_000,control,DE,web,5.0.0,,,
        2026-10-02 09:30:00,u2,exposure,exp_000,treatment,FR,web,5.0.0,1.5,-3,true
        2026-10-03 23:59:59.999,u3,purchase,exp_000,treatment,,ios,,1e6,9223372036854775807,false

        """

    /// Options for in-memory databases that do nothing in the background.
    public static var options: Database.Options {
        var options = Database.Options()
        options.flushInterval = nil
        options.compactionSegmentCount = nil
        options.blockRowCount = 64
        return options
    }

    /// A fresh in-memory database holding an empty table of ``spec``.
    public static func emptyTable() -> (Database, Table) {
        let db = Database.inMemory(options: options)
        do {
            return (db, try db.createTable(spec))
        } catch {
            fatalError("the fuzz table cannot be created: \(error)")
        }
    }

    /// An in-memory database whose table holds ``csvRows`` twice: once flushed to segments, once in
    /// the head (so queries read both).
    public static func populated() -> Database {
        let (db, table) = emptyTable()
        do {
            try table.ingest(csvData: Array(csvRows.utf8))
            try table.flush()
            try table.ingest(csvData: Array(csvRows.utf8))
        } catch {
            fatalError("the fuzz table cannot be filled: \(error)")
        }
        return db
    }
}
