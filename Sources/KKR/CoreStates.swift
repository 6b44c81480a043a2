import Atom
import Elements
import Foundation
import Radial

/// A core state to be solved in the crystal potential: (n, l) and its occupation (both spins).
public struct CoreStateSpec: Sendable, Codable, Equatable {
    public var n: Int
    public var l: Int
    public var occupation: Double
    public init(n: Int, l: Int, occupation: Double) { self.n = n; self.l = l; self.occupation = occupation }
}

/// A solved core level.
public struct CoreLevel: Sendable, Codable, Equatable {
    public var n: Int
    public var l: Int
    public var energyRy: Double
    /// Probability of the state outside the sphere (should be ≪ 1e-3 for a true core state).
    public var leakage: Double
    public init(n: Int, l: Int, energyRy: Double, leakage: Double) {
        self.n = n; self.l = l; self.energyRy = energyRy; self.leakage = leakage
    }
}

/// Core states of a site in its spherical crystal potential (KKR_NOTES §3): bound states of the
/// same radial equations as the valence (scalar-relativistic by default) by node counting and
/// energy refinement, with a decaying boundary condition at the sphere radius (JuKKR
/// `intcor.f90`; here the constant potential outside is the potential value at R, so that it is
/// continuous). Core density n_c(r) = Σ_nl N_nl (P² + Q²/c²)/(4π r²).
public enum CoreStates {
    /// Errors of the core solver.
    public struct Failure: Error, CustomStringConvertible {
        public let reason: String
        public var description: String {
            "core state not found in the crystal potential: \(reason). " +
            "Check the potential (is it bound?) or treat the state as valence (lower the contour bottom)."
        }
    }

    /// Solves all `states` for spin channel `spin` with the free-atom code's `CoreSolver`
    /// (decaying boundary condition beyond R, densities P² + Q²/c²); occupations are multiplied by
    /// `occupationFactor` (1/2 per spin channel in a spin-polarised run, 1 otherwise). `guesses`
    /// are previous eigenvalues (same order) to speed up the search.
    public static func solve(potential: SphericalPotential, spin: Int, states: [CoreStateSpec], relativity: Relativity,
                             speedOfLight: Double, occupationFactor: Double, guesses: [Double]? = nil)
        throws -> (density: [Double], levels: [CoreLevel]) {
        let mesh = potential.mesh
        var options = BoundStateOptions()
        options.outsidePotentialRy = potential.total(spin: spin, at: mesh.count - 1)
        let orbitals = states.map { Orbital(n: $0.n, l: $0.l, occupation: $0.occupation * occupationFactor) }
        var solved: [CoreState] = []
        for (k, orbital) in orbitals.enumerated() {
            let guess = guesses.map { [$0[k]] }
            do {
                solved += try CoreSolver.solve(mesh: mesh, nuclearCharge: Double(potential.atomicNumber),
                                               smoothPotential: potential.smooth[spin], states: [orbital], relativity: relativity,
                                               speedOfLight: speedOfLight, energyGuessesRy: guess, options: options)
            } catch {
                // A shallow localised shell (e.g. Hf 4f at l_max 2) can lie above the potential at R
                // in a trial potential: no decaying solution exists. Confine it to the sphere
                // (hard wall at R), the fallback of the radial solver for early SCF iterations.
                var wall = options
                wall.outerBoundary = .hardWall
                do {
                    solved += try CoreSolver.solve(mesh: mesh, nuclearCharge: Double(potential.atomicNumber),
                                                   smoothPotential: potential.smooth[spin], states: [orbital],
                                                   relativity: relativity, speedOfLight: speedOfLight, energyGuessesRy: guess,
                                                   options: wall)
                } catch {
                    throw Failure(reason: "\(error)")
                }
            }
        }
        let levels = solved.map { CoreLevel(n: $0.n, l: $0.l, energyRy: $0.energyRy,
                                            leakage: $0.occupation > 0 ? $0.chargeBeyondMesh / $0.occupation : 0) }
        return (solved.isEmpty ? [Double](repeating: 0, count: mesh.count) : CoreSolver.totalDensity(solved), levels)
    }
}
