import ArgumentParser

@main
struct KKREmulatorCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "kkr-emulator",
        abstract: "KKR impurity starting-potential emulator: solvers, dataset, training and benchmarks.",
        subcommands: [ElementCommand.self, AtomCommand.self, HostCommand.self, ImpurityCommand.self, DatasetCommand.self, PotentialCommand.self, TrainCommand.self, BenchmarkCommand.self])
}
