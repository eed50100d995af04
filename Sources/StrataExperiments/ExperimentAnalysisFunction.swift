package import StrataCore
package import StrataPlanner
import StrataSQL

/// `experiment_analysis(TABLE, EXPERIMENT, METRIC, … [, option = value, …])` in FROM: the arguments are
/// constants; `TABLE` and `EXPERIMENT` are strings, each `METRIC` a string in the syntax of
/// `strata experiment --metric`; the named options are those of ``ExperimentAnalysis/applyOption(_:_:)``.
package struct ExperimentAnalysisFunction: TableFunction {
    package let name = "experiment_analysis"

    package init() {}

    package func bind(_ binding: TableFunctionBinding) throws(StrataError) -> any TableFunctionRows {
        let call = binding.call
        let usage =
            "experiment_analysis(table, experiment, metric, … [, option = value, …]), e.g. "
            + "experiment_analysis('events', 'exp_000', 'converted=binomial(event = ''purchase'')')"
        guard call.arguments.count >= 3 else {
            let at = call.arguments.count < 2 ? call.range : SourceRange(offset: call.range.end - 1, length: 1)
            throw binding.error(
                .binding, "experiment_analysis needs a table, an experiment and at least one metric: \(usage)", at: at)
        }
        let tableArgument = call.arguments[0]
        let tableName = try binding.constantText(tableArgument, what: "the table name")
        let snapshot = try binding.snapshot(tableName, at: tableArgument.range)
        var analysis = ExperimentAnalysis(
            experiment: try binding.constantText(call.arguments[1], what: "the experiment id"))
        for argument in call.arguments.dropFirst(2) {
            let text = try binding.constantText(argument, what: "a metric")
            do {
                analysis.metrics.append(try ExperimentMetric.parse(text))
            } catch {
                throw binding.error(
                    error.code, error.message,
                    at: binding.literalOffset(argument, inner: error.location?.offset ?? 0))
            }
        }
        var names = Set<String>()
        for metric in analysis.metrics where !names.insert(metric.name).inserted {
            throw binding.error(.binding, "two metrics are named '\(metric.name)'", at: call.range)
        }
        for named in call.namedArguments {
            let value = try binding.constantText(named.value, what: "the option '\(named.name.name)'", numbers: true)
            do {
                try analysis.applyOption(named.name.name, value)
            } catch {
                let at = error.code == .binding ? named.name.range : named.value.range
                throw binding.error(error.code, error.message, at: at)
            }
        }
        return ExperimentNode(snapshot: snapshot, analysis: analysis)
    }
}
