import ArgumentParser
import Emulator
import Foundation
import Workflows

/// `kkr-emulator train DATASET -o model.h5`: cross-validated training of the emulator.
struct TrainCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "train",
        abstract: "Train the ΔV emulator on a dataset; report held-out errors vs the atomic-superposition start.",
        discussion: """
            DATASET is a merged BatchRunner dataset (kkr-emulator dataset merge) or an ImpurityDataset \
            file. The recipe is validated by cross-validation (random pairs and leave-one-impurity-out \
            by default), a learning curve is computed on one held-out random fold, then the final model \
            is fitted on all records and written with its free-atom table. Parity plots \
            (<model>.parity-<split>.svg) and the learning curve (<model>.learning-curve.svg) are written \
            next to the model. Errors are r²-weighted rms of the smooth ΔV over each site's sphere \
            (Ry); the baseline is the run's own start (SCF iteration 1). See docs/emulator.md.
            """)

    @Argument(help: "Dataset file (merged BatchRunner file or ImpurityDataset).") var dataset: String
    @Option(name: [.short, .customLong("output")], help: "Model file to write (HDF5).") var output: String
    @Option(help: "Model recipe: \(EmulatorRecipe.allNames.joined(separator: ", ")).") var recipe: String = "screened"
    @Option(help: "Cross-validation splits, comma-separated: randomPairs, leaveOneImpurityOut, leaveOneHostOut, none.")
    var splits: String = "randomPairs,leaveOneImpurityOut"
    @Option(help: "Folds of the random-pairs split.") var folds: Int = 5
    @Option(help: "Seed of the random-pairs split and the learning-curve order.") var seed: UInt64 = 0
    @Option(help: "Training-set sizes of the learning curve, comma-separated ('none' to skip).")
    var learningCurve: String = "8,16,32,64,128,256"
    @Option(help: "Free-atom table cache (HDF5): read if present, else computed and written.") var atomTable: String?
    @Option(help: ArgumentHelp("Host files of the dataset's runs (its hostcache/ directory): recompute the semicore-guard shift of "
                               + "every stored start (needed for records written before the dataset stored it).",
                               valueName: "dir")) var hostCache: String?
    @Option(help: "Reject records whose impurity net charge |Z − N| exceeds this (e).") var maxImpurityCharge: Double = 2
    @Flag(help: "Do not write the SVG plots.") var noPlots = false
    @Flag(help: "Overwrite existing output files.") var force = false
    @Flag(help: "Print the JSON summary on stdout.") var json = false
    @Flag(help: "Print per-record held-out errors and their decomposition (shift/shape/non-spherical/magnetic).")
    var diagnose = false
    @Option(help: "Length scale ℓ (standardised units) of the recipe's random-Fourier kernels (trend, kernel).")
    var kernelLengthScale: Double?
    @Option(help: "Feature count D of each of the recipe's random-Fourier kernels (trend, kernel).") var kernelCount: Int?

    func parsedSplits() throws -> [SplitKind] {
        if splits == "none" { return [] }
        return try splits.split(separator: ",").map {
            guard let k = SplitKind(rawValue: String($0)) else {
                throw ValidationError("--splits: unknown split '\($0)' (randomPairs, leaveOneImpurityOut, leaveOneHostOut, none)")
            }
            return k
        }
    }

    func parsedSizes() throws -> [Int] {
        if learningCurve == "none" { return [] }
        return try learningCurve.split(separator: ",").map {
            guard let n = Int($0), n >= 1 else { throw ValidationError("--learning-curve: '\($0)' is not a positive integer") }
            return n
        }
    }

    func validate() throws {
        _ = try parsedSplits()
        _ = try parsedSizes()
        guard folds >= 2 else { throw ValidationError("--folds must be at least 2") }
        if let l = kernelLengthScale { guard l > 0, l.isFinite else { throw ValidationError("--kernel-length-scale must be positive") } }
        if let d = kernelCount { guard (1...4096).contains(d) else { throw ValidationError("--kernel-count must be 1…4096") } }
        guard EmulatorRecipe.allNames.contains(recipe) || recipe == "standard" else {
            throw ValidationError("--recipe must be one of \(EmulatorRecipe.allNames.joined(separator: ", "))")
        }
    }

    func run() throws {
        var o = EmulatorTrainingOptions(datasetPath: dataset, outputPath: output)
        o.force = force
        o.recipe = recipe
        o.splits = try parsedSplits()
        o.randomFolds = folds
        o.seed = seed
        o.learningCurveSizes = try parsedSizes()
        o.atomTablePath = atomTable
        o.hostCacheDirectory = hostCache
        o.plots = !noPlots
        o.maxImpurityNetCharge = maxImpurityCharge
        o.diagnose = diagnose
        o.kernelLengthScale = kernelLengthScale
        o.kernelCount = kernelCount
        let summary: EmulatorTrainingSummary
        do {
            summary = try EmulatorTraining.run(o) { FileHandle.standardError.write(($0 + "\n").data(using: .utf8)!) }
        } catch {
            throw ValidationError("\(error)")
        }
        if json {
            print(try summary.jsonString())
            return
        }
        print("recipe \(summary.recipe.name): \(summary.recipe.summary)")
        for r in summary.rejectedRecords { print("rejected: \(r)") }
        print("\(summary.records) records; model \(output) (\(summary.modelBytes / 1024) KiB), \(String(format: "%.0f", summary.wallSeconds)) s")
        for v in summary.validations {
            print("\nheld-out errors, split \(v.split.kind.rawValue) (\(v.split.foldCount) folds); rms over sites of the "
                  + "r²-weighted rms ΔV error (Ry): model | atomic-superposition start | factor")
            for s in v.summaries {
                let b = s.baseline
                print(String(format: "  %-9@ %4d sites  charge %.4f | %.4f   magnetic %.4f | %.4f   total %.4f | %.4f   ×%.1f",
                             s.siteClass as NSString, s.sites, s.model.charge, b?.charge ?? .nan, s.model.magnetic,
                             b?.magnetic ?? .nan, s.model.total, b?.total ?? .nan, s.improvement ?? .nan))
            }
        }
        if !summary.learningCurve.isEmpty {
            print("\nlearning curve (held-out random fold; total rms, Ry): pairs  impurity  shell1  all")
            for p in summary.learningCurve {
                let v = ["impurity", "shell1", "all"].map { c in p.summaries.first { $0.siteClass == c }?.model.total ?? .nan }
                print(String(format: "  %5d  %.4f  %.4f  %.4f", p.trainingPairs, v[0], v[1], v[2]))
            }
        }
        if !summary.diagnosis.isEmpty { print("\n" + summary.diagnosis.joined(separator: "\n")) }
        if !summary.plots.isEmpty { print("\nplots: " + summary.plots.joined(separator: ", ")) }
    }
}
