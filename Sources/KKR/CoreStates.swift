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
        public let n: Int, l: Int, reason: String
        public var description: String {
            "core state \(n)\(["s", "p", "d", "f"][min(l, 3)]) not found in the crystal potential: \(reason). " +
            "Check the potential (is it bound?) or treat the state as valence (lower the contour bottom)."
        }
    }

    /// Solves all `states` for spin channel `spin`; occupations are multiplied by
    /// `occupationFactor` (1/2 per spin channel in a spin-polarised run, 1 otherwise).
    /// `guesses` are previous eigenvalues (same order) to speed up the search.
    public static func solve(potential: SphericalPotential, spin: Int, states: [CoreStateSpec], relativity: Relativity,
                             speedOfLight: Double, occupationFactor: Double, guesses: [Double]? = nil)
        throws -> (density: [Double], levels: [CoreLevel]) {
        let mesh = potential.mesh
        let n = mesh.count
        var density = [Double](repeating: 0, count: n)
        var levels: [CoreLevel] = []
        let vOut = potential.total(spin: spin, at: n - 1)
        var options = BoundStateOptions()
        options.outsidePotentialRy = vOut
        var equations: [Int: RadialEquation] = [:]
        for (k, st) in states.enumerated() {
            if equations[st.l] == nil {
                equations[st.l] = try RadialEquation(mesh: mesh, nuclearCharge: Double(potential.atomicNumber),
                                                     smoothPotential: potential.smooth[spin], l: st.l,
                                                     relativity: relativity, speedOfLight: speedOfLight)
            }
            let bound: BoundState
            do {
                bound = try equations[st.l]!.boundState(n: st.n, energyGuess: guesses?[k], options: options)
            } catch {
                throw Failure(n: st.n, l: st.l, reason: "\(error)")
            }
            let prob = bound.radialProbability
            let occ = st.occupation * occupationFactor
            for i in 1..<n { density[i] += occ * prob[i] / (4 * Double.pi * mesh.r[i] * mesh.r[i]) }
            levels.append(CoreLevel(n: st.n, l: st.l, energyRy: bound.energyRy, leakage: bound.normBeyondMesh))
        }
        // r = 0: value of the first point r_1 (the formula divides by r²)
        density[0] = density[1]
        return (density, levels)
    }
}
