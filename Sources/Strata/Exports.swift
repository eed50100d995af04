// The facade: `import Strata` gives a program the whole public API — values, specs and errors
// (StrataCore), snapshots and segment metadata (StrataStorage), the Query model and results
// (StrataPlanner), experiment analysis and its statistics (StrataExperiments, StrataStats).
@_exported public import StrataCore
@_exported public import StrataExperiments
@_exported public import StrataPlanner
@_exported public import StrataStats
@_exported public import StrataStorage
