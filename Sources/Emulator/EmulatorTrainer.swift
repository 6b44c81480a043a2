import Foundation
import Descriptors
import Elements
import KKRNumerics
import Lattice

/// One training site: its shell (site class), feature input, target coefficients and group
/// (cross-validation fold; all sites of one record share it).
public struct TrainingSample: Sendable {
    public let shell: Int
    public let input: SiteFeatureInput
    public let target: ProjectedSitePotential
    public let group: Int

    public init(shell: Int, input: SiteFeatureInput, target: ProjectedSitePotential, group: Int) {
        self.shell = shell; self.input = input; self.target = target; self.group = group
    }
}

/// Summary of a training run.
public struct TrainingReport: Sendable {
    public let method: String
    /// regressions[shell][l].
    public let regressions: [[RidgeReport]]
    /// Training sites per shell.
    public let siteCounts: [Int]
    /// Record keys whose magnetic part was negated to the impurity-moment ≥ 0 convention.
    public let flippedMagnetisation: [String]
}

/// Builds training samples from data-set records and fits the model.
public enum EmulatorTrainer {
    /// Version string written into model provenance.
    public static let softwareVersion = "kkr-emulator 0.1"

    /// Training samples of all cluster sites (shells 0…configuration.shellCount) of `records`.
    ///
    /// Magnetic sign convention: a collinear impurity has two equivalent solutions (all moments
    /// reversed). Records whose impurity moment is negative have their magnetic components
    /// negated, so that the model learns impurity moment ≥ 0; the flipped keys are returned (and
    /// reported by `train`), never flipped silently.
    public static func samples(from records: [ImpurityRecord], configuration: EmulatorConfiguration,
                               provider: any ElementFeatureProvider,
                               split: DatasetSplit? = nil) throws -> (samples: [TrainingSample], flipped: [String]) {
        let assembly = try FeatureAssembly(configuration: configuration)
        var samples: [TrainingSample] = []
        var flipped: [String] = []
        var projectors: [RadialProjector] = []
        for record in records {
            try record.validate()
            let lattice = try CrystalLattice(record.lattice, latticeConstantBohr: record.latticeConstantBohr)
            let cluster = try ImpurityCluster(lattice: lattice, host: record.host, impurity: record.impurity,
                                              shellCount: configuration.shellCount)
            let inputs = try assembly.inputs(for: cluster, provider: provider)
            let group = try split?.fold(of: record.key) ?? 0
            let flip = record.sites[0].momentBohrMagneton < 0
            if flip { flipped.append(record.key) }
            for (i, position) in cluster.cluster.positionsInUnitsOfA.enumerated() {
                guard let site = record.sites.first(where: { length($0.positionInUnitsOfA - position) < 1e-6 }) else {
                    throw EmulatorError.training("record \(record.key) has no site at \(position) a (shell \(cluster.shellIndices[i])); "
                        + "the model needs the impurity and \(configuration.shellCount) shell(s): rerun with a larger cluster "
                        + "or train with fewer shells")
                }
                guard site.element == cluster.element(ofSite: i) else {
                    throw EmulatorError.training("record \(record.key): site at \(position) a holds \(site.element.symbol), "
                        + "expected \(cluster.element(ofSite: i).symbol)")
                }
                var target = try site.potential.projected(on: configuration.radialBasis, lMax: configuration.targetLMax,
                                                          projectors: &projectors)
                if flip { target = target.withFlippedMagnetisation() }
                samples.append(TrainingSample(shell: cluster.shellIndices[i], input: inputs[i], target: target, group: group))
            }
        }
        return (samples, flipped)
    }

    /// Trains from data-set records. Cross-validation uses the folds of `split` (required then).
    public static func train(records: [ImpurityRecord], configuration: EmulatorConfiguration = .standard(),
                             selection: HyperparameterSelection = .evidence(), split: DatasetSplit? = nil,
                             provider: any ElementFeatureProvider = ElementFeatureTable()) throws -> (EmulatorModel, TrainingReport) {
        if case .crossValidation = selection, split == nil {
            throw EmulatorError.training("cross-validation needs a split (DatasetSplit.make(.randomPairs, …), "
                + ".leaveOneImpurityOut or .leaveOneHostOut)")
        }
        let (samples, flipped) = try samples(from: records, configuration: configuration, provider: provider, split: split)
        let elements = Array(Set(records.flatMap { [$0.host, $0.impurity] })).sorted { $0.atomicNumber < $1.atomicNumber }
        var provenance = ["records": "\(records.count)"]
        if let split { provenance["split"] = "\(split.name) (\(split.kind.rawValue), seed \(split.seed), \(split.foldCount) folds)" }
        let (model, report) = try train(samples: samples, configuration: configuration, selection: selection,
                                        elementFeatures: try StoredElementFeatures(provider: provider, elements: elements),
                                        trainingPairs: records.map(\.trainingPair), provenance: provenance)
        return (model, TrainingReport(method: report.method, regressions: report.regressions, siteCounts: report.siteCounts,
                                      flippedMagnetisation: flipped))
    }

    /// Fits one regression per (shell, l) from samples (docs/emulator.md §4–5).
    public static func train(samples: [TrainingSample], configuration: EmulatorConfiguration,
                             selection: HyperparameterSelection, elementFeatures: StoredElementFeatures,
                             trainingPairs: [TrainingPair], provenance: [String: String] = [:]) throws -> (EmulatorModel, TrainingReport) {
        let assembly = try FeatureAssembly(configuration: configuration)
        let kCount = configuration.radialBasis.count, q = configuration.outputCount
        let lMax = configuration.targetLMax
        let groupCount = (samples.map(\.group).max() ?? 0) + 1
        guard samples.allSatisfy({ $0.group >= 0 }) else { throw EmulatorError.training("negative group label") }
        for s in samples where s.target.lMax != lMax || s.target.basisCount != kCount {
            throw EmulatorError.training("a sample's target has lMax = \(s.target.lMax), K = \(s.target.basisCount); "
                + "the configuration needs lMax = \(lMax), K = \(kCount)")
        }
        var fits: [[RidgeFit]] = []
        var reports: [[RidgeReport]] = []
        var siteCounts: [Int] = []
        for shell in 0...configuration.shellCount {
            let shellSamples = samples.filter { $0.shell == shell }
            guard !shellSamples.isEmpty else {
                throw EmulatorError.training("no training sites for shell \(shell); records must contain the impurity and "
                    + "\(configuration.shellCount) neighbour shell(s)")
            }
            siteCounts.append(shellSamples.count)
            var shellFits: [RidgeFit] = []
            var shellReports: [RidgeReport] = []
            for l in 0...lMax {
                let p = assembly.featureCount(l: l), w = 2 * l + 1
                var groups = (0..<groupCount).map { _ in RidgeStatistics(featureCount: p, outputCount: q) }
                for g in 0..<groupCount {
                    let members = shellSamples.filter { $0.group == g }
                    // Batches of ≤ 256 sites: one dgemm per batch.
                    for start in stride(from: 0, to: members.count, by: 256) {
                        let batch = members[start..<min(start + 256, members.count)]
                        var x = RealMatrix(rows: batch.count * w, cols: p)
                        var y = RealMatrix(rows: batch.count * w, cols: q)
                        for (i, s) in batch.enumerated() {
                            try assembly.fillRows(l: l, input: s.input, into: &x, at: i * w)
                            for m in 0..<w {
                                for comp in SpinComponent.allCases {
                                    let c = s.target.coefficients(comp, lm: l * l + m)
                                    for (k, value) in c.enumerated() { y[i * w + m, comp.rawValue * kCount + k] = value }
                                }
                            }
                        }
                        try groups[g].add(rows: x, targets: y)
                    }
                }
                let nonEmpty = groups.filter { $0.rowCount > 0 }
                let (fit, report) = try BayesianRidge.fit(groups: nonEmpty, intercept: l == 0, selection: selection)
                shellFits.append(fit)
                shellReports.append(report)
            }
            fits.append(shellFits)
            reports.append(shellReports)
        }
        var prov = provenance
        prov["software"] = softwareVersion
        prov["hyperparameters"] = selection.name
        prov["createdUTC"] = ISO8601DateFormatter().string(from: Date())
        let model = try EmulatorModel(configuration: configuration, fits: fits, elementFeatures: elementFeatures,
                                      trainingPairs: trainingPairs, provenance: prov)
        return (model, TrainingReport(method: selection.name, regressions: reports, siteCounts: siteCounts, flippedMagnetisation: []))
    }
}
