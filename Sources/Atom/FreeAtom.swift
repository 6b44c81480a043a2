import Elements
import Foundation
import Radial
import SCF

/// Self-consistent spherical free-atom LDA/LSDA (non- or scalar-relativistic) on the JuKKR
/// exponential mesh: radial equations by `Radial.RadialEquation` (bound states by node counting
/// and the variational energy correction), Hartree potential from the radial Poisson equation,
/// libxc LDA exchange–correlation, and the shared SCF driver with linear then Broyden-II mixing
/// of the potential. Method and measured accuracy: docs/atom.md.
public enum FreeAtom {
    /// Solves the neutral atom in its NIST ground-state configuration.
    public static func solve(_ element: Element, settings: AtomSettings = AtomSettings(),
                             progress: ((SCFIterationRecord) -> Void)? = nil) throws -> AtomResult {
        try solve(element, configuration: element.configuration, settings: settings, progress: progress)
    }

    /// Solves the atom with a given configuration (fractional occupations allowed; ions when the
    /// occupations do not sum to Z).
    public static func solve(_ element: Element, configuration: [Orbital], settings: AtomSettings = AtomSettings(),
                             progress: ((SCFIterationRecord) -> Void)? = nil) throws -> AtomResult {
        let t0 = Date()
        let mesh = try settings.mesh.makeMesh()
        let z = Double(element.atomicNumber)
        let occupations = AtomOccupations.make(configuration: configuration, spinPolarized: settings.spinPolarized)
        var problem = try AtomSCFProblem(mesh: mesh, nuclearCharge: z, occupations: occupations, settings: settings)
        let start = ThomasFermiPotential.smoothPart(nuclearCharge: z, mesh: mesh)
        let startState = AtomPotentialState(channels: [[Double]](repeating: start, count: problem.channelCount))
        let m = settings.mixing
        var mixer = ScheduledMixer(linear: LinearMixer(alpha: m.linearAlpha), linearSteps: m.linearSteps,
                                   then: BroydenMixer(alpha: m.broydenAlpha, historyLength: m.history,
                                                      weights: problem.mixingWeights))
        let result: SCFResult<AtomPotentialState>
        do {
            result = try SCFDriver.run(&problem, start: startState, mixer: &mixer,
                                       criterion: RMSBelow(settings.potentialTolerance),
                                       settings: SCFSettings(maxIterations: settings.maxIterations, divergenceFactor: 1e8,
                                                             historyResetFactor: 10)) { rec, _, _ in
                progress?(rec)
            }
        } catch let e as SCFError {
            let last = e.history.last?.rms ?? .nan
            throw AtomError.notConverged(element: element.symbol, iterations: e.history.count, rms: last, detail: e.description)
        }
        guard let step = problem.last else {
            throw AtomError.notConverged(element: element.symbol, iterations: 0, rms: .nan, detail: "no iteration ran")
        }
        var orbitals: [AtomOrbital] = []
        var ps: [[Double]] = [], qs: [[Double]] = []
        let channels: [SpinChannel] = problem.channelCount == 1 ? [.unpolarized] : [.up, .down]
        for c in 0..<problem.channelCount {
            for (k, occ) in occupations.enumerated() {
                let s = step.states[c][k]
                let w2 = s.smallComponentWeight
                let meanR = mesh.integrate(upTo: mesh.count - 1) { mesh.r[$0] * (s.p[$0] * s.p[$0] + w2 * s.q[$0] * s.q[$0]) }
                orbitals.append(AtomOrbital(n: occ.n, l: occ.l, spin: channels[c], occupation: occ.occupations[c],
                                            energyRy: s.energyRy, meanRadiusBohr: meanR,
                                            outermostMaximumBohr: outermostMaximum(s, mesh: mesh),
                                            normBeyondMesh: s.normBeyondMesh, isBound: s.outerBoundary == .decaying))
                ps.append(s.p)
                qs.append(s.q)
            }
        }
        return AtomResult(element: element, settings: settings, mesh: mesh, channels: channels, occupations: occupations,
                          orbitals: orbitals, energies: step.energies, smoothPotentials: result.state.channels,
                          densities: step.densities, radialDensities: step.radialDensities,
                          largeComponents: ps, smallComponents: qs, iterations: result.iterations,
                          finalRMS: result.history.last?.rms ?? .nan, wallSeconds: Date().timeIntervalSince(t0))
    }

    /// Radius of the outermost local maximum of P², refined by a parabola in the mesh index.
    static func outermostMaximum(_ s: BoundState, mesh: RadialMesh) -> Double {
        var i = s.lastIndex - 1
        while i > 1 && !(abs(s.p[i]) >= abs(s.p[i - 1]) && abs(s.p[i]) >= abs(s.p[i + 1])) { i -= 1 }
        let ym = s.p[i - 1] * s.p[i - 1], y0 = s.p[i] * s.p[i], yp = s.p[i + 1] * s.p[i + 1]
        let denom = ym - 2 * y0 + yp
        let t = denom != 0 ? 0.5 * (ym - yp) / denom : 0
        let x = Double(i) + max(-1, min(1, t))
        return mesh.b * (Foundation.exp(mesh.a * x) - 1)
    }
}
