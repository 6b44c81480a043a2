import Foundation
import KKRNumerics
import Radial

/// What the impurity solver and the emulator need of a converged host: its settings, spherical
/// potential, Fermi level, core-state specification, and the lm-resolved potential components
/// V_L(r) (l ≥ 1) of the converged density built with the same `SitePotentialBuilder` recipe as
/// the impurity sites (so that ΔV_L = V_imp,L − V_host,L is consistent).
public struct ConvergedHost: Sendable {
    public var settings: HostSettings
    public var potential: SphericalPotential
    public var fermiEnergyRy: Double
    public var coreStates: [CoreStateSpec]
    public var valenceElectrons: Double
    public var coreLevels: [[CoreLevel]]
    /// Non-spherical components [spin][L][r] (index 0 unused), l ≤ 2 l_max.
    public var nonSpherical: [[[Double]]]
    /// Total lm-resolved density [spin][L][r] of the converged host.
    public var density: [[[Double]]]
    public var iterations: Int
    public var finalRms: Double

    public init(settings: HostSettings, potential: SphericalPotential, fermiEnergyRy: Double, coreStates: [CoreStateSpec],
                valenceElectrons: Double, coreLevels: [[CoreLevel]], nonSpherical: [[[Double]]], density: [[[Double]]],
                iterations: Int, finalRms: Double) {
        self.settings = settings
        self.potential = potential
        self.fermiEnergyRy = fermiEnergyRy
        self.coreStates = coreStates
        self.valenceElectrons = valenceElectrons
        self.coreLevels = coreLevels
        self.nonSpherical = nonSpherical
        self.density = density
        self.iterations = iterations
        self.finalRms = finalRms
    }

    /// From a converged host run; computes the non-spherical potential of its density.
    public init(_ r: HostResult) throws {
        let builder = try SitePotentialBuilder(lpot: 2 * r.settings.lmax, functional: r.settings.functional == "pw92" ? .pw92 : .vwn,
                                               spinPolarized: r.settings.spinPolarized)
        let (_, ns) = try builder.build(density: r.density, mesh: r.potential.mesh, intercell: nil)
        self.init(settings: r.settings, potential: r.potential, fermiEnergyRy: r.fermiEnergyRy, coreStates: r.coreStates,
                  valenceElectrons: r.valenceElectrons, coreLevels: r.coreLevelsPerSpin, nonSpherical: ns, density: r.density,
                  iterations: r.history.count, finalRms: r.history.last?.rms ?? .nan)
    }

    /// The constant VBC that the host's potential-zero convention added to its electrostatic
    /// potential (0 for `.electrostatic`): rebuilt from the converged density, so that an
    /// impurity potential computed from its own density is put into the host's zero by adding
    /// it (the host-in-host potential then reproduces the host's). Cf. KKRimp, which takes VBC
    /// from `kkrflex_intercell_ref` (FORMATS.md).
    public func potentialZeroShiftRy() throws -> Double {
        try HostCalculation.potentialZeroShift(settings: settings, density: density, mesh: potential.mesh,
                                               atomicNumber: potential.atomicNumber)
    }

    /// Bottom of the valence contour (Ry): E_F − `settings.contourBottomBelowFermiRy`.
    public var contourBottomRy: Double { fermiEnergyRy - settings.contourBottomBelowFermiRy }

    /// The contour the host converged with (an impurity calculation must use the same one,
    /// KKR_NOTES pitfall 9).
    public func contour() throws -> EnergyContour {
        try EnergyContour(bottomRy: contourBottomRy, fermiEnergyRy: fermiEnergyRy,
                          temperatureK: settings.temperatureK, poles: settings.poles, verticalPoints: settings.verticalPoints,
                          horizontalPoints: settings.horizontalPoints, tailPoints: settings.tailPoints)
    }
}
