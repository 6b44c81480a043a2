import Descriptors
import Elements
import Emulator
import Foundation

/// A named model recipe: the emulator configuration and how its hyper-parameters are chosen.
/// `standard` is the shipped model's; the others are the variants compared in
/// docs/results/emulator-validation.md (`kkr-emulator train --recipe NAME`).
public struct EmulatorRecipe: Sendable, Equatable {
    public var name: String
    public var configuration: EmulatorConfiguration
    public var selection: HyperparameterSelection
    public var summary: String
    /// Random Fourier feature maps to fit on the training records: indices into
    /// `configuration.kernelInputs`, count D, length scale ℓ (standardised units), seed.
    public var kernels: [KernelSpec]
    /// Folds of the inner cross-validation that selects λ (`HyperparameterSelection.crossValidation`).
    public var innerGrouping: EmulatorValidation.InnerGrouping = .randomPairs

    public struct KernelSpec: Sendable, Equatable {
        public var inputs: [Int]
        public var count: Int
        public var lengthScale: Double
        public var seed: UInt64
        public init(inputs: [Int], count: Int, lengthScale: Double, seed: UInt64) {
            self.inputs = inputs; self.count = count; self.lengthScale = lengthScale; self.seed = seed
        }
    }

    public init(name: String, configuration: EmulatorConfiguration, selection: HyperparameterSelection = .evidence(),
                summary: String, kernels: [KernelSpec] = []) {
        self.name = name
        self.configuration = configuration
        self.selection = selection
        self.summary = summary
        self.kernels = kernels
    }

    /// The configuration with the kernel maps fitted on prepared records (input statistics only).
    public func fittedConfiguration(_ records: [EmulatorPreparedRecord]) throws -> EmulatorConfiguration {
        guard !kernels.isEmpty else { return configuration }
        let inputs = records.map { $0.samples[0].input.kernelInputs }
        var c = configuration
        c.kernels = try kernels.map {
            try KernelFeatureMap.fit(inputs: inputs, indices: $0.inputs, count: $0.count, lengthScale: $0.lengthScale, seed: $0.seed)
        }
        try c.validate()
        return c
    }

    /// Host features of the recipes with free-atom data (absolute values of the host element).
    static let hostFeatures = ["valenceElectrons", "period", "eps_ns_Ry", "eps_d_Ry", "r_d_bohr"]

    /// Centre-only impurity features: free-atom quantities relative to the host, scaled to O(1).
    static func impurityFeatures() throws -> [SpeciesChannel] {
        [try .relative("valenceElectrons", scale: 4), try .relative("period", scale: 1),
         try .relative("eps_ns_Ry", scale: 0.2), try .relative("eps_d_Ry", scale: 0.5),
         try .relative("r_ns_bohr", scale: 1), try .relative("r_d_bohr", scale: 0.5),
         try .relative("homo_Ry", scale: 0.2), try .relative("atomMoment_muB", scale: 2),
         try .relative("dExchangeSplitting_Ry", scale: 0.1)]
    }

    /// The previous developer's configuration: Jacobi–Legendre descriptors with the tabulated
    /// element channels only, predicting ΔV itself.
    public static func plain() -> EmulatorRecipe {
        EmulatorRecipe(name: "plain", configuration: .standard(),
                       summary: "JL descriptors, channels [1, Δvalence/2, Δperiod], host [valence, period]; predicts ΔV")
    }

    /// Descriptor channels [1, foreign atom] (geometry and where the impurity sits) and
    /// free-atom impurity features as centre-only scalars; predicts ΔV itself.
    public static func freeAtomFeatures() throws -> EmulatorRecipe {
        var c = EmulatorConfiguration.standard()
        c.descriptor.channels = [.constant, .substitution]
        c.hostElementFeatures = hostFeatures
        c.impurityFeatures = try impurityFeatures()
        try c.validate()
        return EmulatorRecipe(name: "freeAtom", configuration: c, selection: .crossValidation(),
                              summary: "JL descriptors with channels [1, foreign]; free-atom impurity features (centre-only, relative "
                                + "to the host) and host free-atom features as scalars; λ by 5-fold CV; predicts ΔV")
    }

    /// The atomic-superposition start as input features (impurity-site L = 00 coefficients) on
    /// top of the free-atom features; predicts ΔV itself.
    public static func priorFeatures() throws -> EmulatorRecipe {
        var r = try freeAtomFeatures()
        r.name = "priorFeatures"
        r.configuration.prior = .features
        r.configuration.priorName = EmulatorPredictor.plainPriorName
        r.summary = "freeAtom + the atomic-superposition start's impurity-site coefficients as scalars; predicts ΔV"
        return r
    }

    /// The previous shipped recipe: free-atom features and the atomic-superposition start as
    /// input, and the regressions learn the correction ΔV − ΔV_start (the start is the prior).
    /// `named("standard")` is now `screened` (docs/emulator.md §15).
    public static func standard() throws -> EmulatorRecipe {
        var r = try freeAtomFeatures()
        r.name = "residual"
        r.configuration.prior = .residual
        r.configuration.priorName = EmulatorPredictor.plainPriorName
        r.summary = "freeAtom + start coefficients as scalars; learns ΔV − ΔV_start (atomic-superposition prior)"
        return r
    }

    /// `standard` with random Fourier features of the pair chemistry and without the two-body
    /// descriptors (redundant for a single substitutional impurity).
    public static func kernel() throws -> EmulatorRecipe {
        var r = try standard()
        r.name = "kernel"
        r.configuration.descriptor.includeTwoBody = false
        r.configuration.kernelInputs = ["impurity.valenceElectrons", "impurity.period", "impurity.eps_d_Ry", "impurity.r_d_bohr",
                                        "host.valenceElectrons", "host.period", "host.isBCC"]
        r.kernels = [KernelSpec(inputs: [0, 1], count: 64, lengthScale: 0.5, seed: 11),
                     KernelSpec(inputs: [4, 5, 6], count: 32, lengthScale: 1.0, seed: 12)]
        r.summary = "residual + random Fourier features (additive kernel: impurity valence/period ℓ = 0.5, 64; host 32); "
            + "no two-body descriptors"
        return r
    }

    /// Host features of `compact`: bounded free-atom quantities of the host element.
    static let compactHostFeatures = ["valenceElectrons", "period", "eps_ns_Ry", "eps_d_Ry", "compactness_d_perBohr"]

    /// Impurity features of `compact`: as `impurityFeatures` with the mean radii replaced by
    /// the inverse radii (`EmulatorAtomTable.derivedFeatureNames`), which stay bounded for the
    /// empty, diffuse d level of sp elements (⟨r_3d⟩(Al) ≈ 30 bohr made Al-in-V a 60σ-wide
    /// extrapolation in Δ⟨r_d⟩).
    static func compactImpurityFeatures() throws -> [SpeciesChannel] {
        [try .relative("valenceElectrons", scale: 4), try .relative("period", scale: 1),
         try .relative("eps_ns_Ry", scale: 0.2), try .relative("eps_d_Ry", scale: 0.5),
         try .relative("compactness_ns_perBohr", scale: 0.2), try .relative("compactness_d_perBohr", scale: 0.5),
         try .relative("homo_Ry", scale: 0.2), try .relative("atomMoment_muB", scale: 2),
         try .relative("dExchangeSplitting_Ry", scale: 0.1)]
    }

    /// `standard` (residual to the atomic-superposition start) with bounded chemistry features
    /// (`compactImpurityFeatures`, `compactHostFeatures`).
    public static func compact() throws -> EmulatorRecipe {
        var r = try standard()
        r.name = "compact"
        r.configuration.hostElementFeatures = compactHostFeatures
        r.configuration.impurityFeatures = try compactImpurityFeatures()
        try r.configuration.validate()
        r.innerGrouping = .impurityElement
        r.summary = "residual with bounded free-atom features (1/⟨r⟩ instead of ⟨r⟩ of the valence ns, n_d sub-shells); "
            + "λ by 5-fold CV over whole impurity elements"
        return r
    }

    /// `compact` learning the correction to the atomic-superposition start from the chemistry
    /// alone (`PriorMode.correction`: the start's coefficients are not features).
    public static func correction() throws -> EmulatorRecipe {
        var r = try compact()
        r.name = "correction"
        r.configuration.prior = .correction
        try r.configuration.validate()
        r.summary = "learns ΔV − ΔV_start from bounded free-atom features of impurity and host (start coefficients not used "
            + "as features); λ by 5-fold CV over whole impurity elements"
        return r
    }

    /// `correction` with host-vanishing features (`EmulatorConfiguration.vanishingForHost`): the
    /// learned correction is a sum of pair differences (impurity features relative to the host,
    /// the indicator impurity ≠ host) times the host context and the one-body JL descriptors, with
    /// no intercept — zero for a host atom in its own crystal.
    public static func screened() throws -> EmulatorRecipe {
        var r = try correction()
        r.name = "screened"
        r.configuration.descriptor.includeTwoBody = false
        r.configuration.vanishingForHost = true
        try r.configuration.validate()
        r.summary = "learns ΔV − ΔV_start; features = pair differences (bounded free-atom features relative to the host, "
            + "impurity ≠ host) ⊗ host context ⊗ one-body JL descriptors, no intercept (0 for host in host); "
            + "λ by 5-fold CV over whole impurity elements"
        return r
    }

    /// `screened` plus the free atoms' charge outside r = 2.6 and 3.0 bohr relative to the host
    /// atom's (`EmulatorAtomTable.derivedFeatureNames`): the charge the superposition start
    /// moves across the sphere boundary, a free-atom proxy of the charge transfer.
    public static func screenedCharge() throws -> EmulatorRecipe {
        var r = try screened()
        r.name = "screenedCharge"
        r.configuration.impurityFeatures += [try .relative("electronsOutside_2p6bohr", scale: 1),
                                             try .relative("electronsOutside_3p0bohr", scale: 1)]
        try r.configuration.validate()
        r.summary += "; + free-atom charge outside 2.6 and 3.0 bohr relative to the host"
        return r
    }

    /// `correction` plus one joint random-Fourier kernel over the position of impurity and host in
    /// the periodic table (group, period of both, host bcc): a Gaussian kernel in these inputs is
    /// a smooth interpolation along each d series *per host*, the host × impurity interaction that
    /// the additive linear features lack (the converged impurity charge, which sets the site's
    /// potential shift, follows the group within a series but with a host-dependent slope).
    public static func trend() throws -> EmulatorRecipe {
        var r = try correction()
        r.name = "trend"
        r.configuration.descriptor.includeTwoBody = false
        r.configuration.kernelInputs = ["impurity.group", "impurity.period", "host.group", "host.period", "host.isBCC"]
        r.kernels = [KernelSpec(inputs: [0, 1, 2, 3, 4], count: 512, lengthScale: 0.75, seed: 21)]
        try r.configuration.validate()
        r.summary = "correction + a joint Gaussian random-Fourier kernel (512 features, ℓ = 0.75 σ) over group and period of "
            + "impurity and host and host bcc: per-host smooth trends along each series; λ by CV over whole impurity elements"
        return r
    }

    public static func named(_ name: String) throws -> EmulatorRecipe {
        switch name {
        case "screenedCharge": return try screenedCharge()
        case "screened": return try screened()
        case "correction": return try correction()
        case "compact": return try compact()
        case "kernel": return try kernel()
        case "trend": return try trend()
        case "plain": return plain()
        case "freeAtom": return try freeAtomFeatures()
        case "priorFeatures": return try priorFeatures()
        case "residual": return try standard()
        case "standard": return try screened()
        default:
            throw EmulatorError.invalidInput("unknown recipe '\(name)'; available: \(allNames.joined(separator: ", "))")
        }
    }

    public static let allNames = ["plain", "freeAtom", "priorFeatures", "residual", "kernel", "compact", "correction", "trend", "screened", "screenedCharge"]

    /// Whether the recipe needs the free-atom table (element features or the prior).
    public var needsAtomTable: Bool {
        configuration.prior != .none || !configuration.impurityFeatures.isEmpty
            || configuration.hostElementFeatures.contains { !Element.propertyNames.contains($0) }
    }
}
