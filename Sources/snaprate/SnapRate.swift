import ArgumentParser

@main
struct SnapRate: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "snaprate",
        abstract: "Turns live camera video into thumbs-up / thumbs-down ratings.",
        subcommands: [SetupCommand.self, AnalyzeCommand.self, EvalCommand.self, TrainThumbsCommand.self, HandsCommand.self, ServeCommand.self,
                      LoadTestCommand.self, TLSCommand.self, ReportCommand.self]
    )
}
