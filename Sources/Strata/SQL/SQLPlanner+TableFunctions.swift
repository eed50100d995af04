import StrataCore
import StrataExecution
import StrataSQL

extension SQLPlanner {
    /// The table functions a query can call in FROM.
    static let tableFunctions = ["experiment_analysis"]

    /// Binds a table function call in FROM to a plan node that produces its rows.
    ///
    /// `experiment_analysis(TABLE, EXPERIMENT, METRIC, … [, option = value, …])`: the arguments are
    /// constants; `TABLE` and `EXPERIMENT` are strings, each `METRIC` a string in the syntax of
    /// `strata experiment --metric`; the named options are those of
    /// ``ExperimentAnalysis/applyOption(_:_:)``.
    func bindTableFunction(_ call: TableFunctionCall) throws(StrataError) -> PlanNode {
        guard call.name.normalized == "experiment_analysis" else {
            var message = "no table function named '\(call.name.name)'"
            if let suggestion = NameSuggestion.closest(to: call.name.name, among: Self.tableFunctions) {
                message += "; did you mean '\(suggestion)'?"
            } else {
                message += "; the table functions are " + Self.tableFunctions.map { "\($0)(…)" }.joined(separator: ", ")
            }
            throw error(.binding, message, at: call.name.range)
        }
        let usage =
            "experiment_analysis(table, experiment, metric, … [, option = value, …]), e.g. "
            + "experiment_analysis('events', 'exp_000', 'converted=binomial(event = ''purchase'')')"
        guard call.arguments.count >= 3 else {
            let at = call.arguments.count < 2 ? call.range : SourceRange(offset: call.range.end - 1, length: 1)
            throw error(
                .binding, "experiment_analysis needs a table, an experiment and at least one metric: \(usage)", at: at)
        }
        let tableArgument = call.arguments[0]
        let tableName = try constantText(tableArgument, what: "the table name")
        let snapshot = try snapshot(Identifier(tableName, range: tableArgument.range))
        var analysis = ExperimentAnalysis(
            experiment: try constantText(call.arguments[1], what: "the experiment id"))
        for argument in call.arguments.dropFirst(2) {
            let text = try constantText(argument, what: "a metric")
            do {
                analysis.metrics.append(try ExperimentMetric.parse(text))
            } catch {
                throw source.error(
                    error.code, error.message, at: literalOffset(argument, inner: error.location?.offset ?? 0))
            }
        }
        var names = Set<String>()
        for metric in analysis.metrics where !names.insert(metric.name).inserted {
            throw error(.binding, "two metrics are named '\(metric.name)'", at: call.range)
        }
        for named in call.namedArguments {
            let value = try constantText(named.value, what: "the option '\(named.name.name)'", numbers: true)
            do {
                try analysis.applyOption(named.name.name, value)
            } catch {
                let at = error.code == .binding ? named.name.range : named.value.range
                throw self.error(error.code, error.message, at: at)
            }
        }
        return .experiment(ExperimentNode(snapshot: snapshot, analysis: analysis))
    }

    /// The text of a constant argument: a string, or (with `numbers`) a number or boolean as written.
    private func constantText(_ argument: SQLExpression, what: String, numbers: Bool = false) throws(StrataError)
        -> String
    {
        let bound = try bindInput(argument, scope: .empty, clause: "table function arguments")
        switch bound.constantValue {
        case .string(let text)?: return text
        case .int64(let n)? where numbers: return String(n)
        case .double(let x)? where numbers: return String(x)
        case .decimal(let d)? where numbers: return d.description
        case .hugeint(let n)? where numbers: return String(n)
        case .bool(let b)? where numbers: return String(b)
        default:
            throw error(
                .type, "\(what) must be a constant string\(numbers ? ", number or boolean" : ""), not \(argument)",
                at: argument.range)
        }
    }

    /// The query offset of byte `inner` of a string literal's value (its `''` escapes taken into account).
    private func literalOffset(_ argument: SQLExpression, inner: Int) -> Int {
        guard case .literal(.string) = argument.kind else { return argument.range.offset }
        let bytes = Array(source.sql.utf8)
        var raw = argument.range.offset + 1  // after the opening quote
        var remaining = inner
        while remaining > 0, raw < argument.range.end - 1 {
            raw += bytes[raw] == UInt8(ascii: "'") ? 2 : 1
            remaining -= 1
        }
        return raw
    }
}
