import Atom
import Elements
import Emulator
import ExchangeCorrelation
import Foundation
import Impurity
import KKR
import Lattice
import Radial

/// The host a prediction is made for: element, lattice and its converged spherical potential
/// (smooth parts v^σ = V^σ + 2Z/r per spin on the host's exponential mesh, whose last point is
/// the sphere radius), plus the conventions it was computed with.
public struct EmulatorHost: Sendable {
    public var element: Element
    public var lattice: CrystalLattice
    public var potential: SphericalPotential
    /// XC functional name ("vwn" or "pw92").
    public var functional: String
    /// What the solver's semicore guard needs (nil: not known for this host). Used to rebuild the
    /// guarded start of the training records (`StartGuardRecovery`) and the prior of models of the
    /// guarded superposition (`EmulatorPredictor.priorName`); the guard lowers the start of Y, Zr,
    /// Nb, Hf, Ta, Ga, Sn, … (docs/emulator.md §15.2).
    public var semicoreGuard: SemicoreGuardContext?

    public init(element: Element, lattice: CrystalLattice, potential: SphericalPotential, functional: String = "vwn",
                semicoreGuard: SemicoreGuardContext? = nil) throws {
        guard potential.atomicNumber == element.atomicNumber else {
            throw EmulatorError.invalidInput("host potential has Z = \(potential.atomicNumber), the host element is "
                + "\(element.symbol) (Z = \(element.atomicNumber))")
        }
        self.element = element
        self.lattice = lattice
        self.potential = potential
        self.functional = functional
        self.semicoreGuard = semicoreGuard
    }

    /// From a converged host of the solver (with its semicore-guard context).
    public init(_ host: ConvergedHost) throws {
        try self.init(element: try PeriodicTable.element(atomicNumber: host.potential.atomicNumber),
                      lattice: try KKRLatticeFactory.lattice(host.settings), potential: host.potential,
                      functional: host.settings.functional,
                      semicoreGuard: SemicoreGuardContext(contourBottomRy: host.contourBottomRy, lmax: host.settings.lmax,
                                                          relativity: host.settings.relativity,
                                                          speedOfLight: host.settings.speedOfLight))
    }
}

/// The host quantities of the solver's semicore guard (`ImpurityCalculation.semicoreGuardShift`).
public struct SemicoreGuardContext: Sendable, Equatable {
    public var contourBottomRy: Double
    public var lmax: Int
    public var relativity: Relativity
    public var speedOfLight: Double

    public init(contourBottomRy: Double, lmax: Int, relativity: Relativity, speedOfLight: Double) {
        self.contourBottomRy = contourBottomRy; self.lmax = lmax; self.relativity = relativity; self.speedOfLight = speedOfLight
    }

    /// A host read from a potential file: E_F of the file, the solver's default contour depth,
    /// relativity and speed of light.
    public init(fermiEnergyRy: Double, lmax: Int) {
        let d = HostSettings(elementSymbol: "Cu", lattice: "fcc", latticeConstantBohr: 6.82)
        self.init(contourBottomRy: fermiEnergyRy - d.contourBottomBelowFermiRy, lmax: lmax, relativity: d.relativity,
                  speedOfLight: d.speedOfLight)
    }

    /// The guard's constant (Ry, ≤ 0) for a start ΔV of the impurity site (`impurityChange`
    /// convention, 2 spins) in `host`; the impurity's core states as the solver chooses them
    /// (`HostCalculation.coreAndValence` of its free atom, cached per element and settings).
    public func shift(for start: SitePotentialChange, impurity: Element, host: EmulatorHost) throws -> Double {
        let s4p = (4 * Double.pi).squareRoot()
        let h = host.potential.smooth
        let smooth = [start.up[0], start.down[0]].enumerated().map { (σ, dv) in
            zip(h[min(σ, h.count - 1)], dv).map { $0 + $1 / s4p }
        }
        let site = SphericalPotential(atomicNumber: impurity.atomicNumber, mesh: host.potential.mesh, smooth: smooth)
        return try ImpurityCalculation.semicoreGuardShift(site: site, coreStates: try coreStates(impurity, functional: host.functional),
                                                          contourBottomRy: contourBottomRy, lmax: lmax,
                                                          relativity: relativity, speedOfLight: speedOfLight)
    }

    func coreStates(_ impurity: Element, functional: String) throws -> [CoreStateSpec] {
        let atom = try FreeAtomCache.shared.atom(impurity, functional: functional, relativity: relativity, speedOfLight: speedOfLight)
        return HostCalculation.coreAndValence(atom, lmax: lmax).0
    }
}

/// Free atoms of the solver (`HostCalculation.freeAtom`) by element and settings, computed once
/// per process: `predict-potential` needs the impurity's atom for the core lines of the file and
/// for the semicore guard of the prior.
final class FreeAtomCache: @unchecked Sendable {
    static let shared = FreeAtomCache()
    private var atoms: [String: AtomResult] = [:]
    private let lock = NSLock()

    func atom(_ element: Element, functional: String, relativity: Relativity, speedOfLight: Double) throws -> AtomResult {
        let key = "\(element.atomicNumber)-\(functional)-\(relativity.rawValue)-\(speedOfLight)"
        lock.lock()
        let cached = atoms[key]
        lock.unlock()
        if let cached { return cached }
        var hs = HostSettings(elementSymbol: element.symbol, lattice: "fcc", latticeConstantBohr: 6.82)
        hs.functional = functional; hs.relativity = relativity; hs.speedOfLight = speedOfLight
        let atom = try HostCalculation.freeAtom(element, settings: hs)
        lock.lock(); atoms[key] = atom; lock.unlock()
        return atom
    }
}

/// The atomic-superposition start of the impurity site rebuilt from a stored `EmulatorAtomTable`
/// (no atom solver): the same construction as `Impurity.AtomicSuperpositionStart` —
///
///     n^σ(r) = n_imp^σ(r) + ½ Σ_{n≠0} (1/(2 r d_n)) ∫_{|d_n−r|}^{d_n+r} n_host(s) s ds
///
/// (Mattheiss superposition, L. F. Mattheiss, Phys. Rev. 133, A1399 (1964),
/// doi:10.1103/PhysRev.133.A1399; the neighbour sum grouped by neighbour shell), renormalised to
/// Z_imp electrons, V^σ = V_H + v_xc^σ (`SitePotentialBuilder`, l = 0), shifted so that the
/// charge part of the total potential equals the host's at the sphere radius R:
/// ⟨v⟩_σ(R) − 2Z_imp/R = ⟨v_host⟩_σ(R) − 2Z_host/R.
///
/// The host part (the neighbour sum on the host mesh) is computed once per value.
public struct SuperpositionStartBuilder: Sendable {
    public let table: EmulatorAtomTable
    public let host: EmulatorHost
    /// Neighbour (host-atom) part of the superposed density on the host mesh (bohr⁻³).
    public let neighbourDensity: [Double]
    private let builders: [SitePotentialBuilder]

    public init(table: EmulatorAtomTable, host: EmulatorHost) throws {
        self.table = table
        self.host = host
        let mesh = host.potential.mesh
        let am = table.mesh
        let nat = try table.entry(host.element).totalDensity
        let cum = am.cumulativeIntegral((0..<am.count).map { nat[$0] * am.r[$0] })
        func integral(_ s: Double) throws -> Double {
            if s >= am.rmax { return cum[am.count - 1] }
            return try am.interpolate(cum, at: s)
        }
        let sites = try host.lattice.neighbourSites(withinBohr: min(am.rmax + mesh.rmax, 4 * host.lattice.latticeConstantBohr))
        // Shells: (distance, multiplicity).
        var shells: [(d: Double, count: Double)] = []
        for s in sites where s.distanceBohr > 0 {
            if let last = shells.last, abs(last.d - s.distanceBohr) <= 1e-10 * s.distanceBohr {
                shells[shells.count - 1].count += 1
            } else {
                shells.append((s.distanceBohr, 1))
            }
        }
        var out = [Double](repeating: 0, count: mesh.count)
        for i in 0..<mesh.count {
            let r = mesh.r[i]
            var v = 0.0
            for (d, m) in shells {
                if r == 0 {
                    v += m * (d < am.rmax ? try am.interpolate(nat, at: d) : 0)
                } else {
                    v += m * (try integral(d + r) - integral(abs(d - r))) / (2 * r * d)
                }
            }
            out[i] = max(v, 0)
        }
        neighbourDensity = out
        let functional: XCFunctional = host.functional == "pw92" ? .pw92 : .vwn
        builders = [try SitePotentialBuilder(lpot: 0, functional: functional, spinPolarized: false),
                    try SitePotentialBuilder(lpot: 0, functional: functional, spinPolarized: true)]
    }

    /// The smooth start potential v^σ (vm2z) of the impurity site on the host mesh, `spinCount`
    /// channels (2: the LSDA atom at the centre, a magnetic start).
    public func impurityPotential(_ impurity: Element, spinCount: Int) throws -> [[Double]] {
        guard spinCount == 1 || spinCount == 2 else { throw EmulatorError.invalidInput("spin count \(spinCount) must be 1 or 2") }
        let mesh = host.potential.mesh
        let am = table.mesh
        let entry = try table.entry(impurity)
        let centreDensities = spinCount == 2 ? [entry.upDensity, entry.downDensity] : [entry.totalDensity]
        var centre = [[Double]](repeating: [Double](repeating: 0, count: mesh.count), count: centreDensities.count)
        for i in 0..<mesh.count {
            let r = mesh.r[i]
            for (k, d) in centreDensities.enumerated() { centre[k][i] = r <= am.rmax ? max(0, try am.interpolate(d, at: r)) : 0 }
        }
        let perChannel: [[Double]]
        if spinCount == 2 {
            perChannel = [zip(centre[0], neighbourDensity).map { $0 + $1 / 2 }, zip(centre[1], neighbourDensity).map { $0 + $1 / 2 }]
        } else {
            perChannel = [zip(centre[0], neighbourDensity).map { $0 + $1 }]
        }
        let q = perChannel.reduce(0.0) { $0 + Electrostatics.charge(sphericalDensity: $1, mesh: mesh) }
        let scale = Double(impurity.atomicNumber) / q
        let y00 = 1 / (4 * Double.pi).squareRoot()
        let lm = perChannel.map { [$0.map { $0 * scale / y00 }] }
        var (sph, _) = try builders[spinCount - 1].build(density: lm, mesh: mesh, intercell: nil, nonSpherical: false)
        let last = mesh.count - 1
        let radius = mesh.rmax
        let hostSmooth = host.potential.smooth
        let hostR = (0..<spinCount).map { hostSmooth[min($0, hostSmooth.count - 1)][last] }.reduce(0, +) / Double(spinCount)
            - 2 * Double(host.element.atomicNumber) / radius
        let startR = sph.map { $0[last] }.reduce(0, +) / Double(sph.count) - 2 * Double(impurity.atomicNumber) / radius
        let shift = hostR - startR
        sph = sph.map { $0.map { $0 + shift } }
        return sph
    }

    /// ΔV of the start on the impurity site: smooth L = 00 change √(4π)(v^σ − v_host^σ) per
    /// spin on the host mesh (the emulator's target convention, docs/emulator.md §3), as a
    /// `SitePotentialChange` with lMax 0 (ΔV↓ = ΔV↑ for spinCount 1).
    public func impurityChange(_ impurity: Element, spinCount: Int) throws -> SitePotentialChange {
        let v = try impurityPotential(impurity, spinCount: spinCount)
        let h = host.potential.smooth
        let s4p = (4 * Double.pi).squareRoot()
        let up = zip(v[0], h[0]).map { ($0 - $1) * s4p }
        let down = zip(v[min(1, v.count - 1)], h[min(1, h.count - 1)]).map { ($0 - $1) * s4p }
        return try SitePotentialChange(mesh: host.potential.mesh, lMax: 0, up: [up], down: [down])
    }
}
