public import StrataCore
public import StrataExperiments

extension Table {
    /// Analyses an experiment over the table's current segments.
    /// - Throws: See ``TableSnapshot/analyze(_:)``.
    public func analyze(_ analysis: ExperimentAnalysis) throws(StrataError) -> ExperimentReport {
        try snapshot().analyze(analysis)
    }

    /// Analyses an experiment over the table's current segments under a timeout and memory limit.
    public func analyze(_ analysis: ExperimentAnalysis, options: QueryOptions) throws(StrataError)
        -> ExperimentReport
    {
        try snapshot().analyze(analysis, options: options)
    }
}

extension Database {
    /// Analyses an experiment over the table named `table`.
    /// - Throws: `notFound` for an unknown table; otherwise see ``TableSnapshot/analyze(_:)``.
    public func analyzeExperiment(_ analysis: ExperimentAnalysis, table: String) throws(StrataError)
        -> ExperimentReport
    {
        try self.table(named: table).snapshot().analyze(analysis)
    }

    /// Analyses an experiment over the table named `table` under a timeout and memory limit.
    public func analyzeExperiment(_ analysis: ExperimentAnalysis, table: String, options: QueryOptions)
        throws(StrataError) -> ExperimentReport
    {
        try self.table(named: table).snapshot().analyze(analysis, options: options)
    }
}
