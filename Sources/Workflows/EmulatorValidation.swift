import Descriptors
import Elements
import Emulator
import Foundation
import KKRNumerics
import Lattice
import Radial
import Storage

/// One record prepared for training and validation: regression samples, priors, the truth and
/// the baseline, all in cluster order (impurity first, `Lattice.Cluster` order).
public struct EmulatorPreparedRecord: Sendable {
    public let key: String
    public let host: Element
    public let impurity: Element
    public let pair: TrainingPair
    /// Regression samples (targets in the impurity-moment ≥ 0 convention, residual to the prior
    /// for `PriorMode.residual`).
    public let samples: [TrainingSample]
    /// Priors projected on the model's radial basis (models with a prior), cluster order.
    public let priors: [ProjectedSitePotential]?
    /// Converged smooth ΔV per cluster site on the record's mesh.
    public let truth: [SitePotentialChange]
    /// The run's start (iteration-1 input) ΔV per cluster site, if stored: the baseline.
    public let baseline: [SitePotentialChange]?
    /// The model's prior ΔV per cluster site on the record's mesh (models with a prior): the
    /// baseline, or for `EmulatorPredictor.plainPriorName` the baseline without the semicore
    /// guard. A prediction is the learned correction plus this prior.
    public let prior: [SitePotentialChange]?
    public let impurityMomentBohrMagneton: Double
    /// Z − N of the impurity sphere of the converged run (e); diagnostics only, never a feature.
    public let impurityNetChargeElectrons: Double

    public init(key: String, host: Element, impurity: Element, pair: TrainingPair, samples: [TrainingSample],
                priors: [ProjectedSitePotential]?, truth: [SitePotentialChange], baseline: [SitePotentialChange]?,
                prior: [SitePotentialChange]? = nil, impurityMomentBohrMagneton: Double, impurityNetChargeElectrons: Double = .nan) {
        self.key = key; self.host = host; self.impurity = impurity; self.pair = pair; self.samples = samples
        self.priors = priors; self.truth = truth; self.baseline = baseline; self.prior = prior ?? baseline
        self.impurityMomentBohrMagneton = impurityMomentBohrMagneton
        self.impurityNetChargeElectrons = impurityNetChargeElectrons
    }

    /// A site change of this record in the impurity-moment ≥ 0 convention.
    func sign(_ v: SitePotentialChange) -> SitePotentialChange {
        impurityMomentBohrMagneton < 0 ? v.withFlippedMagnetisation() : v
    }

    public var shells: [Int] { samples.map(\.shell) }
    public var deltaZ: [Int] { shells.map { $0 == 0 ? impurity.atomicNumber - host.atomicNumber : 0 } }
}

/// Errors of one cluster site of a held-out record.
public struct EmulatorSiteError: Sendable {
    public let key: String
    public let host: String
    public let impurity: String
    public let shell: Int
    public let model: SitePotentialError
    public let baseline: SitePotentialError?
    /// Predicted and true radial coefficients (L = 00 charge, then magnetic; moment ≥ 0 convention).
    public let predictedL00: [Double]
    public let trueL00: [Double]
    /// rms predictive σ of the L = 00 coefficients (Ry; sqrt of the mean variance), charge and magnetic.
    public let sigmaL00: SitePotentialError
    /// Decomposition of the model's and the baseline's error (prediction − truth) and of the
    /// true ΔV itself (`EmulatorErrorDecomposition`), for `kkr-emulator train --diagnose`.
    public let modelParts: EmulatorErrorDecomposition
    public let baselineParts: EmulatorErrorDecomposition?
    public let truthParts: EmulatorErrorDecomposition
}

/// Aggregated errors (rms over sites of the per-site rms, Ry) of one site class.
public struct EmulatorErrorSummary: Sendable, Equatable {
    public let siteClass: String
    public let sites: Int
    public let model: SitePotentialError
    public let baseline: SitePotentialError?

    /// baseline total / model total.
    public var improvement: Double? { baseline.map { $0.total / model.total } }

    static func make(_ name: String, _ errors: [EmulatorSiteError]) -> EmulatorErrorSummary {
        func agg(_ v: [SitePotentialError]) -> SitePotentialError {
            let n = Double(max(v.count, 1))
            return SitePotentialError(charge: (v.map { $0.charge * $0.charge }.reduce(0, +) / n).squareRoot(),
                                      magnetic: (v.map { $0.magnetic * $0.magnetic }.reduce(0, +) / n).squareRoot())
        }
        let base = errors.allSatisfy { $0.baseline != nil } && !errors.isEmpty ? agg(errors.map { $0.baseline! }) : nil
        return EmulatorErrorSummary(siteClass: name, sites: errors.count, model: agg(errors.map(\.model)), baseline: base)
    }
}

/// The result of a cross-validation: per-site errors of every held-out record and summaries per
/// site class ("impurity", "shell1", …, "all").
public struct EmulatorValidationResult: Sendable {
    public let split: DatasetSplit
    public let siteErrors: [EmulatorSiteError]
    public let summaries: [EmulatorErrorSummary]

    init(split: DatasetSplit, siteErrors: [EmulatorSiteError], shellCount: Int) {
        self.split = split
        self.siteErrors = siteErrors
        var s: [EmulatorErrorSummary] = []
        for shell in 0...shellCount {
            s.append(.make(shell == 0 ? "impurity" : "shell\(shell)", siteErrors.filter { $0.shell == shell }))
        }
        s.append(.make("all", siteErrors))
        summaries = s
    }

    public func summary(_ siteClass: String) -> EmulatorErrorSummary? { summaries.first { $0.siteClass == siteClass } }
}

/// One point of a learning curve: training pairs → held-out errors.
public struct EmulatorLearningPoint: Sendable, Equatable {
    public let trainingPairs: Int
    public let summaries: [EmulatorErrorSummary]
}

/// Training-set preparation, cross-validation and learning curves (docs/emulator.md §12).
public enum EmulatorValidation {
    /// Cluster order of a record's sites (index into `record.sites` for every cluster site).
    static func clusterOrder(_ record: ImpurityRecord, shellCount: Int) throws -> (order: [Int], shells: [Int]) {
        let lattice = try CrystalLattice(record.lattice, latticeConstantBohr: record.latticeConstantBohr)
        let cluster = try Descriptors.ImpurityCluster(lattice: lattice, host: record.host, impurity: record.impurity,
                                                      shellCount: shellCount)
        let order = try cluster.cluster.positionsInUnitsOfA.map { p in
            guard let i = record.sites.firstIndex(where: { length($0.positionInUnitsOfA - p) < 1e-6 }) else {
                throw EmulatorError.training("record \(record.key) has no site at \(p) a")
            }
            return i
        }
        return (order, cluster.shellIndices)
    }

    /// Prepares records for `configuration` (element features from `provider`). Records without
    /// a stored start are rejected when the configuration needs the prior.
    public static func prepare(_ records: [EmulatorTrainingRecord], configuration: EmulatorConfiguration,
                               provider: any ElementFeatureProvider) throws -> [EmulatorPreparedRecord] {
        var out: [EmulatorPreparedRecord] = []
        var projectors: [RadialProjector] = []
        for t in records {
            let r = t.record
            var priors: [String: [SitePotentialData]] = [:]
            let prior = try t.prior(removingGuard: configuration.priorName == EmulatorPredictor.plainPriorName)
            if let s = prior { priors[r.key] = s.map { .onMesh($0) } }
            if configuration.prior != .none && t.start == nil {
                throw EmulatorError.training("record \(r.key) has no stored start (iteration-1 potential); the model's prior needs it")
            }
            let (samples, _) = try EmulatorTrainer.samples(from: [r], configuration: configuration, provider: provider, priors: priors)
            let (order, _) = try clusterOrder(r, shellCount: configuration.shellCount)
            let truth = try order.map { i -> SitePotentialChange in
                guard case .onMesh(let v) = r.sites[i].potential else {
                    throw EmulatorError.training("record \(r.key): validation needs ΔV on the mesh, not projected coefficients")
                }
                return v
            }
            let baseline = t.start.map { s in order.map { s[$0] } }
            var projected: [ProjectedSitePotential]?
            if configuration.prior != .none, let p = prior {
                projected = try order.map { p[$0] }.map { try SitePotentialData.onMesh($0).projected(on: configuration.radialBasis, lMax: 0,
                                                                                     projectors: &projectors) }
            }
            out.append(EmulatorPreparedRecord(key: r.key, host: r.host, impurity: r.impurity, pair: r.trainingPair, samples: samples,
                                              priors: projected, truth: truth, baseline: baseline,
                                              prior: prior.map { p in order.map { p[$0] } },
                                              impurityMomentBohrMagneton: r.sites[order[0]].momentBohrMagneton,
                                              impurityNetChargeElectrons: r.sites[order[0]].netChargeElectrons))
        }
        return out
    }

    /// Statistics of a set of prepared records, grouped by `groups` (record key → group in
    /// 0..<groupCount; the folds of the hyper-parameter cross-validation).
    public static func statistics(_ records: [EmulatorPreparedRecord], configuration: EmulatorConfiguration,
                           groups: [String: Int], groupCount: Int) throws -> EmulatorStatistics {
        let samples = records.flatMap { r in
            r.samples.map {
                TrainingSample(shell: $0.shell, input: $0.input, target: $0.target, group: groups[r.key] ?? 0, properties: $0.properties)
            }
        }
        return try EmulatorTrainer.statistics(samples: samples, configuration: configuration, groupCount: groupCount)
    }

    /// How records are grouped into the folds of the inner (hyper-parameter) cross-validation.
    public enum InnerGrouping: String, Sendable, Equatable {
        /// Records dealt into folds at random: λ is tuned for new pairs of known elements.
        case randomPairs
        /// All records of one impurity element in one fold: λ is tuned for unseen impurity
        /// elements, which selects stronger shrinkage towards the prior where the chemistry
        /// must be extrapolated.
        case impurityElement
    }

    /// The inner grouping of records for hyper-parameter cross-validation: `folds` folds,
    /// seeded (independent of the outer validation split); random pairs or whole impurity
    /// elements (`InnerGrouping`).
    public static func innerGroups(_ records: [EmulatorPreparedRecord], folds: Int = 5, seed: UInt64 = 7,
                                   grouping: InnerGrouping = .randomPairs) throws -> (groups: [String: Int], count: Int) {
        var rng = SplitMix64(seed: seed)
        func shuffled(_ a: [String]) -> [String] {
            var a = a
            if a.count > 1 {
                for i in stride(from: a.count - 1, to: 0, by: -1) { a.swapAt(i, Int(rng.next() % UInt64(i + 1))) }
            }
            return a
        }
        var g: [String: Int] = [:]
        switch grouping {
        case .randomPairs:
            let keys = shuffled(records.map(\.key).sorted())
            let k = max(1, min(folds, keys.count))
            for (i, key) in keys.enumerated() { g[key] = i % k }
            return (g, k)
        case .impurityElement:
            let elements = shuffled(Array(Set(records.map(\.impurity.symbol))).sorted())
            let k = max(1, min(folds, elements.count))
            var fold: [String: Int] = [:]
            for (i, e) in elements.enumerated() { fold[e] = i % k }
            for r in records { g[r.key] = fold[r.impurity.symbol]! }
            return (g, k)
        }
    }

    static func fit(_ stats: EmulatorStatistics, configuration: EmulatorConfiguration, selection: HyperparameterSelection,
                    elementFeatures: StoredElementFeatures, pairs: [TrainingPair]) throws -> EmulatorModel {
        try EmulatorTrainer.fit(statistics: stats, configuration: configuration, selection: selection,
                                elementFeatures: elementFeatures, trainingPairs: pairs).0
    }

    /// Errors of `model` on the held-out records.
    public static func evaluate(_ model: EmulatorModel, on records: [EmulatorPreparedRecord]) throws -> [EmulatorSiteError] {
        var out: [EmulatorSiteError] = []
        let kCount = model.configuration.radialBasis.count
        for r in records {
            let p = try model.predict(inputs: r.samples.map(\.input), shells: r.shells, deltaZ: r.deltaZ, priors: r.priors)
            for (i, truth) in r.truth.enumerated() {
                let predicted = try p.potentialChange(site: i, on: truth.mesh, prior: r.prior?[i])
                let flipped = truth.withFlippedMagnetisation()
                // Both collinear magnetic solutions are equivalent: compare with the nearer one
                // (the model predicts in the impurity-moment ≥ 0 convention; a start may have
                // converged to the reversed state).
                func best(_ v: SitePotentialChange) throws -> (SitePotentialError, EmulatorErrorDecomposition) {
                    let da = try v.difference(truth), db = try v.difference(flipped)
                    let a = da.rmsSize, b = db.rmsSize
                    return a.total <= b.total ? (a, EmulatorErrorDecomposition(da)) : (b, EmulatorErrorDecomposition(db))
                }
                let modelError = try best(predicted)
                let baselineError = try r.baseline.map { try best($0[i]) }
                let truthCoefficients = try truth.projected(on: model.configuration.radialBasis, lMax: 0)
                let sign = r.impurityMomentBohrMagneton < 0 ? -1.0 : 1.0
                let trueL00 = truthCoefficients.coefficients(.charge, lm: 0) + truthCoefficients.coefficients(.magnetic, lm: 0).map { sign * $0 }
                let site = p.sites[i]
                let predL00 = site.mean.coefficients(.charge, lm: 0) + site.mean.coefficients(.magnetic, lm: 0)
                let vc = site.variance.coefficients(.charge, lm: 0), vm = site.variance.coefficients(.magnetic, lm: 0)
                let sigma = SitePotentialError(charge: (vc.reduce(0, +) / Double(kCount)).squareRoot(),
                                               magnetic: (vm.reduce(0, +) / Double(kCount)).squareRoot())
                out.append(EmulatorSiteError(key: r.key, host: r.host.symbol, impurity: r.impurity.symbol, shell: r.shells[i],
                                             model: modelError.0, baseline: baselineError?.0,
                                             predictedL00: predL00, trueL00: trueL00, sigmaL00: sigma,
                                             modelParts: modelError.1, baselineParts: baselineError?.1,
                                             truthParts: EmulatorErrorDecomposition(r.sign(truth))))
            }
        }
        return out
    }

    /// Cross-validation over the folds of `split`: for each fold a model is fitted on the other
    /// folds (statistics of all records minus those of the fold) and evaluated on the fold.
    public static func crossValidate(_ records: [EmulatorPreparedRecord], split: DatasetSplit, configuration: EmulatorConfiguration,
                                     selection: HyperparameterSelection, elementFeatures: StoredElementFeatures,
                                     innerGrouping: InnerGrouping = .randomPairs,
                                     progress: (Int, Int) -> Void = { _, _ in }) throws -> EmulatorValidationResult {
        let (groups, groupCount) = try innerGroups(records, grouping: innerGrouping)
        let total = try statistics(records, configuration: configuration, groups: groups, groupCount: groupCount)
        var errors: [EmulatorSiteError] = []
        for fold in 0..<split.foldCount {
            progress(fold, split.foldCount)
            let held = try records.filter { try split.fold(of: $0.key) == fold }
            if held.isEmpty { continue }
            let train = try records.filter { try split.fold(of: $0.key) != fold }
            guard !train.isEmpty else { continue }
            let stats = total - (try statistics(held, configuration: configuration, groups: groups, groupCount: groupCount))
            let model = try fit(stats, configuration: configuration, selection: selection, elementFeatures: elementFeatures,
                                pairs: train.map(\.pair))
            errors += try evaluate(model, on: held)
        }
        return EmulatorValidationResult(split: split, siteErrors: errors, shellCount: configuration.shellCount)
    }

    /// Learning curve on one held-out fold of a random split: models fitted on the first n
    /// training records of a seeded random order, n in `sizes` (capped at the training size).
    public static func learningCurve(_ records: [EmulatorPreparedRecord], split: DatasetSplit, heldOutFold: Int = 0,
                                     sizes: [Int], seed: UInt64 = 1, configuration: EmulatorConfiguration,
                                     selection: HyperparameterSelection, elementFeatures: StoredElementFeatures,
                                     innerGrouping: InnerGrouping = .randomPairs) throws -> [EmulatorLearningPoint] {
        let held = try records.filter { try split.fold(of: $0.key) == heldOutFold }
        var train = try records.filter { try split.fold(of: $0.key) != heldOutFold }
        guard !held.isEmpty, !train.isEmpty else { return [] }
        var rng = SplitMix64(seed: seed)
        if train.count > 1 {
            for i in stride(from: train.count - 1, to: 0, by: -1) { train.swapAt(i, Int(rng.next() % UInt64(i + 1))) }
        }
        let targets = Array(Set(sizes.map { min(max($0, 1), train.count) } + [train.count])).sorted()
        var out: [EmulatorLearningPoint] = []
        var stats: EmulatorStatistics?
        var used = 0
        let (groups, groupCount) = try innerGroups(train, grouping: innerGrouping)
        for n in targets {
            let chunk = Array(train[used..<n])
            if !chunk.isEmpty {
                let s = try statistics(chunk, configuration: configuration, groups: groups, groupCount: groupCount)
                stats = stats.map { $0 + s } ?? s
                used = n
            }
            guard let current = stats else { continue }
            do {
                let model = try fit(current, configuration: configuration, selection: selection, elementFeatures: elementFeatures,
                                    pairs: train.prefix(n).map(\.pair))
                let r = EmulatorValidationResult(split: split, siteErrors: try evaluate(model, on: held), shellCount: configuration.shellCount)
                out.append(EmulatorLearningPoint(trainingPairs: n, summaries: r.summaries))
            } catch EmulatorError.training {
                continue   // too few rows for this size
            }
        }
        return out
    }
}
