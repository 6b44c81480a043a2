import Foundation
import Descriptors
import Elements
import KKRNumerics
import Lattice
import Storage

/// One training site: its shell (site class), feature input, target coefficients and group
/// (cross-validation fold; all sites of one record share it).
public struct TrainingSample: Sendable {
    public let shell: Int
    public let input: SiteFeatureInput
    public let target: ProjectedSitePotential
    public let group: Int
    /// Site properties learned alongside ΔV (`EmulatorModel.propertyNames`): spin moment (μ_B,
    /// impurity-moment ≥ 0 convention) and net charge Z − N (e); empty if unknown.
    public let properties: [Double]

    public init(shell: Int, input: SiteFeatureInput, target: ProjectedSitePotential, group: Int, properties: [Double] = []) {
        self.shell = shell; self.input = input; self.target = target; self.group = group; self.properties = properties
    }
}

/// Sufficient statistics of all regressions of a model, per group of samples.
public struct EmulatorStatistics: Sendable {
    /// regressions[shell][l][group].
    public var regressions: [[[RidgeStatistics]]]
    /// properties[shell][group]: the site-property regression (l = 0 rows; outputs moment, net
    /// charge); empty when the samples carry no properties.
    public var properties: [[RidgeStatistics]]

    public init(regressions: [[[RidgeStatistics]]], properties: [[RidgeStatistics]]) {
        self.regressions = regressions
        self.properties = properties
    }

    /// All groups summed into one.
    public func merged() -> EmulatorStatistics {
        func sum(_ g: [RidgeStatistics]) -> [RidgeStatistics] { [g.dropFirst().reduce(g[0], +)] }
        return EmulatorStatistics(regressions: regressions.map { $0.map(sum) }, properties: properties.map(sum))
    }

    /// Group-wise sum (both operands must have the same layout).
    public static func + (a: EmulatorStatistics, b: EmulatorStatistics) -> EmulatorStatistics {
        EmulatorStatistics(regressions: zip(a.regressions, b.regressions).map { zip($0, $1).map { zip($0, $1).map { $0 + $1 } } },
                           properties: zip(a.properties, b.properties).map { zip($0, $1).map { $0 + $1 } })
    }

    /// Group-wise difference (removes the rows of `b`, e.g. a held-out fold).
    public static func - (a: EmulatorStatistics, b: EmulatorStatistics) -> EmulatorStatistics {
        EmulatorStatistics(regressions: zip(a.regressions, b.regressions).map { zip($0, $1).map { zip($0, $1).map { $0 - $1 } } },
                           properties: zip(a.properties, b.properties).map { zip($0, $1).map { $0 - $1 } })
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
    ///
    /// `priors[key]` is the prior ΔV of every site of record `key`, in the record's site order
    /// (required for models with a prior). With `PriorMode.residual` the sample targets are
    /// ΔV − prior (the prior's magnetic part is never flipped: it is the start in the impurity
    /// moment ≥ 0 convention).
    public static func samples(from records: [ImpurityRecord], configuration: EmulatorConfiguration,
                               provider: any ElementFeatureProvider,
                               split: DatasetSplit? = nil,
                               priors: [String: [SitePotentialData]] = [:]) throws -> (samples: [TrainingSample], flipped: [String]) {
        let assembly = try FeatureAssembly(configuration: configuration)
        var samples: [TrainingSample] = []
        var flipped: [String] = []
        var projectors: [RadialProjector] = []
        for record in records {
            try record.validate()
            let lattice = try CrystalLattice(record.lattice, latticeConstantBohr: record.latticeConstantBohr)
            let cluster = try ImpurityCluster(lattice: lattice, host: record.host, impurity: record.impurity,
                                              shellCount: configuration.shellCount)
            var recordPriors: [ProjectedSitePotential]?
            if configuration.prior != .none {
                guard let p = priors[record.key], p.count == record.sites.count else {
                    throw EmulatorError.training("record \(record.key) has no \(configuration.priorName) prior for each of its "
                        + "\(record.sites.count) sites (the model is configured with prior mode \(configuration.prior.rawValue))")
                }
                recordPriors = try p.map { try $0.projected(on: configuration.radialBasis, lMax: configuration.targetLMax,
                                                            projectors: &projectors) }
            }
            let inputs = try assembly.inputs(for: cluster, provider: provider, impurityPrior: recordPriors?[0])
            let group = try split?.fold(of: record.key) ?? 0
            let flip = record.sites[0].momentBohrMagneton < 0
            if flip { flipped.append(record.key) }
            for (i, position) in cluster.cluster.positionsInUnitsOfA.enumerated() {
                guard let siteIndex = record.sites.firstIndex(where: { length($0.positionInUnitsOfA - position) < 1e-6 }) else {
                    throw EmulatorError.training("record \(record.key) has no site at \(position) a (shell \(cluster.shellIndices[i])); "
                        + "the model needs the impurity and \(configuration.shellCount) shell(s): rerun with a larger cluster "
                        + "or train with fewer shells")
                }
                let site = record.sites[siteIndex]
                guard site.element == cluster.element(ofSite: i) else {
                    throw EmulatorError.training("record \(record.key): site at \(position) a holds \(site.element.symbol), "
                        + "expected \(cluster.element(ofSite: i).symbol)")
                }
                var target = try site.potential.projected(on: configuration.radialBasis, lMax: configuration.targetLMax,
                                                          projectors: &projectors)
                if flip { target = target.withFlippedMagnetisation() }
                if configuration.prior.isResidual, let p = recordPriors?[siteIndex] {
                    target = try target.subtracting(p)
                }
                let moment = flip ? -site.momentBohrMagneton : site.momentBohrMagneton
                samples.append(TrainingSample(shell: cluster.shellIndices[i], input: inputs[i], target: target, group: group,
                                              properties: [moment, site.netChargeElectrons]))
            }
        }
        return (samples, flipped)
    }

    /// Trains from data-set records. Cross-validation uses the folds of `split` (required then).
    public static func train(records: [ImpurityRecord], configuration: EmulatorConfiguration = .standard(),
                             selection: HyperparameterSelection = .evidence(), split: DatasetSplit? = nil,
                             provider: any ElementFeatureProvider = ElementFeatureTable(),
                             priors: [String: [SitePotentialData]] = [:]) throws -> (EmulatorModel, TrainingReport) {
        if case .crossValidation = selection, split == nil {
            throw EmulatorError.training("cross-validation needs a split (DatasetSplit.make(.randomPairs, …), "
                + ".leaveOneImpurityOut or .leaveOneHostOut)")
        }
        let (samples, flipped) = try samples(from: records, configuration: configuration, provider: provider, split: split,
                                             priors: priors)
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
        let groupCount = (samples.map(\.group).max() ?? 0) + 1
        guard samples.allSatisfy({ $0.group >= 0 }) else { throw EmulatorError.training("negative group label") }
        let stats = try statistics(samples: samples, configuration: configuration, groupCount: groupCount)
        return try fit(statistics: stats, configuration: configuration, selection: selection, elementFeatures: elementFeatures,
                       trainingPairs: trainingPairs, provenance: provenance)
    }

    /// Sufficient statistics of every regression, per group (groups 0…groupCount−1,
    /// `TrainingSample.group`). Sums of statistics are statistics of the union of the rows, so
    /// cross-validation folds and learning curves never rebuild rows. The property regression is
    /// included when every sample carries `EmulatorModel.propertyNames.count` properties.
    public static func statistics(samples: [TrainingSample], configuration: EmulatorConfiguration,
                                  groupCount: Int = 1) throws -> EmulatorStatistics {
        let assembly = try FeatureAssembly(configuration: configuration)
        let kCount = configuration.radialBasis.count, q = configuration.outputCount
        let lMax = configuration.targetLMax
        for s in samples where s.target.lMax != lMax || s.target.basisCount != kCount {
            throw EmulatorError.training("a sample's target has lMax = \(s.target.lMax), K = \(s.target.basisCount); "
                + "the configuration needs lMax = \(lMax), K = \(kCount)")
        }
        guard samples.allSatisfy({ $0.group >= 0 && $0.group < groupCount }) else {
            throw EmulatorError.training("sample group labels must be in 0..<\(groupCount)")
        }
        let withProperties = !samples.isEmpty && samples.allSatisfy { $0.properties.count == EmulatorModel.propertyNames.count }
        var out: [[[RidgeStatistics]]] = []
        var properties: [[RidgeStatistics]] = []
        for shell in 0...configuration.shellCount {
            let shellSamples = samples.filter { $0.shell == shell }
            if withProperties {
                let p = assembly.featureCount(l: 0), np = EmulatorModel.propertyNames.count
                var groups = (0..<groupCount).map { _ in RidgeStatistics(featureCount: p, outputCount: np) }
                for g in 0..<groupCount {
                    let members = shellSamples.filter { $0.group == g }
                    for start in stride(from: 0, to: members.count, by: 256) {
                        let batch = members[start..<min(start + 256, members.count)]
                        var x = RealMatrix(rows: batch.count, cols: p)
                        var y = RealMatrix(rows: batch.count, cols: np)
                        for (i, s) in batch.enumerated() {
                            try assembly.fillRows(l: 0, input: s.input, into: &x, at: i)
                            for (k, v) in s.properties.enumerated() { y[i, k] = v }
                        }
                        try groups[g].add(rows: x, targets: y)
                    }
                }
                properties.append(groups)
            }
            var perL: [[RidgeStatistics]] = []
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
                perL.append(groups)
            }
            out.append(perL)
        }
        return EmulatorStatistics(regressions: out, properties: properties)
    }

    /// Fits the model from statistics[shell][l][group] (`statistics(samples:…)`, possibly summed
    /// or with folds removed). Cross-validation uses the non-empty groups as folds.
    public static func fit(statistics all: EmulatorStatistics, configuration: EmulatorConfiguration,
                           selection: HyperparameterSelection, elementFeatures: StoredElementFeatures,
                           trainingPairs: [TrainingPair], provenance: [String: String] = [:],
                           attachments: [String: HDF5Array<Double>] = [:]) throws -> (EmulatorModel, TrainingReport) {
        let statistics = all.regressions
        guard statistics.count == configuration.shellCount + 1,
              statistics.allSatisfy({ $0.count == configuration.targetLMax + 1 }) else {
            throw EmulatorError.shapeMismatch("statistics for \(statistics.count) shells; the configuration needs "
                + "\(configuration.shellCount + 1) shells × \(configuration.targetLMax + 1) l")
        }
        var fits: [[RidgeFit]] = []
        var reports: [[RidgeReport]] = []
        var siteCounts: [Int] = []
        for (shell, perL) in statistics.enumerated() {
            let rows0 = perL[0].reduce(0) { $0 + $1.rowCount }
            guard rows0 > 0 else {
                throw EmulatorError.training("no training sites for shell \(shell); records must contain the impurity and "
                    + "\(configuration.shellCount) neighbour shell(s)")
            }
            siteCounts.append(rows0)
            var shellFits: [RidgeFit] = []
            var shellReports: [RidgeReport] = []
            for (l, groups) in perL.enumerated() {
                let nonEmpty = groups.filter { $0.rowCount > 0 }
                let (fit, report) = try BayesianRidge.fit(groups: nonEmpty, intercept: l == 0 && !configuration.vanishingForHost,
                                                          selection: selection)
                shellFits.append(fit)
                shellReports.append(report)
            }
            fits.append(shellFits)
            reports.append(shellReports)
        }
        // Site properties: evidence maximisation (a cross-validation grid would need the folds,
        // which the property statistics share with the regressions).
        let propertyFits = try all.properties.map { groups -> RidgeFit in
            let nonEmpty = groups.filter { $0.rowCount > 0 }
            return try BayesianRidge.fit(groups: nonEmpty, intercept: true, selection: .evidence()).fit
        }
        var prov = provenance
        prov["software"] = softwareVersion
        prov["hyperparameters"] = selection.name
        prov["createdUTC"] = ISO8601DateFormatter().string(from: Date())
        let model = try EmulatorModel(configuration: configuration, fits: fits, elementFeatures: elementFeatures,
                                      trainingPairs: trainingPairs, provenance: prov, attachments: attachments,
                                      propertyFits: propertyFits)
        return (model, TrainingReport(method: selection.name, regressions: reports, siteCounts: siteCounts, flippedMagnetisation: []))
    }
}
