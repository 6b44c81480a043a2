import Dispatch
import ExchangeCorrelation
import Foundation
import KKRNumerics
import Lattice
import Radial
import SCF

/// Input/output state of the host SCF: the spherical site potential and the Fermi level.
public struct HostState: Sendable {
    public var potential: SphericalPotential
    public var fermiEnergyRy: Double
    public init(potential: SphericalPotential, fermiEnergyRy: Double) {
        self.potential = potential
        self.fermiEnergyRy = fermiEnergyRy
    }
}

/// Per-iteration physical results of a host evaluation.
public struct HostIterationResult: Sendable {
    public var valenceCharge: Double
    public var chargeErrorBeforeRenormalisation: Double
    public var fermiEnergyRy: Double
    public var densityOfStatesAtFermi: Double
    public var magneticMomentMuB: Double
    public var coreCharge: Double
    /// lm-resolved total density per spin, [spin][L''][r].
    public var density: [[[Double]]]
    public var coreLevels: [CoreLevel]
    public var coreLevelsPerSpin: [[CoreLevel]]
}

/// The self-consistency map of a one-atom-per-cell host in the ASA (KKR_NOTES §0 "Host"):
/// single-site solutions at every contour point, screened-KKR on-site Green function, valence
/// density, Fermi level from charge neutrality, core states, Poisson + LDA potential.
public struct HostProblem: SelfConsistentProblem {
    public let settings: HostSettings
    public let structure: HostStructure
    public let coreStates: [CoreStateSpec]
    public let valenceElectrons: Double
    let solver: SingleSiteSolver
    let builder: SitePotentialBuilder
    let gaunt: GauntTable
    /// Parameters of the contour relative to E_F.
    let contourTemplate: (bottomBelow: Double, temperature: Double, poles: Int, n1: Int, n2: Int, n3: Int)
    public private(set) var lastResult: HostIterationResult?
    /// Spin splitting applied to the input potential in the first iterations (magnetic start).
    var splittingIterationsLeft: Int
    /// Core eigenvalues of the previous iteration per spin (starting guesses).
    var lastCoreEnergies: [[Double]?] = [nil, nil]

    public init(settings: HostSettings, structure: HostStructure, coreStates: [CoreStateSpec], valenceElectrons: Double) throws {
        self.settings = settings
        self.structure = structure
        self.coreStates = coreStates
        self.valenceElectrons = valenceElectrons
        solver = SingleSiteSolver(lmax: settings.lmax, relativity: settings.relativity, speedOfLight: settings.speedOfLight)
        builder = try SitePotentialBuilder(lpot: 0, functional: settings.functional == "pw92" ? .pw92 : .vwn,
                                           spinPolarized: settings.spinPolarized)
        gaunt = structure.structureConstants.gaunt
        contourTemplate = (settings.contourBottomBelowFermiRy, settings.temperatureK, settings.poles,
                           settings.verticalPoints, settings.horizontalPoints, settings.tailPoints)
        splittingIterationsLeft = 0
    }

    public var spinCount: Int { settings.spinPolarized ? 2 : 1 }

    public func contour(fermiEnergyRy ef: Double) throws -> EnergyContour {
        try EnergyContour(bottomRy: ef - contourTemplate.bottomBelow, fermiEnergyRy: ef, temperatureK: contourTemplate.temperature,
                          poles: contourTemplate.poles, verticalPoints: contourTemplate.n1,
                          horizontalPoints: contourTemplate.n2, tailPoints: contourTemplate.n3)
    }

    /// Valence density per spin (lm-resolved), the charge function q(z) at every point, for the
    /// potential `v` on the contour `c`. Parallel over energy points.
    func valenceDensity(_ v: SphericalPotential, contour c: EnergyContour) throws
        -> (density: [[[Double]]], charges: [[ComplexDouble]]) {
        let points = c.points
        let ns = spinCount
        let mesh = v.mesh
        let s = structure, sol = solver, g = gaunt, lmax = settings.lmax
        let rel = settings.relativity, cl = settings.speedOfLight
        let equations = try (0..<ns).map { try sol.equations(v, spin: $0) }
        let perPoint = try parallelMap(points.count) { j -> [([[ComplexDouble]], ComplexDouble)] in
            let acc = ValenceDensityAccumulator(mesh: mesh, lmax: lmax, gaunt: g, relativity: rel, speedOfLight: cl)
            var res: [([[ComplexDouble]], ComplexDouble)] = []
            for spin in 0..<ns {
                let single = try sol.solve(equations[spin], energy: points[j].energy)
                let g00 = try s.onSiteGreenFunction(energy: points[j].energy, tMatrix: single.tMatrixDiagonal)
                res.append(acc.contribution(solution: single, structural: g00))
            }
            return res
        }
        var density: [[[Double]]] = []
        var charges: [[ComplexDouble]] = []
        for spin in 0..<ns {
            var acc = ValenceDensityAccumulator(mesh: mesh, lmax: lmax, gaunt: g, relativity: rel, speedOfLight: cl)
            var q: [ComplexDouble] = []
            for j in 0..<points.count {
                let (rho, qj) = perPoint[j][spin]
                acc.add(rho, weight: points[j].weight)
                q.append(qj)
            }
            density.append(acc.density())
            charges.append(q)
        }
        return (density, charges)
    }

    public mutating func evaluate(_ input: HostState) throws -> SCFEvaluation<HostState> {
        var vin = input.potential
        if splittingIterationsLeft > 0, spinCount == 2 {
            // hold the exchange splitting of the magnetic start (scf-practice: ~5 iterations)
            let d = settings.initialSpinSplittingRy / 2
            vin.smooth[0] = vin.smooth[0].map { $0 - d }
            vin.smooth[1] = vin.smooth[1].map { $0 + d }
            splittingIterationsLeft -= 1
        }
        let ef = input.fermiEnergyRy
        let c = try contour(fermiEnergyRy: ef)
        structure.retainCache(for: c.points.map(\.energy))
        let (valence, charges) = try valenceDensity(vin, contour: c)
        let mesh = vin.mesh
        let spinFactor = spinCount == 2 ? 1.0 : 2.0
        // N(E_F) and D(E_F) (from the first Matsubara pole, the point closest to E_F)
        var n = 0.0, dos = 0.0
        let pole1 = c.points.firstIndex { $0.leg == .matsubara && abs($0.energy.imaginary - Double.pi * c.kT) < 1e-12 }!
        for spin in 0..<spinCount {
            for (j, p) in c.points.enumerated() { n += spinFactor * (-(p.weight * charges[spin][j]).imaginary / Double.pi) }
            dos += spinFactor * (-charges[spin][pole1].imaginary / Double.pi)
        }
        // core states in the input potential, per spin
        var coreDensity: [[Double]] = []
        var coreLevels: [CoreLevel] = []
        var coreLevelsPerSpin: [[CoreLevel]] = []
        for spin in 0..<spinCount {
            let core = try CoreStates.solve(potential: vin, spin: spin, states: coreStates, relativity: settings.relativity,
                                            speedOfLight: settings.speedOfLight, occupationFactor: 1 / Double(spinCount),
                                            guesses: lastCoreEnergies[spin])
            coreDensity.append(core.density)
            lastCoreEnergies[spin] = core.levels.map(\.energyRy)
            if spin == 0 { coreLevels = core.levels }
            coreLevelsPerSpin.append(core.levels)
        }
        // The sphere must be neutral: the valence compensates the core charge that leaks out of
        // the sphere (a few 1e-4 e for shallow cores), so the target is Z − N_core(inside).
        let coreInside = coreDensity.reduce(0.0) { $0 + Electrostatics.charge(sphericalDensity: $1, mesh: mesh) }
        let valenceTarget = Double(vin.atomicNumber) - coreInside
        // Fermi level from charge neutrality and renormalised density (KKR_NOTES §6.3);
        // the step is limited to 0.05 Ry so that a poor D(E_F) estimate cannot throw E_F far off.
        let dz = valenceTarget - n
        var shift = dos > 1e-3 ? dz / dos : 0
        shift = max(-0.05, min(0.05, shift))
        let scale = valenceTarget / n
        let valenceScaled = valence.map { $0.map { $0.map { $0 * scale } } }
        // total spherical density per spin and lm components
        let y00 = 1 / (4 * Double.pi).squareRoot()
        var sphericalPerSpin: [[Double]] = []
        var total: [[[Double]]] = []
        for spin in 0..<spinCount {
            var lmDens = valenceScaled[spin]
            // the stored valence density is per spin; for a non-polarised run both spins are equal
            for i in 0..<mesh.count { lmDens[0][i] = lmDens[0][i] * spinFactor + coreDensity[spin][i] / y00 }
            if spinFactor == 2 { for lm in 1..<lmDens.count { lmDens[lm] = lmDens[lm].map { $0 * 2 } } }
            total.append(lmDens)
            sphericalPerSpin.append(lmDens[0].map { $0 * y00 })
        }
        let newPotential = try potentialFromDensity(sphericalPerSpin: sphericalPerSpin, template: vin)
        let coreCharge = coreDensity.reduce(0.0) { $0 + Electrostatics.charge(sphericalDensity: $1, mesh: mesh) }
        var moment = 0.0
        if spinCount == 2 {
            moment = Electrostatics.charge(sphericalDensity: zip(sphericalPerSpin[0], sphericalPerSpin[1]).map { $0 - $1 }, mesh: mesh)
        }
        let rms = newPotential.rmsDifference(to: input.potential)
        lastResult = HostIterationResult(valenceCharge: n, chargeErrorBeforeRenormalisation: dz, fermiEnergyRy: ef + shift,
                                         densityOfStatesAtFermi: dos, magneticMomentMuB: moment, coreCharge: coreCharge,
                                         density: total, coreLevels: coreLevels, coreLevelsPerSpin: coreLevelsPerSpin)
        // The output potential is in the convention's zero; the input may not be (mixing, a
        // restart): carry E_F over by the input's own offset from that zero.
        let inputOffset = -(try zeroShift(input.potential))
        let output = HostState(potential: newPotential, fermiEnergyRy: ef + shift - inputOffset)
        return SCFEvaluation(output: output, rms: max(rms.charge, rms.magnetic),
                             diagnostics: ["fermiEnergyRy": ef, "chargeError": dz, "magneticMomentMuB": moment,
                                           "rmsCharge": rms.charge, "rmsMagnetic": rms.magnetic, "dosAtFermi": dos])
    }

    /// Spherical potential from the spherical density per spin: V^σ = V_H + v_xc^σ (ASA, neutral
    /// sphere: no Madelung term in an elemental crystal, KKR_NOTES §7), via the same
    /// `SitePotentialBuilder` as the impurity code. Returns the smooth part v = V + 2Z/r.
    func potentialFromDensity(sphericalPerSpin: [[Double]], template: SphericalPotential) throws -> SphericalPotential {
        let y00 = 1 / (4 * Double.pi).squareRoot()
        let lmDensity = sphericalPerSpin.map { [$0.map { $0 / y00 }] }
        var (sph, _) = try builder.build(density: lmDensity, mesh: template.mesh, intercell: nil, nonSpherical: false)
        let raw = SphericalPotential(atomicNumber: template.atomicNumber, mesh: template.mesh, smooth: sph)
        let vbc = try zeroShift(raw)
        if vbc != 0 { sph = sph.map { $0.map { $0 + vbc } } }
        return SphericalPotential(atomicNumber: template.atomicNumber, mesh: template.mesh, smooth: sph)
    }

    /// The constant that puts `v` into the potential zero of the settings (`HostSettings.zeroShift`).
    func zeroShift(_ v: SphericalPotential) throws -> Double { try settings.zeroShift(v) }

    // MARK: mixing representation: (charge part, magnetic part, E_F). The magnetic part gets the
    // FCM factor in straight mixing; E_F is mixed together with the potential so that the
    // accelerated mixer sees the complete state of the map (the output E_F depends on the input E_F).

    public func pack(_ s: HostState) -> [Double] {
        let (c, m) = s.potential.chargeAndMagneticParts
        return (spinCount == 2 ? c + m : c) + [s.fermiEnergyRy]
    }

    public func unpack(_ v: [Double], template: HostState) -> HostState {
        var out = template
        let n = template.potential.mesh.count
        if spinCount == 2 {
            let c = Array(v[0..<n]), m = Array(v[n..<(2 * n)])
            out.potential.smooth = [zip(c, m).map { $0 + $1 }, zip(c, m).map { $0 - $1 }]
        } else {
            out.potential.smooth = [Array(v[0..<n])]
        }
        out.fermiEnergyRy = v[v.count - 1]
        return out
    }

    /// Mixing metric of the packed vector: (3/R³) r² dr/di per point (KKR_NOTES §8; these sum
    /// to ≈ 1 per spin part) and weight 1 for E_F.
    public func mixingWeights(mesh: RadialMesh) -> [Double] {
        let r3 = pow(mesh.rmax, 3)
        let w = (0..<mesh.count).map { 3 / r3 * mesh.r[$0] * mesh.r[$0] * mesh.drdi[$0] }
        return (spinCount == 2 ? w + w : w) + [1]
    }

    /// Component scale for the straight-mixing steps: 1 for the charge part, FCM for the magnetic
    /// part, and 1/α for E_F (the Fermi level takes its full Newton step).
    public func componentScale(mesh: RadialMesh, magneticFactor: Double, alpha: Double) -> [Double] {
        let ones = [Double](repeating: 1, count: mesh.count)
        let magnetic = [Double](repeating: magneticFactor, count: mesh.count)
        return (spinCount == 2 ? ones + magnetic : ones) + [1 / alpha]
    }

    mutating func holdSpinSplitting(iterations: Int) { splittingIterationsLeft = iterations }
}
