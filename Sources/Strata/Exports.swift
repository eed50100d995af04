// The facade: `import Strata` gives a program the whole public API — values, specs and errors
// (StrataCore), the storage engine: Database, Table, snapshots (StrataStorage), the Query model and results
// (StrataPlanner), experiment analysis and its statistics (StrataExperiments, StrataStats), file ingest
// (StrataIngest).
@_exported public import StrataCore
@_exported public import StrataExperiments
@_exported public import StrataIngest
@_exported public import StrataPlanner
@_exported public import StrataStats
@_exported public import StrataStorage
