import Elements
import Foundation
import Radial

/// A core state in a given spherical potential (`../shared/KKR_NOTES.md` §3).
public struct CoreState: Sendable {
    public let n: Int
    public let l: Int
    /// Electrons in this sub-shell (in the channel the potential belongs to).
    public let occupation: Double
    public let energyRy: Double
    /// Shell density occupation·(P² + w Q²)/(4π r²) in bohr⁻³ (w = 1/c² for SRA with
    /// `.largeAndSmall`, else 0); index 0 is extrapolated from r > 0.
    public let density: [Double]
    /// Radial shell density occupation·(P² + w Q²) = 4π r² n (electrons per bohr).
    public let radialDensity: [Double]
    /// Electrons of this shell beyond the mesh end (decaying Hankel tail; KKR_NOTES §3 step 5).
    public let chargeBeyondMesh: Double
    /// The normalised state (P, Q on the mesh).
    public let state: BoundState

    public var energyHa: Double { energyRy / 2 }
    public var label: String { "\(n)\(Orbital.letter(l))" }
}

/// Core states for the KKR code: bound states of given (n, l, occupation) in a spherical
/// potential on a given mesh, with the decaying boundary condition at the mesh end (the
/// Wigner–Seitz radius) for states that reach it (KKR_NOTES §3; JuKKR `intcor.f90`).
public enum CoreSolver {
    /// Solves all `states` in the potential V(r) = −2Z/r + v(r) (v = `smoothPotential`, Ry,
    /// JuKKR's vm2z convention).
    ///
    /// - Parameters:
    ///   - energyGuessesRy: previous eigenvalues (same order as `states`) to start the search.
    ///   - smallComponent: density convention of SRA states (JuKKR: `.largeAndSmall`).
    ///   - options: bound-state options (tolerance; `outsidePotentialRy` is the constant potential
    ///     assumed beyond the mesh end, 0 as in JuKKR; `outerBoundary` `.decaying` by default,
    ///     `.hardWall` confines a state that is not bound to the sphere).
    /// - Throws: `AtomError.orbitalNotFound` with the reason when a state is not bound (e.g. a
    ///   shallow state above the potential at the sphere boundary: treat it as valence).
    public static func solve(mesh: RadialMesh, nuclearCharge: Double, smoothPotential: [Double], states: [Orbital],
                             relativity: Relativity, speedOfLight: Double = SpeedOfLight.jukkrRy,
                             smallComponent: SmallComponentConvention = .largeAndSmall,
                             energyGuessesRy: [Double]? = nil,
                             options: BoundStateOptions = BoundStateOptions()) throws -> [CoreState] {
        var equations: [Int: RadialEquation] = [:]
        var opts = options
        opts.smallComponent = smallComponent
        var out: [CoreState] = []
        for (k, orbital) in states.enumerated() {
            if equations[orbital.l] == nil {
                equations[orbital.l] = try RadialEquation(mesh: mesh, nuclearCharge: nuclearCharge, smoothPotential: smoothPotential,
                                                          l: orbital.l, relativity: relativity, speedOfLight: speedOfLight)
            }
            let s: BoundState
            do {
                s = try equations[orbital.l]!.boundState(n: orbital.n, energyGuess: energyGuessesRy?[k], options: opts)
            } catch let e as RadialEquationError {
                throw AtomError.orbitalNotFound(label: orbital.label, channel: .unpolarized, reason: e.description)
            }
            let w = s.smallComponentWeight
            let f = orbital.occupation
            var sigma = [Double](repeating: 0, count: mesh.count)
            for i in 0...s.lastIndex { sigma[i] = f * (s.p[i] * s.p[i] + w * s.q[i] * s.q[i]) }
            out.append(CoreState(n: orbital.n, l: orbital.l, occupation: f, energyRy: s.energyRy,
                                 density: densityFromRadial(sigma, mesh: mesh), radialDensity: sigma,
                                 chargeBeyondMesh: f * s.normBeyondMesh, state: s))
        }
        return out
    }

    /// Sum of the shell densities n_c(r) (bohr⁻³).
    public static func totalDensity(_ states: [CoreState]) -> [Double] {
        guard let first = states.first else { return [] }
        var t = [Double](repeating: 0, count: first.density.count)
        for s in states { for i in 0..<t.count { t[i] += s.density[i] } }
        return t
    }

    /// n = σ/(4π r²) with n[0] from quadratic extrapolation in the mesh index.
    static func densityFromRadial(_ sigma: [Double], mesh: RadialMesh) -> [Double] {
        let n = mesh.count
        var d = [Double](repeating: 0, count: n)
        for i in 1..<n { d[i] = sigma[i] / (4 * Double.pi * mesh.r[i] * mesh.r[i]) }
        d[0] = max(0, 3 * d[1] - 3 * d[2] + d[3])
        return d
    }
}
