import Descriptors
import Elements
import Emulator
import Impurity
import Foundation
import KKR
import Plotting
import PotentialIO
import Storage

/// Options of `kkr-emulator train` (docs/emulator.md §13).
public struct EmulatorTrainingOptions: Sendable {
    public var datasetPath: String
    public var outputPath: String
    public var force = false
    public var recipe = "screened"
    /// Free-atom table cache (HDF5): read if it exists, else computed and written there.
    /// nil: computed in memory (≈ 1 min for Z = 1…86).
    public var atomTablePath: String?
    /// Host files of the dataset's runs (its `hostcache/`): the semicore-guard shift of every
    /// stored start is recomputed from them (`StartGuardRecovery`). Needed by recipes of the plain
    /// prior when records predate the stored shift; nil: the stored shifts are used.
    public var hostCacheDirectory: String?
    /// Splits evaluated by cross-validation (empty: no validation, just the final fit).
    public var splits: [SplitKind] = [.randomPairs, .leaveOneImpurityOut]
    public var randomFolds = 5
    public var seed: UInt64 = 0
    /// Training-set sizes of the learning curve (held-out fold 0 of the random split); empty: none.
    public var learningCurveSizes = [8, 16, 32, 64, 128, 256]
    public var plots = true
    /// Records whose impurity sphere has |Z − N| above this (e) are rejected as failed physics
    /// (lost or gained electrons: a broken charge neutrality, not a potential to learn).
    public var maxImpurityNetCharge = 2.0
    /// Per-record error diagnosis of every split (`EmulatorDiagnosis`) in the summary.
    public var diagnose = false
    /// Overrides of the recipe's kernel maps (recipes with random-Fourier kernels only): length
    /// scale ℓ in standardised units and feature count D of every map.
    public var kernelLengthScale: Double?
    public var kernelCount: Int?

    public init(datasetPath: String, outputPath: String) {
        self.datasetPath = datasetPath
        self.outputPath = outputPath
    }

    /// Files written next to the model.
    public var parityPlotPaths: [String] { splits.map { "\(outputPath).parity-\($0.rawValue).svg" } }
    public var learningCurvePlotPath: String { "\(outputPath).learning-curve.svg" }
    public var outputPaths: [String] {
        [outputPath] + (plots ? parityPlotPaths + (learningCurveSizes.isEmpty ? [] : [learningCurvePlotPath]) : [])
    }
}

/// What `train` did and measured.
public struct EmulatorTrainingSummary: Sendable {
    public var options: EmulatorTrainingOptions
    public var recipe: EmulatorRecipe
    public var records: Int
    public var failedRecords: [String]
    /// Records rejected by the data-quality gate, with the reason.
    public var rejectedRecords: [String]
    public var flippedMagnetisation: [String]
    public var validations: [EmulatorValidationResult]
    public var learningCurve: [EmulatorLearningPoint]
    public var modelBytes: Int
    public var wallSeconds: Double
    public var plots: [String]
    /// `EmulatorDiagnosis` report lines (options.diagnose), else empty.
    public var diagnosis: [String] = []

    /// JSON object with stable keys that carry their units.
    public func json() -> [String: Any] {
        func site(_ s: EmulatorErrorSummary) -> [String: Any] {
            var d: [String: Any] = ["sites": s.sites, "rmsModelRy": s.model.total, "rmsModelChargeRy": s.model.charge,
                                    "rmsModelMagneticRy": s.model.magnetic]
            if let b = s.baseline {
                d["rmsBaselineRy"] = b.total
                d["rmsBaselineChargeRy"] = b.charge
                d["rmsBaselineMagneticRy"] = b.magnetic
                d["improvementFactor"] = b.total / s.model.total
            }
            return d
        }
        var out: [String: Any] = [
            "dataset": options.datasetPath, "model": options.outputPath, "recipe": recipe.name, "recipeSummary": recipe.summary,
            "records": records, "failedRecords": failedRecords.count, "rejectedRecords": rejectedRecords, "flippedMagnetisation": flippedMagnetisation,
            "modelBytes": modelBytes, "wallSeconds": wallSeconds, "plots": plots,
            "metric": "r2-weighted rms over the atomic sphere of the smooth dV (all L), per site; aggregated as rms over sites",
        ]
        var splits: [[String: Any]] = []
        for v in validations {
            var classes: [String: Any] = [:]
            for s in v.summaries { classes[s.siteClass] = site(s) }
            splits.append(["split": v.split.kind.rawValue, "folds": v.split.foldCount, "seed": Int(v.split.seed), "siteClasses": classes])
            if let all = v.summary("all") {
                let suffix = v.split.kind == .randomPairs ? "" : v.split.kind == .leaveOneImpurityOut ? "LeaveOneImpurityOut" : "LeaveOneHostOut"
                out["rmsHeldOut\(suffix)Ry"] = all.model.total
                if let b = all.baseline {
                    out["rmsBaseline\(suffix)Ry"] = b.total
                    out["improvementFactor\(suffix)"] = b.total / all.model.total
                }
            }
        }
        out["validation"] = splits
        out["learningCurve"] = learningCurve.map { p -> [String: Any] in
            var d: [String: Any] = ["trainingPairs": p.trainingPairs]
            for s in p.summaries { d[s.siteClass] = site(s) }
            return d
        }
        return out
    }

    public func jsonString() throws -> String {
        let data = try JSONSerialization.data(withJSONObject: json(), options: [.prettyPrinted, .sortedKeys])
        return String(decoding: data, as: UTF8.self)
    }
}

/// The `train` workflow: load a dataset, validate the recipe by cross-validation on held-out
/// splits, draw the learning curve and parity plots, fit the final model on all records and
/// write it (with its free-atom table) atomically.
public enum EmulatorTraining {
    /// The free-atom table of the default conventions (HostSettings defaults: scalar-relativistic,
    /// VWN, JuKKR c — the settings of the default database), cached in `path` if given.
    public static func atomTable(path: String?, log: (String) -> Void = { _ in }) throws -> EmulatorAtomTable {
        if let path, FileManager.default.fileExists(atPath: path) {
            let attachments: [String: HDF5Array<Double>] = try HDF5File.withFile(path) { f in
                var a: [String: HDF5Array<Double>] = [:]
                for name in try f.children(of: "/") { a[name] = try f.read(Double.self, from: name) }
                return a
            }
            guard let t = try EmulatorAtomTable(attachments: attachments, file: path) else {
                throw EmulatorError.corruptFile(file: path, detail: "not a free-atom table")
            }
            return t
        }
        log("free atoms Z = 1…86 (non-polarised and LSDA, ≈ 1 min)…")
        let settings = HostSettings(elementSymbol: "Cu", lattice: "fcc", latticeConstantBohr: 6.82)
        let table = try EmulatorAtomTable.compute(settings: settings)
        if let path {
            try HDF5File.writeAtomically(to: path, overwrite: false) { f in
                for (k, v) in table.attachments() { try f.write(v.values, shape: v.shape, to: k) }
            }
        }
        return table
    }

    public static func run(_ options: EmulatorTrainingOptions, log: (String) -> Void = { _ in }) throws -> EmulatorTrainingSummary {
        let t0 = Date()
        if !options.force {
            for p in options.outputPaths where FileManager.default.fileExists(atPath: p) {
                throw EmulatorError.invalidInput("\(p) exists; use --force to overwrite")
            }
        }
        var recipe = try EmulatorRecipe.named(options.recipe)
        if options.kernelLengthScale != nil || options.kernelCount != nil {
            guard !recipe.kernels.isEmpty else {
                throw EmulatorError.invalidInput("recipe '\(recipe.name)' has no kernel maps; --kernel-length-scale and "
                    + "--kernel-count apply to recipes with kernels (trend, kernel)")
            }
            for i in recipe.kernels.indices {
                if let l = options.kernelLengthScale { recipe.kernels[i].lengthScale = l }
                if let d = options.kernelCount { recipe.kernels[i].count = d }
            }
            recipe.summary += String(format: " [kernels overridden: ℓ = %g, D = %d]", recipe.kernels[0].lengthScale, recipe.kernels[0].count)
        }
        let loaded = try EmulatorDataLoader.load(path: options.datasetPath)
        guard loaded.records.count >= 2 else {
            throw EmulatorError.training("\(options.datasetPath): \(loaded.records.count) usable record(s); training needs at least 2")
        }
        log("\(options.datasetPath): \(loaded.records.count) records (\(loaded.failed.count) failed pairs skipped)")
        var rejected: [String] = []
        var usable = loaded.records.filter { t in
            let q = t.record.sites[0].netChargeElectrons
            if abs(q) > options.maxImpurityNetCharge {
                rejected.append(String(format: "%@: impurity net charge %+.2f e exceeds ±%.1f e (charge-neutrality failure of the run)",
                                       t.key, q, options.maxImpurityNetCharge))
                return false
            }
            return true
        }
        for r in rejected { log("rejected " + r) }
        guard usable.count >= 2 else {
            throw EmulatorError.training("\(options.datasetPath): \(usable.count) usable record(s) after the quality gate; training needs at least 2")
        }
        let table = try atomTable(path: options.atomTablePath, log: log)
        if let dir = options.hostCacheDirectory {
            _ = try StartGuardRecovery.recover(&usable, hostDirectory: dir, table: table, log: log)
        }
        let features = try table.featureTable()
        let stored = try StoredElementFeatures(provider: features, elements: EmulatorAtomTable.defaultElements.filter {
            table.entries[$0.atomicNumber] != nil
        })
        let prepared = try EmulatorValidation.prepare(usable, configuration: recipe.configuration, provider: features)
        // The kernel map (if any) is fitted on all usable records (input statistics only, no targets).
        let configuration = try recipe.fittedConfiguration(prepared)
        let flipped = prepared.filter { $0.impurityMomentBohrMagneton < 0 }.map(\.key)
        let records = usable.map(\.record)

        var validations: [EmulatorValidationResult] = []
        for kind in options.splits {
            let split = try DatasetSplit.make(kind, records: records, foldCount: options.randomFolds, seed: options.seed)
            log("cross-validation \(kind.rawValue): \(split.foldCount) folds…")
            let v = try EmulatorValidation.crossValidate(prepared, split: split, configuration: configuration,
                                                         selection: recipe.selection, elementFeatures: stored,
                                                         innerGrouping: recipe.innerGrouping)
            validations.append(v)
        }
        var curve: [EmulatorLearningPoint] = []
        if !options.learningCurveSizes.isEmpty {
            let split = try DatasetSplit.make(.randomPairs, records: records, foldCount: options.randomFolds, seed: options.seed)
            log("learning curve (held-out fold 1 of \(split.foldCount), random pairs)…")
            curve = try EmulatorValidation.learningCurve(prepared, split: split, sizes: options.learningCurveSizes, seed: options.seed &+ 1,
                                                         configuration: configuration, selection: recipe.selection,
                                                         elementFeatures: stored, innerGrouping: recipe.innerGrouping)
        }

        log("final fit on all \(prepared.count) records…")
        let (groups, groupCount) = try EmulatorValidation.innerGroups(prepared, grouping: recipe.innerGrouping)
        let stats = try EmulatorValidation.statistics(prepared, configuration: configuration, groups: groups, groupCount: groupCount)
        var provenance = [
            "dataset": options.datasetPath, "records": "\(prepared.count)", "recipe": recipe.name, "recipeSummary": recipe.summary,
            "freeAtoms": "Z = \(table.entries.keys.min() ?? 0)…\(table.entries.keys.max() ?? 0), \(table.conventions.description)",
            "codeVersion": KKREmulatorVersion.string,
        ]
        if !flipped.isEmpty { provenance["flippedMagnetisation"] = flipped.joined(separator: ",") }
        for v in validations {
            if let all = v.summary("all") {
                provenance["validation.\(v.split.kind.rawValue)"] = String(format: "rms %.4g Ry (baseline %.4g Ry) over %d held-out sites",
                                                                            all.model.total, all.baseline?.total ?? .nan, all.sites)
            }
        }
        let (fitted, _) = try EmulatorTrainer.fit(statistics: stats, configuration: configuration, selection: recipe.selection,
                                                  elementFeatures: stored, trainingPairs: prepared.map(\.pair),
                                                  provenance: provenance, attachments: table.attachments())
        // Typical predictive σ of the impurity site over the training pairs: the reference of
        // predict-potential's large-uncertainty warning.
        let sigmas = try prepared.map { r -> Double in
            let p = try fitted.predict(inputs: r.samples.map(\.input), shells: r.shells, deltaZ: r.deltaZ, priors: r.priors)
            return p.sites[0].rmsStandardDeviation.total
        }.sorted()
        var finalProvenance = fitted.provenance
        finalProvenance["referenceImpuritySigmaRy"] = String(sigmas[sigmas.count / 2])
        let model = try EmulatorModel(configuration: fitted.configuration, fits: fitted.fits, elementFeatures: fitted.elementFeatures,
                                      trainingPairs: fitted.trainingPairs, provenance: finalProvenance,
                                      attachments: fitted.attachments, propertyFits: fitted.propertyFits)
        try model.save(to: options.outputPath, overwrite: options.force)
        let bytes = (try? FileManager.default.attributesOfItem(atPath: options.outputPath)[.size] as? Int) ?? 0

        var plots: [String] = []
        if options.plots {
            for (v, path) in zip(validations, options.parityPlotPaths) {
                try parityPlot(v, shellCount: configuration.shellCount, to: path, force: options.force)
                plots.append(path)
            }
            if !curve.isEmpty {
                try learningCurvePlot(curve, shellCount: configuration.shellCount, to: options.learningCurvePlotPath, force: options.force)
                plots.append(options.learningCurvePlotPath)
            }
        }
        var diagnosis: [String] = []
        if options.diagnose {
            diagnosis += EmulatorDiagnosis.featureOutliers(prepared, names: configuration.pairScalarNames) + [""]
            for v in validations {
                for shell in 0...min(configuration.shellCount, 1) {
                    diagnosis += EmulatorDiagnosis.report(v, records: prepared, shell: shell) + [""]
                }
            }
        }
        return EmulatorTrainingSummary(options: options, recipe: recipe, records: prepared.count, failedRecords: loaded.failed,
                                       rejectedRecords: rejected,
                                       flippedMagnetisation: flipped, validations: validations, learningCurve: curve,
                                       modelBytes: bytes, wallSeconds: Date().timeIntervalSince(t0), plots: plots,
                                       diagnosis: diagnosis)
    }

    /// Parity plot: predicted vs true L = 00 radial coefficients of held-out sites, one panel per
    /// (site class, charge/magnetic).
    static func parityPlot(_ v: EmulatorValidationResult, shellCount: Int, to path: String, force: Bool) throws {
        let classes = Array(0...min(shellCount, 1))
        var fig = try Figure(width: 900, height: 420 * Double(classes.count), rows: classes.count, columns: 2,
                             title: "Held-out parity (\(v.split.kind.rawValue), \(v.split.foldCount) folds): L = 00 radial coefficients")
        for (row, shell) in classes.enumerated() {
            let errors = v.siteErrors.filter { $0.shell == shell }
            for (col, comp) in SpinComponent.allCases.enumerated() {
                var axes = Axes(title: "\(shell == 0 ? "impurity" : "shell \(shell)") — \(comp.name)",
                                xLabel: "true coefficient (Ry)", yLabel: "predicted (Ry)")
                axes.squareLimits = true
                axes.legend = .topLeft
                var x: [Double] = [], y: [Double] = []
                for e in errors {
                    let k = e.trueL00.count / 2
                    let range = comp == .charge ? 0..<k : k..<(2 * k)
                    x += e.trueL00[range]
                    y += e.predictedL00[range]
                }
                if !x.isEmpty {
                    try axes.scatter(x, y, label: "\(errors.count) sites")
                    axes.diagonal(label: "y = x")
                }
                fig[row, col] = axes
            }
        }
        try AtomicFileWriter.write(try fig.svg(), to: path, overwrite: force)
    }

    /// Learning curve: held-out rms vs number of training pairs (log–log), model and baseline.
    static func learningCurvePlot(_ curve: [EmulatorLearningPoint], shellCount: Int, to path: String, force: Bool) throws {
        var fig = try Figure(width: 720, height: 480, title: "Learning curve (held-out random fold)")
        var axes = Axes(xLabel: "training pairs", yLabel: "rms error of ΔV (Ry, r²-weighted)")
        axes.xScale = .log
        axes.yScale = .log
        let n = curve.map { Double($0.trainingPairs) }
        let classes = ["impurity"] + (shellCount >= 1 ? ["shell1"] : []) + ["all"]
        for (i, c) in classes.enumerated() {
            let model = curve.map { $0.summaries.first { $0.siteClass == c }?.model.total ?? .nan }
            try axes.plot(n, model, label: "model, \(c)", style: LineStyle(color: Palette.color(i), marker: .circle))
            if let b = curve.last?.summaries.first(where: { $0.siteClass == c })?.baseline?.total {
                try axes.horizontalLine(b, label: "baseline, \(c)", style: LineStyle(color: Palette.color(i), dash: .dashed))
            }
        }
        fig.axes = axes
        try AtomicFileWriter.write(try fig.svg(), to: path, overwrite: force)
    }
}
