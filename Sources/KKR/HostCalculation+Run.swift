import Atom
import Elements
import Foundation
import KKRNumerics
import Lattice
import PotentialIO
import Radial
import SCF

/// Result of a converged host calculation.
public struct HostResult: Sendable {
    public var settings: HostSettings
    public var potential: SphericalPotential
    public var fermiEnergyRy: Double
    public var magneticMomentMuB: Double
    public var valenceElectrons: Double
    public var coreStates: [CoreStateSpec]
    public var coreLevels: [CoreLevel]
    public var densityOfStatesAtFermi: Double
    /// lm-resolved total density per spin [spin][L''][r] of the last iteration.
    public var density: [[[Double]]]
    public var history: [SCFIterationRecord]
    public var wallSeconds: Double
    /// The potential-independent host data (lattice, screening, k-meshes, cache).
    public var structure: HostStructure
    /// Core levels per spin channel.
    public var coreLevelsPerSpin: [[CoreLevel]]
    /// VBC: the constant added to the electrostatic-zero potential by the potential-zero
    /// convention (`HostSettings.potentialZero`; 0 for `.electrostatic`), written to the file.
    public var potentialZeroShiftRy: Double = 0

    /// A problem object for post-processing (DOS, impurity set-up) of this host.
    public func problem() throws -> HostProblem {
        try HostProblem(settings: settings, structure: structure, coreStates: coreStates, valenceElectrons: valenceElectrons)
    }

    /// The converged potential as a JuKKR potential file site (INS = 0, ASA).
    public var sitePotential: SitePotential {
        potential.sitePotential(latticeConstantBohr: settings.latticeConstantBohr, fermiEnergyRy: fermiEnergyRy,
                                coreLevels: coreLevelsPerSpin,
                                exchangeCorrelationName: settings.functional == "pw92" ? "Perdew,Wang" : "Vosko,Wilk,Nusair",
                                vbcRy: potentialZeroShiftRy)
    }
}

/// Errors of host set-up.
public enum HostError: Error, CustomStringConvertible {
    case invalidSettings(String)
    case fermiLevelNotFound(String)

    public var description: String {
        switch self {
        case .invalidSettings(let s): return "invalid host settings: \(s)"
        case .fermiLevelNotFound(let s): return "could not find the Fermi level of the starting potential: \(s)"
        }
    }
}

/// Set-up and SCF driver of a host calculation (issue 6): free atom → superposition start →
/// Fermi level → SCF with straight then Broyden mixing through the shared `SCFDriver`.
public enum HostCalculation {
    /// Core/valence split of the free atom: sub-shells more than `coreGapRy` below the highest
    /// occupied level are core (KKR_NOTES §3, core/valence split; e.g. Cu 3p, Ga 3d are core,
    /// Zn 3d is valence).
    public static let coreGapRy = 1.2

    /// Everything potential-independent that a host run needs.
    public struct Setup: Sendable {
        public var settings: HostSettings
        public var element: Element
        public var lattice: CrystalLattice
        public var structure: HostStructure
        public var mesh: RadialMesh
        public var atom: AtomResult
        public var coreStates: [CoreStateSpec]
        public var valenceElectrons: Double
    }

    public static func setup(_ settings: HostSettings) throws -> Setup {
        let element = try PeriodicTable.element(symbol: settings.elementSymbol)
        guard let type = LatticeType(rawValue: settings.lattice.lowercased()), type != .sc else {
            throw HostError.invalidSettings("lattice '\(settings.lattice)' (supported: fcc, bcc)")
        }
        guard settings.latticeConstantBohr > 2, settings.latticeConstantBohr < 20 else {
            throw HostError.invalidSettings("lattice constant \(settings.latticeConstantBohr) bohr is outside 2…20 bohr")
        }
        guard (1...4).contains(settings.lmax) else { throw HostError.invalidSettings("lmax \(settings.lmax) (use 1…4)") }
        let lattice = try CrystalLattice(type, latticeConstantBohr: settings.latticeConstantBohr)
        let structure = try HostStructure(lattice: lattice, settings: settings)
        let mesh = try RadialMesh.covering(rmax: lattice.wignerSeitzRadiusBohr, firstPoint: settings.meshFirstPointBohr, a: settings.meshStep)
        let atom = try freeAtom(element, settings: settings)
        let (core, zval) = coreAndValence(atom, lmax: settings.lmax)
        return Setup(settings: settings, element: element, lattice: lattice, structure: structure, mesh: mesh, atom: atom,
                     coreStates: core, valenceElectrons: zval)
    }

    /// Core states and number of valence electrons from the free atom's eigenvalues. Sub-shells
    /// with l > l_max cannot be represented by the valence Green function and are always core
    /// (e.g. the 4f shell of Hf–Hg for l_max ≤ 3 when it lies close to the valence band).
    public static func coreAndValence(_ atom: AtomResult, lmax: Int = 3) -> ([CoreStateSpec], Double) {
        let homo = atom.orbitals.filter { $0.occupation > 0 }.map(\.energyRy).max() ?? 0
        var coreOrbitals = atom.coreOrbitals(below: homo - coreGapRy)
        for o in atom.element.configuration where o.l > lmax && o.occupation > 0
            && !coreOrbitals.contains(where: { $0.n == o.n && $0.l == o.l }) {
            coreOrbitals.append(o)
        }
        let core = coreOrbitals.map { CoreStateSpec(n: $0.n, l: $0.l, occupation: $0.occupation) }
        let ncore = core.reduce(0.0) { $0 + $1.occupation }
        return (core, Double(atom.element.atomicNumber) - ncore)
    }

    /// Atomic-superposition (Mattheiss) starting density in the atomic sphere:
    /// n(r) = n_at(r) + Σ_{n≠0} (1/(2 r R_n)) ∫_{|R_n − r|}^{R_n + r} n_at(s) s ds,
    /// the spherical average of the free-atom densities of all neighbours (L. F. Mattheiss,
    /// Phys. Rev. 133, A1399 (1964), doi:10.1103/PhysRev.133.A1399), renormalised to Z electrons.
    public static func superposedDensity(atom: AtomResult, lattice: CrystalLattice, mesh: RadialMesh) throws -> [Double] {
        try superposedDensity(centre: atom, neighbours: atom, lattice: lattice, mesh: mesh)
    }

    /// The same with a different atom at the centre (an impurity) than on the neighbour sites
    /// (the host); renormalised to Z_centre electrons (a neutral sphere).
    public static func superposedDensity(centre: AtomResult, neighbours: AtomResult, lattice: CrystalLattice,
                                         mesh: RadialMesh) throws -> [Double] {
        let parts = try superposedDensityParts(centreDensities: [centre.totalDensity], centreMesh: centre.mesh,
                                               neighbours: neighbours, lattice: lattice, mesh: mesh)
        let total = zip(parts.centre[0], parts.neighbours).map { $0 + $1 }
        let q = Electrostatics.charge(sphericalDensity: total, mesh: mesh)
        let z = Double(centre.element.atomicNumber)
        return total.map { $0 * z / q }
    }

    /// The two parts of the superposition on `mesh`: the centre atom's densities (one array per
    /// spin channel given) and the spherically averaged neighbour density (all spins).
    public static func superposedDensityParts(centreDensities: [[Double]], centreMesh cm: RadialMesh, neighbours: AtomResult,
                                              lattice: CrystalLattice, mesh: RadialMesh) throws -> (centre: [[Double]], neighbours: [Double]) {
        let am = neighbours.mesh
        let nat = neighbours.totalDensity
        // cumulative ∫_0^s n_at(s') s' ds' on the atom mesh
        let cum = am.cumulativeIntegral((0..<am.count).map { nat[$0] * am.r[$0] })
        func integral(_ s: Double) throws -> Double {
            if s >= am.rmax { return cum[am.count - 1] }
            return try am.interpolate(cum, at: s)
        }
        let sites = try lattice.neighbourSites(withinBohr: min(am.rmax + mesh.rmax, 4 * lattice.latticeConstantBohr))
        var outN = [Double](repeating: 0, count: mesh.count)
        var outC = [[Double]](repeating: [Double](repeating: 0, count: mesh.count), count: centreDensities.count)
        for i in 0..<mesh.count {
            let r = mesh.r[i]
            for (k, d) in centreDensities.enumerated() { outC[k][i] = r <= cm.rmax ? max(0, try cm.interpolate(d, at: r)) : 0 }
            var v = 0.0
            for s in sites where s.distanceBohr > 0 {
                let d = s.distanceBohr
                if r == 0 {
                    v += d < am.rmax ? try am.interpolate(nat, at: d) : 0
                } else {
                    v += (try integral(d + r) - integral(abs(d - r))) / (2 * r * d)
                }
            }
            outN[i] = max(v, 0)
        }
        return (outC, outN)
    }

    /// The free atom with the KKR code's conventions (JuKKR c, plain LDA exchange, P² + Q²/c²).
    public static func freeAtom(_ element: Element, settings: HostSettings, spinPolarized: Bool = false) throws -> AtomResult {
        var atomSettings = AtomSettings(relativity: settings.relativity, functional: settings.functional == "pw92" ? .pw92 : .vwn,
                                        spinPolarized: spinPolarized).jukkrConventions
        atomSettings.speedOfLightRy = settings.speedOfLight
        return try FreeAtom.solve(element, settings: atomSettings)
    }

    /// The superposition start: V = V_H + v_xc of the superposed density, split by ±Δ/2 for a
    /// spin-polarised run (magnetic start, scf-practice).
    public static func startingPotential(_ s: Setup, problem: HostProblem) throws -> SphericalPotential {
        let n = try superposedDensity(atom: s.atom, lattice: s.lattice, mesh: s.mesh)
        let template = SphericalPotential(atomicNumber: s.element.atomicNumber, mesh: s.mesh,
                                          smooth: [[Double]](repeating: [Double](repeating: 0, count: s.mesh.count),
                                                             count: problem.spinCount))
        let perSpin = problem.spinCount == 2 ? [n.map { $0 / 2 }, n.map { $0 / 2 }] : [n]
        var v = try problem.potentialFromDensity(sphericalPerSpin: perSpin, template: template)
        if problem.spinCount == 2 {
            let d = s.settings.initialSpinSplittingRy / 2
            v.smooth[0] = v.smooth[0].map { $0 - d }
            v.smooth[1] = v.smooth[1].map { $0 + d }
        }
        return v
    }

    /// Fermi level of a fixed potential by charge neutrality: N(E_F) = Z_val, by Newton steps
    /// with the smeared DOS at E_F and bisection safeguards (KKR_NOTES §6.3).
    public static func fermiLevel(problem: HostProblem, potential v: SphericalPotential, guess: Double,
                                  tolerance: Double = 1e-4) throws -> Double {
        var ef = guess
        var lo = -Double.infinity, hi = Double.infinity
        for _ in 0..<30 {
            let c = try problem.contour(fermiEnergyRy: ef)
            let (_, charges) = try problem.valenceDensity(v, contour: c)
            let spinFactor = problem.spinCount == 2 ? 1.0 : 2.0
            var n = 0.0, dos = 0.0
            let pole1 = c.points.firstIndex { $0.leg == .matsubara && abs($0.energy.imaginary - Double.pi * c.kT) < 1e-12 }!
            for spin in 0..<problem.spinCount {
                for (j, p) in c.points.enumerated() { n += spinFactor * (-(p.weight * charges[spin][j]).imaginary / Double.pi) }
                dos += spinFactor * (-charges[spin][pole1].imaginary / Double.pi)
            }
            let dz = problem.valenceElectrons - n
            if abs(dz) < tolerance { return ef }
            if dz > 0 { lo = max(lo, ef) } else { hi = min(hi, ef) }
            var step = dos > 1e-2 ? dz / dos : (dz > 0 ? 0.2 : -0.2)
            step = max(-0.3, min(0.3, step))
            var next = ef + step
            if lo.isFinite && hi.isFinite && !(next > lo && next < hi) { next = 0.5 * (lo + hi) }
            ef = next
        }
        throw HostError.fermiLevelNotFound("no convergence in 30 steps (last E_F = \(ef) Ry)")
    }

    /// Runs the host SCF to convergence. `start` overrides the superposition start (restart from
    /// a potential file); `progress` sees every iteration.
    public static func run(_ settings: HostSettings, start: HostState? = nil,
                           progress: (SCFIterationRecord, HostIterationResult?) -> Void = { _, _ in }) throws -> HostResult {
        let t0 = Date()
        let s = try setup(settings)
        var problem = try HostProblem(settings: settings, structure: s.structure, coreStates: s.coreStates,
                                      valenceElectrons: s.valenceElectrons)
        let initial: HostState
        if var st = start {
            // A restart file may be in another potential zero (an electrostatic-zero host file has
            // its potential ≈ 0.75 Ry below the muffin-tin-shell zero): move potential and E_F
            // rigidly into this run's zero, otherwise E_F takes its full Newton step into the new
            // zero while the potential follows at the straight-mixing rate, and the SCF runs away
            // (Cu: E_F → 13 Ry). A start already in the zero is shifted by ≈ 0.
            let shift = try problem.zeroShift(st.potential)
            st.potential.smooth = st.potential.smooth.map { $0.map { $0 + shift } }
            st.fermiEnergyRy += shift
            initial = st
        } else {
            let v = try startingPotential(s, problem: problem)
            let ef = try fermiLevel(problem: problem, potential: v, guess: v.total(spin: 0, at: s.mesh.count - 1) + 0.6,
                                    tolerance: 1e-2)
            initial = HostState(potential: v, fermiEnergyRy: ef)
        }
        if problem.spinCount == 2 && start == nil { problem.holdSpinSplitting(iterations: 4) }
        let mesh = initial.potential.mesh
        let weights = problem.mixingWeights(mesh: mesh)
        var mixer = ScheduledMixer(
            linear: LinearMixer(alpha: settings.mixing.linearAlpha,
                                componentScale: problem.componentScale(mesh: mesh, magneticFactor: settings.mixing.magneticFactor,
                                                                      alpha: settings.mixing.linearAlpha)),
            linearSteps: settings.mixing.linearSteps,
            then: BroydenMixer(alpha: settings.mixing.broydenAlpha, historyLength: settings.mixing.broydenHistory, weights: weights,
                               componentScale: problem.componentScale(mesh: mesh, magneticFactor: 1, alpha: settings.mixing.broydenAlpha)))
        var last: HostIterationResult?
        let result = try SCFDriver.run(&problem, start: initial, mixer: &mixer, criterion: RMSBelow(settings.rmsTolerance),
                                       settings: SCFSettings(maxIterations: settings.maxIterations)) { rec, _, _ in
            progress(rec, nil)
        }
        last = problem.lastResult
        let r = last!
        return HostResult(settings: settings, potential: result.state.potential, fermiEnergyRy: result.state.fermiEnergyRy,
                          magneticMomentMuB: r.magneticMomentMuB, valenceElectrons: s.valenceElectrons, coreStates: s.coreStates,
                          coreLevels: r.coreLevels, densityOfStatesAtFermi: r.densityOfStatesAtFermi, density: r.density,
                          history: result.history, wallSeconds: Date().timeIntervalSince(t0), structure: s.structure,
                          coreLevelsPerSpin: r.coreLevelsPerSpin,
                          potentialZeroShiftRy: try potentialZeroShift(settings: settings, density: r.density,
                                                                       mesh: result.state.potential.mesh, atomicNumber: s.element.atomicNumber))
    }

    /// VBC of the potential-zero convention for the potential of `density` (total lm-resolved
    /// density per spin): −⟨V⟩ over R_MT < r < R_WS of the electrostatic-zero potential V_H + v_xc
    /// for `.muffinTinShell` (`SphericalPotential.shellAverage`), 0 for `.electrostatic`.
    public static func potentialZeroShift(settings: HostSettings, density: [[[Double]]], mesh: RadialMesh,
                                          atomicNumber: Int) throws -> Double {
        guard settings.resolvedPotentialZero == .muffinTinShell else { return 0 }
        let builder = try SitePotentialBuilder(lpot: 0, functional: settings.functional == "pw92" ? .pw92 : .vwn,
                                               spinPolarized: settings.spinPolarized)
        let (sph, _) = try builder.build(density: density.map { [$0[0]] }, mesh: mesh, intercell: nil, nonSpherical: false)
        return try settings.zeroShift(SphericalPotential(atomicNumber: atomicNumber, mesh: mesh, smooth: sph))
    }
}

extension HostSettings {
    /// The constant that puts `v` into this potential zero: −⟨V⟩ over the shell R_MT < r < R_WS
    /// (R_MT = half the nearest-neighbour distance) for `.muffinTinShell` — VBC when `v` is in
    /// the electrostatic zero, ≈ 0 for a potential already in the convention — and 0 for
    /// `.electrostatic`.
    public func zeroShift(_ v: SphericalPotential) throws -> Double {
        guard resolvedPotentialZero == .muffinTinShell else { return 0 }
        return -(try v.shellAverage(from: try KKRLatticeFactory.lattice(self).nearestNeighbourDistanceBohr / 2))
    }
}

/// Builds the crystal lattice of host settings.
public enum KKRLatticeFactory {
    public static func lattice(_ s: HostSettings) throws -> CrystalLattice {
        guard let type = LatticeType(rawValue: s.lattice.lowercased()), type != .sc else {
            throw HostError.invalidSettings("lattice '\(s.lattice)' (supported: fcc, bcc)")
        }
        return try CrystalLattice(type, latticeConstantBohr: s.latticeConstantBohr)
    }
}
