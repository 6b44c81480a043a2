import Elements
import ExchangeCorrelation
import Foundation
import Radial

/// Total energy of the free atom and its parts, in Ry (Hartree accessors for the NIST tables:
/// 1 Ha = 2 Ry). Conventions of the NIST tables (Kotochigova et al., Phys. Rev. A 55, 191
/// (1997)): E_tot = E_kin + E_coul + E_enuc + E_xc with
///
///     E_kin  = Σ_i f_i ε_i − Σ_σ ∫ V_σ^in σ_σ dr            (Kohn–Sham kinetic energy)
///     E_coul = ½ ∫ V_H σ dr                                   (Hartree)
///     E_enuc = −2Z ∫ σ/r dr
///     E_xc   = ∫ ε_xc σ dr,                                   σ = 4π r² n (radial density).
///
/// `totalRy` is this variational Kohn–Sham form evaluated with the output density of the last
/// iteration and the eigenvalues of its input potential (the −2Z/r terms of E_kin and E_enuc
/// cancel analytically and are not integrated). `doubleCountingTotalRy` is the eigenvalue form
/// Σ f ε − E_coul − Σ_σ ∫ v_xc,σ^out σ_σ dr + E_xc with the *output* potential; the two agree at
/// self-consistency (a test of the SCF convergence).
public struct AtomEnergies: Sendable, Codable, Equatable {
    public var totalRy: Double
    public var kineticRy: Double
    public var hartreeRy: Double
    public var electronNucleusRy: Double
    public var exchangeCorrelationRy: Double
    public var bandRy: Double
    public var doubleCountingTotalRy: Double

    public var totalHa: Double { totalRy / 2 }
    public var kineticHa: Double { kineticRy / 2 }
    public var hartreeHa: Double { hartreeRy / 2 }
    public var electronNucleusHa: Double { electronNucleusRy / 2 }
    public var exchangeCorrelationHa: Double { exchangeCorrelationRy / 2 }
}

/// One Kohn–Sham orbital of the converged atom (per spin channel).
public struct AtomOrbital: Sendable, Codable, Equatable {
    public let n: Int
    public let l: Int
    public let spin: SpinChannel
    public let occupation: Double
    public let energyRy: Double
    /// ⟨r⟩ = ∫ r (P² + Q²/c²) dr in bohr.
    public let meanRadiusBohr: Double
    /// Radius of the outermost maximum of P² (bohr), from a parabola through the three mesh
    /// points around it (in the mesh index).
    public let outermostMaximumBohr: Double
    /// Probability of the orbital beyond the mesh end (decaying tail).
    public let normBeyondMesh: Double
    /// False when the orbital is not bound in the converged potential and was quantised with
    /// P(r_max) = 0 instead (never the case for the neutral atoms Z = 1…92, docs/atom.md).
    public let isBound: Bool

    public var energyHa: Double { energyRy / 2 }
    public var label: String { "\(n)\(Orbital.letter(l))" }
}

/// Converged free-atom LDA/LSDA result: what the KKR code (starting potentials, cores) and the
/// element features need. Potentials are in JuKKR's `vm2z` convention: the smooth part
/// v_σ(r) = V_σ(r) + 2Z/r (Ry) per spin channel on `mesh`.
public struct AtomResult: Sendable {
    public let element: Element
    public let settings: AtomSettings
    public let mesh: RadialMesh
    /// Spin channels of the per-channel arrays (`[.unpolarized]` or `[.up, .down]`).
    public let channels: [SpinChannel]
    public let occupations: [OrbitalOccupation]
    /// Orbitals in configuration order, channel by channel.
    public let orbitals: [AtomOrbital]
    public let energies: AtomEnergies
    /// Smooth potential v_σ = V_σ + 2Z/r = V_H + v_xc,σ (Ry) per channel (converged input).
    public let smoothPotentials: [[Double]]
    /// Electron density n_σ(r) in bohr⁻³ per channel (n[0] is extrapolated from r > 0).
    public let densities: [[Double]]
    /// Radial densities σ_σ = 4π r² n_σ (electrons per bohr) per channel.
    public let radialDensities: [[Double]]
    /// Radial wave functions P (and Q) per orbital, same order as `orbitals`.
    public let largeComponents: [[Double]]
    public let smallComponents: [[Double]]
    /// SCF iterations and final rms (Ry).
    public let iterations: Int
    public let finalRMS: Double
    public let wallSeconds: Double

    public var nuclearCharge: Double { Double(element.atomicNumber) }

    /// Total potential V_σ(r) = v_σ(r) − 2Z/r (Ry); −∞ at r = 0.
    public func totalPotential(channel c: Int) -> [Double] {
        let z = nuclearCharge
        return (0..<mesh.count).map { i in mesh.r[i] == 0 ? -.infinity : smoothPotentials[c][i] - 2 * z / mesh.r[i] }
    }

    /// Total electron density n↑ + n↓ (bohr⁻³).
    public var totalDensity: [Double] {
        var t = densities[0]
        if densities.count == 2 { for i in 0..<t.count { t[i] += densities[1][i] } }
        return t
    }

    /// Spin moment (μ_B).
    public var magneticMoment: Double { AtomOccupations.moment(occupations) }

    /// Eigenvalue of sub-shell (n, l) in channel c (nil if absent).
    public func eigenvalueRy(n: Int, l: Int, channel c: Int = 0) -> Double? {
        orbitals.first { $0.n == n && $0.l == l && $0.spin == channels[c] }?.energyRy
    }

    /// Sub-shells whose eigenvalue lies below `energyRy` in every channel: the core states for a
    /// KKR contour starting at EMIN = energyRy (KKR_NOTES §3), with their total occupations.
    public func coreOrbitals(below energyRy: Double) -> [Orbital] {
        occupations.compactMap { occ in
            let energies = orbitals.filter { $0.n == occ.n && $0.l == occ.l }.map(\.energyRy)
            guard let highest = energies.max(), highest < energyRy else { return nil }
            return Orbital(n: occ.n, l: occ.l, occupation: occ.total)
        }
    }

    /// Valence sub-shells: the complement of `coreOrbitals(below:)`.
    public func valenceOrbitals(above energyRy: Double) -> [Orbital] {
        let core = Set(coreOrbitals(below: energyRy).map { "\($0.n),\($0.l)" })
        return occupations.filter { !core.contains("\($0.n),\($0.l)") }.map { Orbital(n: $0.n, l: $0.l, occupation: $0.total) }
    }

    /// Element features for the ML model (unpolarised channel or the spin average): for each
    /// l = 0…3, the eigenvalue (Ry) and ⟨r⟩ (bohr) of the outermost occupied sub-shell of that l
    /// (0 if none), plus the total energy per electron (Ry). Names in `featureNames`.
    public var features: [Double] {
        var out: [Double] = []
        for l in 0...3 {
            let shells = occupations.filter { $0.l == l && $0.total > 0 }
            guard let outer = shells.max(by: { $0.n < $1.n }) else { out += [0, 0]; continue }
            let orbs = orbitals.filter { $0.n == outer.n && $0.l == l }
            let e = orbs.map(\.energyRy).reduce(0, +) / Double(orbs.count)
            let r = orbs.map(\.meanRadiusBohr).reduce(0, +) / Double(orbs.count)
            out += [e, r]
        }
        out.append(energies.totalRy / nuclearCharge)
        return out
    }

    public static let featureNames = ["eps_s_Ry", "r_s_bohr", "eps_p_Ry", "r_p_bohr", "eps_d_Ry", "r_d_bohr",
                                      "eps_f_Ry", "r_f_bohr", "Etot_per_electron_Ry"]
}
