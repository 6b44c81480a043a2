import ExchangeCorrelation
import Foundation
import Radial

/// The exponential mesh of a free-atom calculation: r_i = b(e^{a i} − 1) with the first point
/// after the origin at `firstPointBohr` and the last at `rmaxBohr` (`RadialMesh.covering`).
public struct AtomMeshSettings: Sendable, Equatable, Codable {
    /// r₁ in bohr. Must lie well inside the relativistic radius 2Z/c² (≥ 2.7e-5 bohr) for the SRA
    /// power-series start; the solver also copes with larger values (logarithmic start).
    public var firstPointBohr: Double
    public var rmaxBohr: Double
    /// Logarithmic step a (Δr/r far from the nucleus).
    public var a: Double

    /// Defaults chosen from the convergence study in docs/atom.md: total energies and
    /// eigenvalues converged to ≲ 2e-7 Ha for all Z ≤ 92 (2489 points).
    public init(firstPointBohr: Double = 1e-6, rmaxBohr: Double = 50, a: Double = 0.005) {
        self.firstPointBohr = firstPointBohr
        self.rmaxBohr = rmaxBohr
        self.a = a
    }

    public func makeMesh() throws -> RadialMesh {
        try RadialMesh.covering(rmax: rmaxBohr, firstPoint: firstPointBohr, a: a)
    }
}

/// Mixing schedule of the atom SCF (shared `SCF` mixers): `linearSteps` straight-mixing steps
/// with `linearAlpha`, then Broyden-II (`broydenAlpha`, `history`) with the r² dr metric.
public struct AtomMixing: Sendable, Equatable, Codable {
    public var linearAlpha: Double
    public var linearSteps: Int
    public var broydenAlpha: Double
    public var history: Int

    public init(linearAlpha: Double = 0.3, linearSteps: Int = 3, broydenAlpha: Double = 0.3, history: Int = 20) {
        self.linearAlpha = linearAlpha
        self.linearSteps = linearSteps
        self.broydenAlpha = broydenAlpha
        self.history = history
    }
}

/// Exchange treatment in relativistic calculations.
public enum RelativisticExchange: String, Sendable, Codable, CaseIterable {
    /// Plain (non-relativistic) LDA exchange, as in JuKKR's scalar-relativistic runs.
    case none
    /// MacDonald–Vosko relativistic correction of LDA exchange (A. H. MacDonald, S. H. Vosko,
    /// J. Phys. C 12, 2977 (1979), doi:10.1088/0022-3719/12/15/007), used by the NIST RLDA and
    /// ScRLDA tables.
    case macDonaldVosko
}

/// Settings of a free-atom LDA/LSDA calculation. Energies are in Ry inside.
///
/// The defaults follow the NIST atomic tables (Kotochigova et al., Phys. Rev. A 55, 191 (1997)):
/// VWN, c = 137.0359895 a.u., and for the scalar-relativistic case MacDonald–Vosko exchange and
/// a large-component-only density (`SmallComponentConvention.largeOnly`), which together
/// reproduce every published Mg ScRLDA number (docs/atom.md). `jukkrConventions` switches to the
/// conventions of the KKR code (JuKKR's c, plain LDA exchange, P² + Q²/c² densities).
public struct AtomSettings: Sendable, Equatable, Codable {
    public var relativity: Relativity
    public var functional: XCFunctional
    /// LSDA with Hund's-rule spin occupations (`AtomOccupations`).
    public var spinPolarized: Bool
    /// c in Ry units (default: the NIST tables' 274.071979; JuKKR uses 274.0720442).
    public var speedOfLightRy: Double
    /// Relativistic exchange correction (only used for `.scalarRelativistic`).
    public var relativisticExchange: RelativisticExchange
    /// Small-component convention of scalar-relativistic densities and normalisation.
    public var smallComponent: SmallComponentConvention
    public var mesh: AtomMeshSettings
    public var mixing: AtomMixing
    /// SCF convergence: density-weighted rms of v_out − v_in in Ry,
    /// √(Σ_σ ∫ Δv_σ² σ_σ dr / N) (`AtomSCFProblem.residualNorms`). The default 1e-10 Ry
    /// converges total energies to ~1e-10 Ha and eigenvalues to ~2e-10 Ha (docs/atom.md).
    public var potentialTolerance: Double
    public var maxIterations: Int
    /// Eigenvalue convergence |δE| (Ry).
    public var eigenvalueTolerance: Double

    public init(relativity: Relativity = .nonRelativistic, functional: XCFunctional = .vwn, spinPolarized: Bool = false,
                speedOfLightRy: Double = SpeedOfLight.nistRy, relativisticExchange: RelativisticExchange = .macDonaldVosko,
                smallComponent: SmallComponentConvention = .largeOnly,
                mesh: AtomMeshSettings = AtomMeshSettings(), mixing: AtomMixing = AtomMixing(),
                potentialTolerance: Double = 1e-10, maxIterations: Int = 300, eigenvalueTolerance: Double = 1e-11) {
        self.relativity = relativity
        self.functional = functional
        self.spinPolarized = spinPolarized
        self.speedOfLightRy = speedOfLightRy
        self.relativisticExchange = relativisticExchange
        self.smallComponent = smallComponent
        self.mesh = mesh
        self.mixing = mixing
        self.potentialTolerance = potentialTolerance
        self.maxIterations = maxIterations
        self.eigenvalueTolerance = eigenvalueTolerance
    }

    /// The same calculation with the KKR code's conventions: c = 274.0720442 (JuKKR `cvlight`),
    /// no relativistic exchange correction, SRA densities P² + Q²/c² (KKR_NOTES §2.1, §3).
    public var jukkrConventions: AtomSettings {
        var s = self
        s.speedOfLightRy = SpeedOfLight.jukkrRy
        s.relativisticExchange = .none
        s.smallComponent = .largeAndSmall
        return s
    }
}
