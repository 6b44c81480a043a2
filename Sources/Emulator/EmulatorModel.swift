import Foundation
import Descriptors
import Elements
import KKRNumerics
import Lattice
import Radial
import Storage

/// A (host, impurity) pair the model was trained on.
public struct TrainingPair: Sendable, Equatable, Hashable {
    public let host: String
    public let impurity: String
    public let lattice: LatticeType
    public let latticeConstantBohr: Double

    public init(host: String, impurity: String, lattice: LatticeType, latticeConstantBohr: Double) {
        self.host = host; self.impurity = impurity; self.lattice = lattice; self.latticeConstantBohr = latticeConstantBohr
    }
}

/// The trained emulator: one Bayesian ridge regression per (site class = shell, output l), all
/// m components of an l sharing the weights (docs/emulator.md §4–5).
public struct EmulatorModel: Sendable {
    public let configuration: EmulatorConfiguration
    /// fits[shell][l], shell = 0…shellCount, l = 0…targetLMax.
    public let fits: [[RidgeFit]]
    /// Element features used in training; also the default provider of `predict`.
    public let elementFeatures: StoredElementFeatures
    public let trainingPairs: [TrainingPair]
    /// Free-form provenance (code version, hyper-parameter method, data set, date).
    public let provenance: [String: String]
    public let assembly: FeatureAssembly
    /// Extra numeric arrays stored with the model under `/attachments/<name>` (e.g. the
    /// free-atom table the prior is built from, Workflows `EmulatorAtomTable`). Names are
    /// letters, digits and '_'.
    public let attachments: [String: HDF5Array<Double>]
    /// Site-property regressions per shell (outputs `propertyNames`, the l = 0 features), or
    /// empty (models of format version 1).
    public let propertyFits: [RidgeFit]

    /// Outputs of the property regressions: spin moment (μ_B, impurity moment ≥ 0 convention)
    /// and net charge Z − N (e) of the site's sphere.
    public static let propertyNames = ["momentBohrMagneton", "netChargeElectrons"]

    public init(configuration: EmulatorConfiguration, fits: [[RidgeFit]], elementFeatures: StoredElementFeatures,
                trainingPairs: [TrainingPair], provenance: [String: String],
                attachments: [String: HDF5Array<Double>] = [:], propertyFits: [RidgeFit] = []) throws {
        let assembly = try FeatureAssembly(configuration: configuration)
        guard fits.count == configuration.shellCount + 1 else {
            throw EmulatorError.shapeMismatch("model has regressions for \(fits.count) shells, configuration needs \(configuration.shellCount + 1)")
        }
        for (s, perL) in fits.enumerated() {
            guard perL.count == configuration.targetLMax + 1 else {
                throw EmulatorError.shapeMismatch("shell \(s): \(perL.count) regressions, expected one per l = 0…\(configuration.targetLMax)")
            }
            for (l, f) in perL.enumerated() {
                guard f.featureCount == assembly.featureCount(l: l), f.outputCount == configuration.outputCount else {
                    throw EmulatorError.shapeMismatch("shell \(s), l = \(l): regression has \(f.featureCount) features × "
                        + "\(f.outputCount) outputs; the configuration gives \(assembly.featureCount(l: l)) × \(configuration.outputCount)")
                }
                guard f.hasIntercept == (l == 0 && !configuration.vanishingForHost) else {
                    throw EmulatorError.invalidInput("shell \(s), l = \(l): only l = 0 regressions may have an intercept "
                        + "(an intercept for l > 0 would break rotational equivariance)")
                }
            }
        }
        self.configuration = configuration
        self.fits = fits
        self.elementFeatures = elementFeatures
        self.trainingPairs = trainingPairs
        self.provenance = provenance
        self.assembly = assembly
        let allowed = Set("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789_")
        for name in attachments.keys where name.isEmpty || !name.allSatisfy({ allowed.contains($0) }) {
            throw EmulatorError.invalidInput("attachment name '\(name)': use letters, digits and '_'")
        }
        self.attachments = attachments
        if !propertyFits.isEmpty {
            guard propertyFits.count == configuration.shellCount + 1,
                  propertyFits.allSatisfy({ $0.featureCount == assembly.featureCount(l: 0) && $0.outputCount == Self.propertyNames.count }) else {
                throw EmulatorError.shapeMismatch("property regressions: \(propertyFits.count) fits; expected one per shell with "
                    + "\(assembly.featureCount(l: 0)) features × \(Self.propertyNames.count) outputs")
            }
        }
        self.propertyFits = propertyFits
    }

    /// The same model with other attachments (e.g. added after training).
    public func withAttachments(_ a: [String: HDF5Array<Double>]) throws -> EmulatorModel {
        try EmulatorModel(configuration: configuration, fits: fits, elementFeatures: elementFeatures,
                          trainingPairs: trainingPairs, provenance: provenance, attachments: a, propertyFits: propertyFits)
    }

    /// Predicts ΔV for every site of the impurity cluster (impurity + `configuration.shellCount`
    /// shells) of `impurity` in `host` on `lattice`, in the cluster site order of `Lattice.Cluster`.
    /// `provider` supplies the element features (default: the model's own table, which knows the
    /// tabulated properties of every element and the extra features of its stored elements).
    /// `priors` (models with a prior, `EmulatorConfiguration.prior`): the prior ΔV of every
    /// cluster site, in cluster order, projected on the model's radial basis up to its lMax.
    public func predict(host: Element, impurity: Element, lattice: CrystalLattice,
                        provider: (any ElementFeatureProvider)? = nil,
                        priors: [ProjectedSitePotential]? = nil) throws -> Prediction {
        let cluster = try ImpurityCluster(lattice: lattice, host: host, impurity: impurity, shellCount: configuration.shellCount)
        if let priors, priors.count != cluster.siteCount {
            throw EmulatorError.shapeMismatch("\(priors.count) prior site potentials for a cluster of \(cluster.siteCount) sites")
        }
        let inputs = try assembly.inputs(for: cluster, provider: provider ?? elementFeatures, impurityPrior: priors?.first)
        let deltaZ = impurity.atomicNumber - host.atomicNumber
        return try predict(inputs: inputs, shells: cluster.shellIndices, deltaZ: cluster.shellIndices.map { $0 == 0 ? deltaZ : 0 },
                           priors: priors)
    }

    /// Predicts from precomputed site inputs (`FeatureAssembly.inputs`/`input`), e.g. for rotated
    /// environments. `deltaZ[i]` is the nuclear-charge change of site i (for reconstruction only);
    /// `priors[i]` the prior of site i (added to the regression output for `PriorMode.residual`).
    public func predict(inputs: [SiteFeatureInput], shells: [Int], deltaZ: [Int]? = nil,
                        priors: [ProjectedSitePotential]? = nil) throws -> Prediction {
        guard inputs.count == shells.count, deltaZ.map({ $0.count == shells.count }) ?? true,
              priors.map({ $0.count == shells.count }) ?? true else {
            throw EmulatorError.shapeMismatch("\(inputs.count) site inputs, \(shells.count) shell indices, "
                + "\(deltaZ?.count ?? shells.count) ΔZ values, \(priors?.count ?? shells.count) priors")
        }
        if configuration.prior.isResidual && priors == nil {
            throw EmulatorError.prediction("this model predicts the correction to the \(configuration.priorName) prior; "
                + "pass the prior of every site")
        }
        if let bad = shells.first(where: { $0 < 0 || $0 > configuration.shellCount }) {
            throw EmulatorError.prediction("shell \(bad) is outside the trained site classes 0…\(configuration.shellCount); "
                + "train a model with more shells or use a smaller cluster")
        }
        let kCount = configuration.radialBasis.count
        let lMax = configuration.targetLMax
        let nLM = lmCount(lMax)
        var means = [[Double]](repeating: [Double](repeating: 0, count: 2 * nLM * kCount), count: inputs.count)
        var variances = means
        var properties = [[Double]](repeating: [], count: inputs.count)
        var propertyVariances = properties
        for shell in 0...configuration.shellCount {
            let sites = shells.indices.filter { shells[$0] == shell }
            if sites.isEmpty { continue }
            for l in 0...lMax {
                let w = 2 * l + 1
                let fit = fits[shell][l]
                var rows = RealMatrix(rows: sites.count * w, cols: fit.featureCount)
                for (i, site) in sites.enumerated() { try assembly.fillRows(l: l, input: inputs[site], into: &rows, at: i * w) }
                let y = fit.predict(rows)
                let v = fit.predictiveVariance(rows)
                if l == 0 && !propertyFits.isEmpty {
                    let py = propertyFits[shell].predict(rows), pv = propertyFits[shell].predictiveVariance(rows)
                    for (i, site) in sites.enumerated() {
                        properties[site] = (0..<py.cols).map { py[i, $0] }
                        propertyVariances[site] = (0..<pv.cols).map { pv[i, $0] }
                    }
                }
                for (i, site) in sites.enumerated() {
                    for m in 0..<w {
                        let lm = l * l + m
                        for comp in 0..<2 {
                            for k in 0..<kCount {
                                let index = (comp * nLM + lm) * kCount + k
                                means[site][index] = y[i * w + m, comp * kCount + k]
                                variances[site][index] = v[i * w + m, comp * kCount + k]
                            }
                        }
                    }
                }
            }
        }
        if configuration.prior.isResidual, let priors {
            for (i, p) in priors.enumerated() {
                guard p.basisCount == kCount, p.lMax <= lMax else {
                    throw EmulatorError.shapeMismatch("prior of site \(i): lMax \(p.lMax), K = \(p.basisCount); the model has "
                        + "lMax \(lMax), K = \(kCount)")
                }
                let nIn = lmCount(p.lMax)
                for comp in 0..<2 {
                    for lm in 0..<nIn {
                        for k in 0..<kCount {
                            means[i][(comp * nLM + lm) * kCount + k] += p.coefficients[(comp * nIn + lm) * kCount + k]
                        }
                    }
                }
            }
        }
        let sites = try inputs.indices.map { i in
            SitePrediction(shell: shells[i], deltaZ: deltaZ?[i] ?? 0, properties: properties[i],
                           propertyVariances: propertyVariances[i],
                           mean: try ProjectedSitePotential(lMax: lMax, basisCount: kCount, coefficients: means[i]),
                           variance: try ProjectedSitePotential(lMax: lMax, basisCount: kCount, coefficients: variances[i]))
        }
        return Prediction(basis: configuration.radialBasis, sites: sites,
                          priors: configuration.prior.isResidual ? priors : nil)
    }
}

/// Predicted ΔV of one cluster site: radial coefficients and their predictive variances
/// (same layout, `ProjectedSitePotential`: component charge/magnetic × lm × k).
public struct SitePrediction: Sendable, Equatable {
    public let shell: Int
    /// Z_site − Z_host (the nuclear term added by `totalL00`).
    public let deltaZ: Int
    /// Predicted site properties (`EmulatorModel.propertyNames`) and their predictive variances;
    /// empty for models without property regressions.
    public let properties: [Double]
    public let propertyVariances: [Double]
    public let mean: ProjectedSitePotential
    public let variance: ProjectedSitePotential

    public init(shell: Int, deltaZ: Int, properties: [Double] = [], propertyVariances: [Double] = [],
                mean: ProjectedSitePotential, variance: ProjectedSitePotential) {
        self.shell = shell; self.deltaZ = deltaZ; self.properties = properties; self.propertyVariances = propertyVariances
        self.mean = mean; self.variance = variance
    }

    /// rms predictive standard deviation of ΔV over the sphere (the validation metric's units,
    /// Ry), neglecting covariances between coefficients: sqrt(3/(4π) Σ_{L,k} var_{c,L,k}) for the
    /// charge and the magnetic part (∫_0^R φ_k² r² dr = R³ for the orthonormal radial basis).
    public var rmsStandardDeviation: SitePotentialError {
        let half = variance.coefficients.count / 2
        let vc = variance.coefficients[..<half].reduce(0, +), vm = variance.coefficients[half...].reduce(0, +)
        let f = 3 / (4 * Double.pi)
        return SitePotentialError(charge: (max(vc, 0) * f).squareRoot(), magnetic: (max(vm, 0) * f).squareRoot())
    }

    /// Radial coefficients of ΔV_L^σ: charge ± magnetic (+ for ↑, − for ↓).
    public func coefficients(spin: Spin, lm: Int) -> [Double] {
        let sign = spin == .up ? 1.0 : -1.0
        return zip(mean.coefficients(.charge, lm: lm), mean.coefficients(.magnetic, lm: lm)).map { $0 + sign * $1 }
    }

    /// Predictive variances of `coefficients(spin:lm:)`: var(charge) + var(magnetic) (the two
    /// outputs are independent regressions in the model).
    public func variance(spin: Spin, lm: Int) -> [Double] {
        zip(variance.coefficients(.charge, lm: lm), variance.coefficients(.magnetic, lm: lm)).map { $0 + $1 }
    }
}

/// The emulator's prediction for a cluster.
public struct Prediction: Sendable, Equatable {
    public let basis: RadialTargetBasis
    public let sites: [SitePrediction]
    /// The projected priors included in the means (residual models), cluster order.
    public let priors: [ProjectedSitePotential]?

    public init(basis: RadialTargetBasis, sites: [SitePrediction], priors: [ProjectedSitePotential]? = nil) {
        self.basis = basis
        self.sites = sites
        self.priors = priors
    }

    /// ΔV of site i on `mesh` with the prior's full radial detail: for a residual model the
    /// mean is prior coefficients + learned correction; this returns `prior` (tabulated on
    /// `mesh`) + the reconstructed correction, so the prior's part outside the K radial
    /// functions (e.g. the core-region structure of an atomic start) is kept exactly.
    public func potentialChange(site i: Int, on mesh: RadialMesh, prior: SitePotentialChange?) throws -> SitePotentialChange {
        let full = try potentialChange(site: i, on: mesh)
        guard let prior, let projected = priors?[i] else { return full }
        guard prior.mesh == mesh else {
            throw EmulatorError.shapeMismatch("prior of site \(i) is on another mesh than the requested one")
        }
        // full − reconstruct(projected prior) + prior
        var up = full.up, down = full.down
        for lm in 0..<min(lmCount(projected.lMax), lmCount(full.lMax)) {
            let c = try basis.reconstruct(projected.coefficients(.charge, lm: lm), on: mesh)
            let m = try basis.reconstruct(projected.coefficients(.magnetic, lm: lm), on: mesh)
            let pu = lm < prior.up.count ? prior.up[lm] : [Double](repeating: 0, count: mesh.count)
            let pd = lm < prior.down.count ? prior.down[lm] : [Double](repeating: 0, count: mesh.count)
            for r in 0..<mesh.count {
                up[lm][r] += pu[r] - (c[r] + m[r])
                down[lm][r] += pd[r] - (c[r] - m[r])
            }
        }
        return try SitePotentialChange(mesh: mesh, lMax: full.lMax, up: up, down: down)
    }

    /// The smooth ΔV_L^σ(r) of site i on `mesh` (sphere radius = mesh.rmax), all lm ≤ lMax, per
    /// spin: ΔV↑ = charge + magnetic, ΔV↓ = charge − magnetic.
    public func potentialChange(site i: Int, on mesh: RadialMesh) throws -> SitePotentialChange {
        let site = sites[i]
        let nLM = lmCount(site.mean.lMax)
        var up = [[Double]](), down = [[Double]]()
        for lm in 0..<nLM {
            let c = try basis.reconstruct(site.mean.coefficients(.charge, lm: lm), on: mesh)
            let m = try basis.reconstruct(site.mean.coefficients(.magnetic, lm: lm), on: mesh)
            up.append(zip(c, m).map { $0 + $1 })
            down.append(zip(c, m).map { $0 - $1 })
        }
        return try SitePotentialChange(mesh: mesh, lMax: site.mean.lMax, up: up, down: down)
    }

    /// The total L = 00 change of site i and spin σ including the nuclear term −2ΔZ√(4π)/r
    /// (−∞ at r = 0 when ΔZ ≠ 0).
    public func totalL00(site i: Int, spin: Spin, on mesh: RadialMesh) throws -> [Double] {
        let smooth = try potentialChange(site: i, on: mesh)
        return try NuclearTerm.totalL00(fromSmooth: spin == .up ? smooth.up[0] : smooth.down[0], deltaZ: sites[i].deltaZ, mesh: mesh)
    }

    /// Pointwise predictive standard deviation of component c, lm on `mesh`, neglecting
    /// covariances between radial coefficients: sqrt(Σ_k var_k φ_k(r/R)²) (a lower bound of
    /// the full propagated value when the coefficients are positively correlated).
    public func standardDeviation(site i: Int, component c: SpinComponent, lm: Int, on mesh: RadialMesh) -> [Double] {
        let v = sites[i].variance.coefficients(c, lm: lm)
        let table = basis.table(on: mesh, sphereRadiusBohr: mesh.rmax)
        return (0..<mesh.count).map { ir in
            var s = 0.0
            for k in 0..<basis.count { s += v[k] * table[ir * basis.count + k] * table[ir * basis.count + k] }
            return s.squareRoot()
        }
    }
}
