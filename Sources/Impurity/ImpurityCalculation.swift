import Atom
import Elements
import Foundation
import KKR
import KKRNumerics
import PotentialIO
import Radial
import SCF

/// Settings of an impurity SCF run.
public struct ImpuritySettings: Sendable, Codable, Equatable {
    public var impuritySymbol: String
    public var shells: Int = 1
    public var spinPolarized: Bool = true
    /// Straight mixing, then Broyden-II (scf-practice: conservative first, then accelerate).
    /// Defaults by cluster size: `straightMixing(shells:)`.
    public var linearAlpha: Double = 0.05
    public var linearSteps: Int = 5
    /// Backtracking of the straight-mixing factor (`LinearMixer.Backtracking`): halve α and
    /// redo the step when the rms grows above this multiple of the best one. nil = off (also
    /// what settings stored before this option existed decode to, which is how they ran).
    public var backtrackingGrowthLimit: Double? = 1.2
    /// Factor β of the accelerated mixer (Anderson: x_{m+1} = x̄ + β F̄). 0.2 since stop 15
    /// (0.05 before): on eight held-out pairs from the atomic start the median fell from 48.5 to
    /// 39.5 iterations, on six high-DOS pairs (Pd, Rh, Mo, Au hosts) from 46 to 40 with the same
    /// converged states (docs/impurity.md, 'Mixing').
    public var broydenAlpha: Double = 0.2
    public var broydenHistory: Int = 20
    /// Safeguard of the Anderson phase (`AndersonMixer.restartFactor`): restart from the best
    /// input when the rms exceeds this multiple of the best one. nil = off (also what settings
    /// stored before this option existed decode to, which is how they ran). 30 catches the
    /// blow-ups only (Mo in Pd: rms 0.25 → 18 Ry, then ΔN_cl = −129 e; with the safeguard it
    /// converges in 47 iterations) and leaves ordinary runs alone (Ti in Cu 53, V in Al 55, Ni in
    /// Cu 88 vs 90, Fe in Cu 37 vs 41 iterations); 3 and 10 also cut off the Anderson
    /// exploration (V in Al not converged in 150, Fe in Cu 58). docs/impurity.md, 'Mixing'.
    public var andersonRestartFactor: Double? = 30
    /// Anderson history filter (`AndersonMixer.historyFilter`): forget secant pairs whose
    /// residual is more than this multiple of the current one. Far pairs carry the curvature of
    /// the map (their secant error ∝ |Δx|² exceeds a small current residual) and made the
    /// Anderson phase stall for 5–15 iterations at rms 1e-5 … 1e-7; with 100 the median of eight
    /// held-out pairs fell from 39.5 to 35.5 iterations (atomic start). nil = off (also what
    /// settings stored before this option existed decode to, which is how they ran).
    public var andersonHistoryFilter: Double? = 100
    /// End the straight phase early once the rms of the packed residual (the mixing metric) is
    /// below this (Ry): the straight steps tame the far, nonlinear regime of a poor start
    /// (charge sloshing), which a start this close has left. nil = always `linearSteps` steps
    /// (also what settings stored before this option existed decode to).
    public var switchBelowRms: Double? = 0.05
    /// Accelerated mixer after the straight steps: "broyden" (Broyden-II) or "anderson".
    public var acceleratedMixer: String = "anderson"
    public var magneticFactor: Double = 5
    /// Exchange splitting (Ry) held on the impurity site for `pushIterations` iterations when the
    /// start has no magnetic part there (scf-practice: magnetic starts need a push).
    public var pushSplittingRy: Double = 0.04
    public var pushIterations: Int = 4
    public var rmsTolerance: Double = 1e-8
    public var maxIterations: Int = 150
    public init(impuritySymbol: String) { self.impuritySymbol = impuritySymbol }

    /// Settings for a cluster of `shells` neighbour shells, with the straight-mixing defaults of
    /// that cluster size (`straightMixing(shells:)`).
    public init(impuritySymbol: String, shells: Int) {
        self.impuritySymbol = impuritySymbol
        self.shells = shells
        (linearAlpha, linearSteps) = Self.straightMixing(shells: shells)
    }

    /// The mixing schedule in words, for reports: "5 × linear 0.05 (…), then Anderson 0.2/20 (…),
    /// rms < 1e-08 Ry".
    public var mixerDescription: String {
        var straight = "\(linearSteps) × linear \(linearAlpha)"
        var notes: [String] = []
        if let g = backtrackingGrowthLimit { notes.append("backtracking \(g)") }
        if let s = switchBelowRms { notes.append("ended below rms \(s) Ry") }
        if !notes.isEmpty { straight += " (" + notes.joined(separator: ", ") + ")" }
        var accelerated = (acceleratedMixer == "anderson" ? "Anderson" : "Broyden-II") + " \(broydenAlpha)/\(broydenHistory)"
        notes = []
        if acceleratedMixer == "anderson" {
            if let r = andersonRestartFactor { notes.append("restart factor \(r)") }
            if let f = andersonHistoryFilter { notes.append("history filter \(f)") }
        }
        if !notes.isEmpty { accelerated += " (" + notes.joined(separator: ", ") + ")" }
        return "\(straight), then \(accelerated), rms < \(rmsTolerance) Ry, at most \(maxIterations) iterations"
    }

    /// Straight-mixing factor and number of straight steps for a cluster of `shells` shells.
    ///
    /// The monopole ("charge sloshing") mode of the cluster — a uniform potential shift moves
    /// charge into every sphere, whose Madelung potential pushes back — has a response that
    /// grows with the number of sites (total DOS × Madelung coupling), and straight mixing is
    /// stable only for α · response < 2. Measured (docs/results/impurity-validation.md, Fe in Cu,
    /// atomic start): with one shell (13 sites) α = 0.05 decreases the rms monotonically; with
    /// two shells (19 sites) α = 0.05 makes the cluster charge oscillate with growing amplitude
    /// (ΔN_cl −9.6, +6.3, −12.1, +9.2, −21.7 e) and the run ends non-magnetic after 92
    /// iterations, while α = 0.02 for 10 steps (scf-practice.md's recipe) decreases the rms
    /// monotonically to 0.1 and converges to the magnetic state (2.73 μB) in 47 iterations.
    public static func straightMixing(shells: Int) -> (alpha: Double, steps: Int) {
        shells <= 1 ? (0.05, 5) : (0.02, 10)
    }
}

/// One recorded SCF iterate (training data: intermediate potentials are data too).
public struct ImpurityIterate: Sendable {
    public var iteration: Int
    public var rms: Double
    public var input: ImpurityState
}

/// Result of a converged impurity run.
public struct ImpurityResult: Sendable {
    public var settings: ImpuritySettings
    public var startName: String
    public var state: ImpurityState
    public var last: ImpurityIterationResult
    public var history: [SCFIterationRecord]
    public var iterates: [ImpurityIterate]
    public var wallSeconds: Double
    public var geometry: ImpurityGeometry
    public var host: ConvergedHost
    /// Constant shift (Ry, ≤ 0) applied to the impurity's start potential by
    /// `ImpurityCalculation.semicoreGuardedStart` (0: start used as given).
    public var semicoreStartShiftRy: Double = 0

    /// ΔZ = Z_imp − Z_host and the screening charge of the cluster ΔN_cl = Σ_n N_n − N_cl Z_host
    /// (Friedel: ΔN_cl ≈ ΔZ, KKR_NOTES §9).
    public var friedel: (deltaZ: Double, deltaN: Double) {
        let zh = Double(host.potential.atomicNumber)
        return (Double(state.sites[0].atomicNumber) - zh, last.electrons.reduce(0, +) - zh * Double(last.electrons.count))
    }

    /// Largest accepted Friedel residual |ΔN_cl − ΔZ| (e) of a converged result. A metal screens
    /// the impurity's extra nuclear charge within the first shells (KKR_NOTES §9); our
    /// well-behaved pairs have a median residual of 0.04 e and at most 0.22 e
    /// (docs/results/dataset). Residuals of 0.5–0.9 e with impurity charges of +6…+10 e mark a
    /// self-consistent state that lost a filled d shell below the contour bottom (a state the
    /// host's contour does not enclose), not physics.
    public static let friedelTolerance = 0.3

    /// Largest accepted impurity net charge |q_imp| = |Z_imp − N_imp| (e). Converged, screened
    /// pairs of the database have |q_imp| ≤ 3.3 e (Ni in Mo, the largest; most within ±1.5 e);
    /// the lost-d-shell states have +5.7 … +9.6 e and can pass the Friedel test when the
    /// neighbours take up the charge (Zn in Au: ΔN_cl − ΔZ = +0.26 e, q_imp = +6.2 e;
    /// docs/results/dataset).
    public static let impurityChargeLimit = 4.5

    /// ΔN_cl − ΔZ.
    public var friedelResidual: Double { friedel.deltaN - friedel.deltaZ }

    /// Why a converged state is not a screened impurity (nil if it is): |ΔN_cl − ΔZ| >
    /// `friedelTolerance` or |q_imp| > `impurityChargeLimit`.
    public static func screeningProblem(friedelResidual: Double, impurityCharge: Double) -> String? {
        if abs(friedelResidual) > friedelTolerance { return String(format: "|ΔN_cl − ΔZ| > %.1f e, a state left the energy contour", friedelTolerance) }
        if abs(impurityCharge) > impurityChargeLimit { return String(format: "|q_imp| > %.1f e, a state left the energy contour", impurityChargeLimit) }
        return nil
    }

    /// How far (Ry) below the contour bottom a core level must lie to count as outside the valence
    /// contour. The contour's first leg starts on the real axis at the bottom, so a level inside
    /// it is integrated as a valence resonance as well as solved as a core state: counted twice.
    /// Only channels l ≤ l_max have a valence part. The margin covers the width of a semicore
    /// resonance in a metal (≲ 0.05 Ry): Ga 3d in Al at 0.087 Ry below the bottom converges to
    /// q_imp = −0.12 e, in line with its neighbours in the series, and is accepted.
    public static let coreContourMarginRy = 0.05

    /// Core levels (site, spin, level) with l ≤ l_max that lie above `contourBottom −
    /// coreContourMarginRy`. Seen for shallow semicore shells in a compressed sphere: Y 4p in Al
    /// at −0.39 Ry with the bottom at −1.05 Ry converges to q_imp = −1.44 e (Sc: +0.27 e), and
    /// Ga 3d / Sn 4d end up at E_F ± 0.2 Ry in most hosts, a state shifted by ≈ 1.3 Ry that is
    /// neutral only because the valence d resonance was pushed above E_F (docs/impurity.md,
    /// 'Semicore states').
    public var coreLevelsInsideContour: [(site: Int, spin: Int, level: CoreLevel)] {
        Self.coreLevelsInsideContour(last.coreLevels, contourBottomRy: host.contourBottomRy, lmax: host.settings.lmax)
    }

    /// `coreLevelsInsideContour` of the levels [site][spin][level] for a contour starting at
    /// `contourBottomRy` and valence channels l ≤ `lmax`.
    public static func coreLevelsInsideContour(_ levels: [[[CoreLevel]]], contourBottomRy: Double, lmax: Int)
        -> [(site: Int, spin: Int, level: CoreLevel)] {
        var found: [(site: Int, spin: Int, level: CoreLevel)] = []
        for (n, site) in levels.enumerated() {
            for (s, spin) in site.enumerated() {
                for level in spin where level.l <= lmax && level.energyRy > contourBottomRy - coreContourMarginRy {
                    found.append((n, s, level))
                }
            }
        }
        return found
    }

    /// This result's `screeningProblem` (nil: screened), or the first core level inside the contour.
    public var screeningProblem: String? {
        if let p = Self.screeningProblem(friedelResidual: friedelResidual, impurityCharge: last.charges[0]) { return p }
        guard let c = coreLevelsInsideContour.first else { return nil }
        return String(format: "core state %d%@ of site %d (Z = %d) at %.3f Ry lies inside the valence contour (bottom %.3f Ry, "
                      + "margin %.2f Ry) and is counted twice, as core and as valence", c.level.n,
                      Orbital.letter(c.level.l), c.site, state.sites[c.site].atomicNumber,
                      c.level.energyRy, host.contourBottomRy, Self.coreContourMarginRy)
    }

    /// No `screeningProblem`.
    public var isScreened: Bool { screeningProblem == nil }

    /// Throws `ImpurityError.unscreened` if the state has a `screeningProblem`.
    public func checkScreening() throws {
        guard let problem = screeningProblem else { return }
        let (dz, dn) = friedel
        throw ImpurityError.unscreened(String(format: "ΔN_cl = %.3f e for ΔZ = %.0f (impurity charge %+.2f e): ", dn, dz, last.charges[0])
            + problem + " (see docs/impurity.md, 'Screening check' and 'Semicore states')")
    }

    /// ΔV_L^σ(r) = V_imp − V_host per site (smooth parts; L = 0 is √4π × the spherical difference),
    /// [site][spin][L][r] on the host mesh (the emulator's targets, `docs/emulator.md`).
    public var potentialChange: [[[[Double]]]] {
        let hostSpins = host.potential.spinCount
        let sqrt4pi = (4 * Double.pi).squareRoot()
        return state.sites.enumerated().map { n, site in
            (0..<site.spinCount).map { s in
                let hs = min(s, hostSpins - 1)
                var comps = last.nonSpherical[n][s]
                comps[0] = zip(site.smooth[s], host.potential.smooth[hs]).map { ($0 - $1) * sqrt4pi }
                for lm in 1..<comps.count where lm < host.nonSpherical[hs].count {
                    comps[lm] = zip(comps[lm], host.nonSpherical[hs][lm]).map { $0 - $1 }
                }
                return comps
            }
        }
    }

    /// The converged cluster potential in the KKRimp layout (impurity first, cluster order), with
    /// the lm components l ≥ 1 of every site.
    public func potentialFile() throws -> PotentialFile {
        var blocks: [PotentialBlock] = []
        let xcName = host.settings.functional == "pw92" ? "Perdew,Wang" : "Vosko,Wilk,Nusair"
        let lpot = 2 * host.settings.lmax
        let vbc = try host.potentialZeroShiftRy()
        for (n, site) in state.sites.enumerated() {
            var lmComponents: [[LMIndex: [Double]]] = []
            for s in 0..<site.spinCount {
                var d: [LMIndex: [Double]] = [:]
                for lm in 1..<last.nonSpherical[n][s].count {
                    let (l, m) = lmPair(lm)
                    let v = last.nonSpherical[n][s][lm]
                    // keep components above a tiny threshold (JuKKR drops them below QBOUND-like cut-offs)
                    if v.contains(where: { abs($0) > 1e-10 }) { d[LMIndex(l: l, m: m)] = v }
                }
                lmComponents.append(d)
            }
            let sp = site.sitePotential(latticeConstantBohr: host.settings.latticeConstantBohr, fermiEnergyRy: host.fermiEnergyRy,
                                        coreLevels: last.coreLevels[n], exchangeCorrelationName: xcName,
                                        nonSpherical: lmComponents, lmpot: (lpot + 1) * (lpot + 1), vbcRy: vbc)
            blocks += try sp.potentialBlocks()
        }
        return try PotentialFile(blocks: blocks, spinCount: state.sites[0].spinCount)
    }
}

/// Driver of the impurity SCF (issue 7).
public enum ImpurityCalculation {
    /// Site specifications: the impurity with its free-atom core states, host sites with the host's.
    public static func siteSpecs(green: HostClusterGreenFunction, impurity: Element) throws -> [ImpuritySiteSpec] {
        let hs = green.host.settings
        let atom = try HostCalculation.freeAtom(impurity, settings: hs)
        let (core, _) = HostCalculation.coreAndValence(atom, lmax: hs.lmax)
        let host = ImpuritySiteSpec(atomicNumber: green.host.potential.atomicNumber, coreStates: green.host.coreStates)
        var specs = [ImpuritySiteSpec](repeating: host, count: green.geometry.count)
        specs[0] = ImpuritySiteSpec(atomicNumber: impurity.atomicNumber, coreStates: core)
        return specs
    }

    /// How far below the contour bottom (Ry) the guarded start places an impurity core level that
    /// was inside the contour (`semicoreGuardedStart`).
    public static let semicoreStartMarginRy = 0.3

    /// The start with the impurity site's potential shifted down by a constant where needed. A
    /// superposition start in a small host sphere can lift a shallow semicore shell (Y 4p, Ga 3d,
    /// Sn 4d) into the valence contour; the shell is then counted as core and as valence and the
    /// SCF runs into a state shifted by ≈ 1.3 Ry (docs/impurity.md, 'Semicore states'). If a core
    /// level with a valence channel (l ≤ l_max) lies inside the contour (above bottom −
    /// `ImpurityResult.coreContourMarginRy`, the converged-state check), the shift puts it
    /// `semicoreStartMarginRy` below the bottom; a constant moves the levels rigidly and the SCF
    /// then sets them. A start that passes the check is not touched (Ga 3d sits 0.1–0.3 Ry below
    /// the bottom in its converged states). Returns the sites and the shift (Ry, ≤ 0).
    public static func semicoreGuardedStart(_ sites: [SphericalPotential], impurity: ImpuritySiteSpec, host: ConvergedHost)
        throws -> ([SphericalPotential], shiftRy: Double) {
        guard let site = sites.first else { return (sites, 0) }
        let shift = try semicoreGuardShift(site: site, coreStates: impurity.coreStates, contourBottomRy: host.contourBottomRy,
                                           lmax: host.settings.lmax, relativity: host.settings.relativity,
                                           speedOfLight: host.settings.speedOfLight)
        guard shift != 0 else { return (sites, 0) }
        var guarded = sites
        guarded[0].smooth = site.smooth.map { $0.map { $0 + shift } }
        return (guarded, shift)
    }

    /// The constant (Ry, ≤ 0) that `semicoreGuardedStart` adds to an impurity-site start
    /// potential: 0 if no core level with a valence channel (l ≤ lmax) lies inside the contour,
    /// else the shift that puts the highest such level `semicoreStartMarginRy` below the bottom.
    /// Also used by the emulator to rebuild the solver's starts (Workflows: `SemicoreGuardContext`).
    public static func semicoreGuardShift(site: SphericalPotential, coreStates: [CoreStateSpec], contourBottomRy: Double,
                                          lmax: Int, relativity: Relativity, speedOfLight: Double) throws -> Double {
        let states = coreStates.filter { $0.l <= lmax }
        guard !states.isEmpty else { return 0 }
        let levels = try (0..<site.spinCount).map { s in
            try CoreStates.solve(potential: site, spin: s, states: states, relativity: relativity,
                                 speedOfLight: speedOfLight, occupationFactor: 1 / Double(site.spinCount)).levels
        }
        let inside = ImpurityResult.coreLevelsInsideContour([levels], contourBottomRy: contourBottomRy, lmax: lmax)
        guard let highest = inside.map(\.level.energyRy).max() else { return 0 }
        return contourBottomRy - semicoreStartMarginRy - highest
    }

    /// Anderson restart factor of the retry in `runScreened`.
    public static let retryRestartFactor = 10.0

    /// `run`, then the screening check; a run that converged to an unscreened state (a shell
    /// lost from the contour, docs/impurity.md 'Screening check') is retried once from the same
    /// start with the Anderson restart factor `retryRestartFactor`, which throws away the
    /// blow-up step that led there (Ni in Cu, host in the muffin-tin-shell zero, atomic start:
    /// rms 0.17 → 2.9 Ry at the switch to Anderson, then q_imp = +7.3 e; with factor 10 the
    /// screened state, docs/results/impurity-validation/potential-zero.md). No retry if the
    /// settings already had a factor ≤ `retryRestartFactor`. Returns the (possibly still
    /// unscreened: call `checkScreening`) result and the iterations of the discarded attempt
    /// (0 without a retry); `log` is told about the retry.
    public static func runScreened(_ settings: ImpuritySettings, green: HostClusterGreenFunction, start: some StartingPotentialProvider,
                                   log: (String) -> Void = { _ in },
                                   observer: (SCFIterationRecord, ImpurityState) throws -> Void = { _, _ in })
        throws -> (result: ImpurityResult, discardedIterations: Int) {
        let first = try run(settings, green: green, start: start, observer: observer)
        guard !first.isScreened, (settings.andersonRestartFactor ?? .infinity) > retryRestartFactor else { return (first, 0) }
        let (dz, dn) = first.friedel
        log(String(format: "converged to an unscreened state (ΔN_cl = %.3f e for ΔZ = %.0f, q_imp = %+.2f e) after %d iterations; "
                   + "retrying from the same start with Anderson restart factor %.0f", dn, dz, first.last.charges[0],
                   first.history.count, retryRestartFactor))
        var retry = settings
        retry.andersonRestartFactor = retryRestartFactor
        return (try run(retry, green: green, start: start, observer: observer), first.history.count)
    }

    public static func run(_ settings: ImpuritySettings, green: HostClusterGreenFunction, start: some StartingPotentialProvider,
                           observer: (SCFIterationRecord, ImpurityState) throws -> Void = { _, _ in }) throws -> ImpurityResult {
        let t0 = Date()
        let impurity = try PeriodicTable.element(symbol: settings.impuritySymbol)
        guard settings.shells == green.geometry.shells else {
            throw ImpurityError.invalidSettings("the host Green function is for \(green.geometry.shells) shell(s), the run asks for \(settings.shells)")
        }
        let specs = try siteSpecs(green: green, impurity: impurity)
        var problem = try ImpurityProblem(green: green, sites: specs, spinPolarized: settings.spinPolarized)
        let context = ImpurityStartContext(host: green.host, geometry: green.geometry, impurity: impurity,
                                           spinCount: problem.spinCount)
        let (startSites, startShift) = try semicoreGuardedStart(try start.potentials(context), impurity: specs[0], host: green.host)
        let initial = ImpurityState(sites: startSites)
        if problem.spinCount == 2 {
            let (_, m) = startSites[0].chargeAndMagneticParts
            if m.map(abs).max() ?? 0 < 1e-4 && settings.pushIterations > 0 && start.acceptsMagneticPush {
                problem.splitting = (settings.pushSplittingRy, settings.pushIterations)
            }
        }
        let weights = problem.mixingWeights(initial)
        let linear = LinearMixer(alpha: settings.linearAlpha, componentScale: problem.componentScale(initial, magneticFactor: settings.magneticFactor),
                                 backtracking: settings.backtrackingGrowthLimit.map { LinearMixer.Backtracking(growthLimit: $0) },
                                 weights: weights)
        var mixer: any Mixer = settings.acceleratedMixer == "anderson"
            ? ScheduledMixer(linear: linear, linearSteps: settings.linearSteps,
                             then: AndersonMixer(alpha: settings.broydenAlpha, historyLength: settings.broydenHistory, weights: weights,
                                                restartFactor: settings.andersonRestartFactor, historyFilter: settings.andersonHistoryFilter),
                             switchBelowNorm: settings.switchBelowRms)
            : ScheduledMixer(linear: linear, linearSteps: settings.linearSteps,
                             then: BroydenMixer(alpha: settings.broydenAlpha, historyLength: settings.broydenHistory, weights: weights),
                             switchBelowNorm: settings.switchBelowRms)
        var iterates: [ImpurityIterate] = []
        let result = try SCFDriver.run(&problem, start: initial, mixer: &mixer, criterion: RMSBelow(settings.rmsTolerance),
                                       settings: SCFSettings(maxIterations: settings.maxIterations)) { rec, input, _ in
            iterates.append(ImpurityIterate(iteration: rec.iteration, rms: rec.rms, input: input))
            try observer(rec, input)
        }
        return ImpurityResult(settings: settings, startName: start.name, state: result.state, last: problem.lastResult!,
                              history: result.history, iterates: iterates, wallSeconds: Date().timeIntervalSince(t0),
                              geometry: green.geometry, host: green.host, semicoreStartShiftRy: startShift)
    }
}
