import ArgumentParser

@main
struct StrataCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "strata",
        abstract: "Strata: an embedded columnar analytics engine for experiment and product dashboards.",
        subcommands: [
            BenchCommand.self, DemoCommand.self, ExperimentCommand.self, GenerateCommand.self, IngestCommand.self,
            QueryCommand.self, ReplCommand.self, RepairCommand.self, VerifyCommand.self, AppendLoopCommand.self,
        ])

    static func main() {
        AllocatorTuning.apply()
        main(nil)
    }
}
