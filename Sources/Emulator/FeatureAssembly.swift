import Foundation
import Descriptors
import Elements
import KKRNumerics
import Lattice

/// How a model uses a prior ΔV (a physical starting guess, e.g. the atomic-superposition start of
/// the impurity site, supplied with every prediction; docs/emulator.md §11).
public enum PriorMode: String, Sendable, Equatable, CaseIterable {
    /// No prior: the regressions predict ΔV itself.
    case none
    /// The prior's impurity-site L = 00 radial coefficients (charge and magnetic, K each) are
    /// pair scalars of every site; the regressions predict ΔV.
    case features
    /// As `features`, and the regressions predict the residual ΔV − ΔV_prior, which the
    /// prediction adds back (the model corrects the start instead of replacing it).
    case residual
    /// As `residual` (predicts ΔV − ΔV_prior), but the prior's coefficients are not features:
    /// the correction depends on the chemistry only. The prior's radial coefficients are large,
    /// strongly collinear numbers dominated by the electronic Hartree response to ΔZ; as
    /// features they let a linear model extrapolate far outside the training pairs (measured
    /// in docs/emulator.md §15).
    case correction

    /// Whether the regressions learn ΔV − ΔV_prior (the prediction adds the prior back).
    public var isResidual: Bool { self == .residual || self == .correction }
    /// Whether the prior's impurity-site coefficients are pair scalars.
    public var priorScalars: Bool { self == .features || self == .residual }
}

/// Random Fourier features of the pair-level chemistry: a finite feature map whose inner products
/// approximate the Gaussian kernel exp(−|x̃ − x̃'|²/(2ℓ²)) (A. Rahimi and B. Recht, "Random
/// features for large-scale kernel machines", NIPS 2007), so that the model stays a Bayesian
/// linear regression while the chemistry can enter non-linearly:
///
///     x̃ = (x − μ)/σ   (per input, training statistics),   z_j = √(2/D) cos(ω_j · x̃ + b_j),
///     ω_j ~ N(0, 1/ℓ²),  b_j ~ U(0, 2π),  j = 1…D   (seeded SplitMix64, Box–Muller).
///
/// The inputs x are selected (`inputIndices`) from the pair's kernel inputs
/// (`EmulatorConfiguration.kernelInputs`: named element features of the impurity and the host,
/// absolute values). Several maps on different inputs give an additive kernel (e.g. one on the
/// impurity's features and one on the host's). The map is fitted (μ, σ) on the training
/// records and stored in the model file.
public struct KernelFeatureMap: Sendable, Equatable {
    /// Indices into the kernel input vector.
    public let inputIndices: [Int]
    public let lengthScale: Double
    public let seed: UInt64
    public let means: [Double]
    public let scales: [Double]
    /// ω, D × inputCount, row-major.
    public let frequencies: [Double]
    public let phases: [Double]

    public var count: Int { phases.count }
    public var inputCount: Int { means.count }

    public init(inputIndices: [Int], lengthScale: Double, seed: UInt64, means: [Double], scales: [Double], frequencies: [Double],
                phases: [Double]) throws {
        guard lengthScale > 0, lengthScale.isFinite else { throw EmulatorError.invalidInput("kernel length scale must be positive") }
        guard means.count == scales.count, inputIndices.count == means.count, inputIndices.allSatisfy({ $0 >= 0 }),
              frequencies.count == phases.count * means.count,
              scales.allSatisfy({ $0 > 0 && $0.isFinite }) else {
            throw EmulatorError.shapeMismatch("kernel map: \(means.count) means, \(scales.count) scales (all > 0), "
                + "\(frequencies.count) frequencies for \(phases.count) features")
        }
        self.inputIndices = inputIndices
        self.lengthScale = lengthScale; self.seed = seed; self.means = means; self.scales = scales
        self.frequencies = frequencies; self.phases = phases
    }

    /// Fits μ, σ of the selected inputs on `inputs` (one kernel-input vector per training record)
    /// and draws D frequencies and phases.
    public static func fit(inputs all: [[Double]], indices: [Int], count d: Int, lengthScale: Double,
                           seed: UInt64) throws -> KernelFeatureMap {
        guard !all.isEmpty, all.allSatisfy({ v in indices.allSatisfy { $0 < v.count } }), !indices.isEmpty else {
            throw EmulatorError.training("kernel map: no inputs, or input indices \(indices) out of range")
        }
        let inputs = all.map { v in indices.map { v[$0] } }
        let n = indices.count
        guard d >= 1 else { throw EmulatorError.invalidInput("kernel map needs at least one feature") }
        let m = Double(inputs.count)
        let means = (0..<n).map { j in inputs.reduce(0) { $0 + $1[j] } / m }
        let scales = (0..<n).map { j -> Double in
            let v = inputs.reduce(0) { $0 + ($1[j] - means[j]) * ($1[j] - means[j]) } / m
            return v > 1e-20 * max(1, means[j] * means[j]) ? v.squareRoot() : 1
        }
        var rng = SplitMix64(seed: seed)
        func uniform() -> Double { (Double(rng.next() >> 11) + 0.5) / 9007199254740992.0 }
        var omega = [Double](repeating: 0, count: d * n)
        for i in omega.indices {
            let (u1, u2) = (uniform(), uniform())
            omega[i] = (-2 * log(u1)).squareRoot() * cos(2 * Double.pi * u2) / lengthScale
        }
        let phases = (0..<d).map { _ in 2 * Double.pi * uniform() }
        return try KernelFeatureMap(inputIndices: indices, lengthScale: lengthScale, seed: seed, means: means, scales: scales,
                                    frequencies: omega, phases: phases)
    }

    /// z(x), D values, for the full kernel-input vector x.
    public func values(_ x: [Double]) -> [Double] {
        let n = inputCount
        let xt = (0..<n).map { (x[inputIndices[$0]] - means[$0]) / scales[$0] }
        let norm = (2 / Double(count)).squareRoot()
        return (0..<count).map { j in
            var a = phases[j]
            for i in 0..<n { a += frequencies[j * n + i] * xt[i] }
            return norm * cos(a)
        }
    }
}

/// What the emulator learns and from which features (stored in the model file).
public struct EmulatorConfiguration: Sendable, Equatable {
    public var descriptor: JacobiLegendreConfiguration
    /// Element features of the host used in the host descriptor (absolute values).
    public var hostElementFeatures: [String]
    /// Largest l of the predicted ΔV_L (≤ descriptor.lOutMax).
    public var targetLMax: Int
    public var radialBasis: RadialTargetBasis
    /// Site classes 0…shellCount: the impurity (0) and its neighbour shells; one set of
    /// regressions per class.
    public var shellCount: Int
    /// Element features of the impurity, given to every site as pair-level scalars (centre-only
    /// chemistry: they do not multiply the neighbour channels, so the feature count grows by
    /// one scalar each). Usually relative to the host.
    public var impurityFeatures: [SpeciesChannel]
    public var prior: PriorMode
    /// Name of the prior the model was trained with ("plainAtomicSuperposition", or
    /// "atomicSuperposition" for the guarded start of models before stop 18); "" without prior.
    public var priorName: String
    /// Inputs of the kernel maps: "impurity.<feature>" or "host.<feature>" (absolute element
    /// features of the provider), plus "host.isBCC".
    public var kernelInputs: [String]
    /// Random Fourier feature maps of the pair chemistry (empty: none). Their features enter the
    /// l = 0 rows as additive features and the l ≥ 1 rows multiplied by the first radial function
    /// of the substitution channel (the direction of the foreign atom), which keeps equivariance.
    public var kernels: [KernelFeatureMap]
    /// Host-vanishing features (`FeatureAssembly`): every feature carries a factor of a pair
    /// difference (the impurity features relative to the host and the indicator "impurity ≠
    /// host"), and the l = 0 regressions have no intercept, so a host atom substituted into its
    /// own crystal gets exactly the prior (ΔV = 0 without one) — the physical limit, and a
    /// linear model that cannot drift away from it when extrapolating in the host chemistry.
    /// Requires `descriptor.includeTwoBody == false` and no kernel maps.
    public var vanishingForHost = false

    public init(descriptor: JacobiLegendreConfiguration, hostElementFeatures: [String], targetLMax: Int,
                radialBasis: RadialTargetBasis, shellCount: Int, impurityFeatures: [SpeciesChannel] = [],
                prior: PriorMode = .none, priorName: String = "", kernelInputs: [String] = [],
                kernels: [KernelFeatureMap] = [], vanishingForHost: Bool = false) throws {
        self.descriptor = descriptor
        self.hostElementFeatures = hostElementFeatures
        self.targetLMax = targetLMax
        self.radialBasis = radialBasis
        self.shellCount = shellCount
        self.impurityFeatures = impurityFeatures
        self.prior = prior
        self.priorName = prior == .none ? "" : priorName
        self.kernelInputs = kernelInputs
        self.kernels = kernels
        self.vanishingForHost = vanishingForHost
        try validate()
    }

    /// Defaults: `JacobiLegendreConfiguration.standard()`, host features [valenceElectrons,
    /// period], ΔV_L up to l = 4 (LPOT = 2 LMAX for LMAX = 2), 8 Jacobi radial functions, the
    /// impurity and its first shell; no impurity features and no prior (the configuration of
    /// the shipped model is `EmulatorRecipe.standard` in Workflows).
    public static func standard() -> EmulatorConfiguration {
        // Valid by construction.
        try! EmulatorConfiguration(descriptor: .standard(), hostElementFeatures: ["valenceElectrons", "period"],
                                   targetLMax: 4, radialBasis: try! .jacobi(count: 8), shellCount: 1)
    }

    public func validate() throws {
        try descriptor.validate()
        guard targetLMax >= 0, targetLMax <= descriptor.lOutMax else {
            throw EmulatorError.invalidInput("target lMax = \(targetLMax) must be in 0…descriptor lOutMax = \(descriptor.lOutMax)")
        }
        guard shellCount >= 0, shellCount <= 6 else {
            throw EmulatorError.invalidInput("shell count must be in 0…6; got \(shellCount)")
        }
        guard Set(hostElementFeatures).count == hostElementFeatures.count else {
            throw EmulatorError.invalidInput("host element features repeat: \(hostElementFeatures)")
        }
        guard Set(impurityFeatures).count == impurityFeatures.count else {
            throw EmulatorError.invalidInput("impurity features repeat: \(impurityFeatures)")
        }
        guard !impurityFeatures.contains(where: { $0.kind == .constant || $0.kind == .substitution }) else {
            throw EmulatorError.invalidInput("impurity features must name an element feature (the constant is always a scalar)")
        }
        for name in kernelInputs where !(name.hasPrefix("impurity.") || name.hasPrefix("host.")) {
            throw EmulatorError.invalidInput("kernel input '\(name)' must be impurity.<feature> or host.<feature>")
        }
        for k in kernels where k.inputIndices.contains(where: { $0 >= kernelInputs.count }) {
            throw EmulatorError.invalidInput("a kernel map selects inputs \(k.inputIndices); there are \(kernelInputs.count) kernel inputs")
        }
        if vanishingForHost {
            guard !descriptor.includeTwoBody, kernels.isEmpty else {
                throw EmulatorError.invalidInput("host-vanishing features need includeTwoBody = false and no kernel maps "
                    + "(two-body products of host atoms and kernel features do not vanish for host in host)")
            }
        }
        guard prior == .none || !priorName.isEmpty else {
            throw EmulatorError.invalidInput("a model with a prior needs the prior's name (e.g. plainAtomicSuperposition)")
        }
    }

    /// Regression outputs per (shell, l): 2 spin components × K radial functions, output index
    /// component · K + k.
    public var outputCount: Int { 2 * radialBasis.count }

    /// Number of pair-level scalars: impurity features, then (with a prior) the prior's
    /// impurity-site L = 00 coefficients, charge k = 0…K−1 then magnetic.
    public var pairScalarCount: Int {
        (vanishingForHost ? 1 : 0) + impurityFeatures.count + (prior.priorScalars ? 2 * radialBasis.count : 0)
    }

    public var pairScalarNames: [String] {
        (vanishingForHost ? ["pair.foreign"] : []) + impurityFeatures.map { "impurity.\($0)" } + (!prior.priorScalars ? [] : SpinComponent.allCases.flatMap { c in
            (0..<radialBasis.count).map { "prior.\(c.name).k\($0)" }
        })
    }
}

/// The inputs of one site's regressions: its descriptors and the host descriptor values.
public struct SiteFeatureInput: Sendable, Equatable {
    public let descriptor: SiteDescriptor
    public let hostValues: [Double]
    /// Pair-level scalars (`EmulatorConfiguration.pairScalarNames`), the same on every site.
    public let pairValues: [Double]
    /// Raw inputs of the kernel maps (`EmulatorConfiguration.kernelInputs`).
    public let kernelInputs: [Double]

    public init(descriptor: SiteDescriptor, hostValues: [Double], pairValues: [Double] = [], kernelInputs: [Double] = []) {
        self.descriptor = descriptor
        self.hostValues = hostValues
        self.pairValues = pairValues
        self.kernelInputs = kernelInputs
    }
}

/// Builds the regression rows from site descriptors (docs/emulator.md §4).
///
/// Scalars s = [1, g_c(centre) for the non-constant channels c, host descriptor values]
/// (rotation invariant). Then, for output angular momentum l:
///
///     l = 0:  φ = s ⊗ [1, A_{a,00}]  ⊕  B_{ab l'}                 (one row per site)
///     l ≥ 1:  φ_m = s ⊗ A_{a,l,m}  ⊕  T^{l m}_{(a l1)(b l2)}      (one row per site and m)
///
/// The weights of a regression are shared by all m of one l (the m components are stacked as
/// extra rows), which makes the predicted ΔV_{lm} rotate exactly like Y_lm.
public struct FeatureAssembly: Sendable {
    public let configuration: EmulatorConfiguration
    public let descriptor: JacobiLegendreDescriptor
    /// Number of scalars s.
    public let scalarCount: Int

    public init(configuration: EmulatorConfiguration) throws {
        try configuration.validate()
        self.configuration = configuration
        descriptor = try JacobiLegendreDescriptor(configuration: configuration.descriptor)
        let chemical = configuration.descriptor.channels.filter { $0.kind != .constant }.count
        let context = 1 + chemical + HostDescriptor.names(elementFeatures: configuration.hostElementFeatures).count
        scalarCount = configuration.vanishingForHost ? configuration.pairScalarCount * context : context + configuration.pairScalarCount
    }

    /// Names of the scalars s.
    public var scalarNames: [String] {
        let context = ["1"] + configuration.descriptor.channels.filter { $0.kind != .constant }.map { "centre.\($0)" }
            + HostDescriptor.names(elementFeatures: configuration.hostElementFeatures)
        if configuration.vanishingForHost {
            return configuration.pairScalarNames.flatMap { d in context.map { $0 == "1" ? d : "\(d)*\($0)" } }
        }
        return context + configuration.pairScalarNames
    }

    var radialChannelCount: Int { configuration.descriptor.radialChannelCount }

    /// Number of kernel features (all maps).
    var kernelFeatureCount: Int { configuration.kernels.reduce(0) { $0 + $1.count } }

    /// Index a* of the first radial function of the substitution channel (the kernel features'
    /// partner for l ≥ 1), if the descriptor has that channel.
    var substitutionFunction: Int? {
        configuration.descriptor.channels.firstIndex { $0.kind == .substitution }.map { $0 * configuration.descriptor.nMax }
    }

    /// Kernel features in the rows of output l.
    func kernelCount(l: Int) -> Int {
        let d = kernelFeatureCount
        if l == 0 { return d }
        return substitutionFunction != nil && l <= configuration.descriptor.lMax ? d : 0
    }

    /// All kernel features of a site.
    func kernelValues(_ input: SiteFeatureInput) -> [Double] {
        configuration.kernels.flatMap { $0.values(input.kernelInputs) }
    }

    /// The raw kernel inputs of a pair (`EmulatorConfiguration.kernelInputs`).
    public func kernelInputs(host: Element, impurity: Element, lattice: CrystalLattice,
                             provider: any ElementFeatureProvider) throws -> [Double] {
        try configuration.kernelInputs.map { name in
            if name == "host.isBCC" { return lattice.type == .bcc ? 1 : 0 }
            if name.hasPrefix("impurity.") { return try provider.value(String(name.dropFirst("impurity.".count)), of: impurity) }
            return try provider.value(String(name.dropFirst("host.".count)), of: host)
        }
    }

    /// Number of features of the regression for output l.
    public func featureCount(l: Int) -> Int {
        let k = radialChannelCount
        if l == 0 { return scalarCount * (1 + k) + (descriptor.invariantCount - k) + kernelCount(l: 0) }
        let oneBody = l <= configuration.descriptor.lMax ? k : 0
        return scalarCount * oneBody + (descriptor.equivariantCount(l: l) - oneBody) + kernelCount(l: l)
    }

    /// Feature labels for output l (documentation and model files).
    public func featureLabels(l: Int) -> [String] {
        let k = radialChannelCount
        let s = scalarNames
        if l == 0 {
            let inv = descriptor.invariantLabels
            let oneBody = ["1"] + Array(inv.prefix(k))
            return s.flatMap { sc in oneBody.map { "\(sc)*\($0)" } } + Array(inv.dropFirst(k))
                + (0..<kernelCount(l: 0)).map { "kernel\($0)" }
        }
        let eq = descriptor.equivariantLabels(l: l)
        let oneBody = l <= configuration.descriptor.lMax ? k : 0
        let partner = substitutionFunction.map { eq[$0] } ?? ""
        return s.flatMap { sc in eq.prefix(oneBody).map { "\(sc)*\($0)" } } + Array(eq.dropFirst(oneBody))
            + (0..<kernelCount(l: l)).map { "kernel\($0)*\(partner)" }
    }

    /// The scalars s of a site.
    func scalars(_ input: SiteFeatureInput) -> [Double] {
        var s = [1.0]
        for (c, ch) in configuration.descriptor.channels.enumerated() where ch.kind != .constant {
            s.append(input.descriptor.centreChannels[c])
        }
        s += input.hostValues
        if configuration.vanishingForHost {
            // s = d ⊗ context: every scalar carries a pair difference d.
            return input.pairValues.flatMap { d in s.map { d * $0 } }
        }
        return s + input.pairValues
    }

    /// The rows for output l of one site: 1 row (l = 0) or 2l+1 rows (m = −l…l), written into
    /// `rows` starting at row `offset` (rows must have `featureCount(l:)` columns).
    public func fillRows(l: Int, input: SiteFeatureInput, into rows: inout RealMatrix, at offset: Int) throws {
        let p = featureCount(l: l)
        let k = radialChannelCount
        guard rows.cols == p, offset + (2 * l + 1) <= rows.rows else {
            throw EmulatorError.shapeMismatch("feature rows for l = \(l) need \(p) columns and \(2 * l + 1) free rows")
        }
        let s = scalars(input)
        guard s.count == scalarCount else {
            throw EmulatorError.shapeMismatch("site scalars (centre channels + \(input.hostValues.count) host values + "
                + "\(input.pairValues.count) pair values): \(s.count) values, the model expects \(scalarCount) "
                + "(host features \(configuration.hostElementFeatures), pair scalars \(configuration.pairScalarNames))")
        }
        if l == 0 {
            let inv = input.descriptor.invariants
            var col = 0
            for sc in s {
                rows[offset, col] = sc
                col += 1
                for a in 0..<k {
                    rows[offset, col] = sc * inv[a]
                    col += 1
                }
            }
            for j in k..<inv.count {
                rows[offset, col] = inv[j]
                col += 1
            }
            for z in kernelValues(input) {
                rows[offset, col] = z
                col += 1
            }
            return
        }
        let w = 2 * l + 1
        let eq = input.descriptor.equivariant[l - 1]
        let oneBody = l <= configuration.descriptor.lMax ? k : 0
        let total = eq.count / w
        for m in 0..<w {
            var col = 0
            for sc in s {
                for a in 0..<oneBody {
                    rows[offset + m, col] = sc * eq[a * w + m]
                    col += 1
                }
            }
            for j in oneBody..<total {
                rows[offset + m, col] = eq[j * w + m]
                col += 1
            }
        }
        if kernelCount(l: l) > 0, let a = substitutionFunction {
            let z = kernelValues(input)
            let base = p - z.count
            for m in 0..<w {
                for (j, zj) in z.enumerated() { rows[offset + m, base + j] = zj * eq[a * w + m] }
            }
        }
    }

    /// The pair-level scalars of `impurity` in `host`: impurity features, then the prior's
    /// impurity-site L = 00 coefficients (required when the configuration has a prior).
    public func pairValues(host: Element, impurity: Element, provider: any ElementFeatureProvider,
                           prior: ProjectedSitePotential?) throws -> [Double] {
        var v: [Double] = configuration.vanishingForHost ? [impurity == host ? 0 : 1] : []
        if !configuration.impurityFeatures.isEmpty {
            v += try SpeciesEmbedding(channels: configuration.impurityFeatures, host: host, provider: provider).values(of: impurity)
        }
        if configuration.prior.priorScalars {
            guard let prior else {
                throw EmulatorError.prediction("this model uses the \(configuration.priorName) prior of the impurity site as "
                    + "input; compute it (Workflows: EmulatorPredictor) and pass it")
            }
            guard prior.basisCount == configuration.radialBasis.count else {
                throw EmulatorError.shapeMismatch("prior has \(prior.basisCount) radial coefficients, the model \(configuration.radialBasis.count)")
            }
            v += prior.coefficients(.charge, lm: 0) + prior.coefficients(.magnetic, lm: 0)
        }
        return v
    }

    /// The feature input of every cluster site of an impurity problem; `impurityPrior` is the
    /// prior of the impurity site (models with a prior).
    public func inputs(for cluster: ImpurityCluster, provider: any ElementFeatureProvider,
                       impurityPrior: ProjectedSitePotential? = nil) throws -> [SiteFeatureInput] {
        let lattice = cluster.lattice
        let embedding = try SpeciesEmbedding(channels: configuration.descriptor.channels, host: cluster.host, provider: provider)
        let dNN = lattice.nearestNeighbourDistanceBohr
        let scale = descriptor.lengthScaleBohr(nearestNeighbourDistanceBohr: dNN)
        let hostValues = try HostDescriptor(lattice: lattice, host: cluster.host)
            .values(elementFeatures: configuration.hostElementFeatures, provider: provider)
        let pair = try pairValues(host: cluster.host, impurity: cluster.impurity, provider: provider, prior: impurityPrior)
        let kernel = try kernelInputs(host: cluster.host, impurity: cluster.impurity, lattice: lattice, provider: provider)
        let environments = try cluster.environments(cutoffBohr: configuration.descriptor.rCut * scale)
        return try environments.map {
            SiteFeatureInput(descriptor: try descriptor.describe($0, embedding: embedding, lengthScaleBohr: scale),
                             hostValues: hostValues, pairValues: pair, kernelInputs: kernel)
        }
    }

    /// The feature input of one arbitrary environment (e.g. a rotated one) in a given host;
    /// `pairValues` as from `pairValues(host:impurity:provider:prior:)`.
    public func input(for environment: AtomicEnvironment, lattice: CrystalLattice, host: Element,
                      provider: any ElementFeatureProvider, pairValues: [Double] = [],
                      kernelInputs: [Double] = []) throws -> SiteFeatureInput {
        let embedding = try SpeciesEmbedding(channels: configuration.descriptor.channels, host: host, provider: provider)
        let scale = descriptor.lengthScaleBohr(nearestNeighbourDistanceBohr: lattice.nearestNeighbourDistanceBohr)
        let hostValues = try HostDescriptor(lattice: lattice, host: host)
            .values(elementFeatures: configuration.hostElementFeatures, provider: provider)
        return SiteFeatureInput(descriptor: try descriptor.describe(environment, embedding: embedding, lengthScaleBohr: scale),
                                hostValues: hostValues, pairValues: pairValues, kernelInputs: kernelInputs)
    }
}
