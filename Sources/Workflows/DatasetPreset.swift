import Foundation
import Impurity
import KKR

/// The calculation settings of the default database (docs/dataset.md): hosts with l_max 2,
/// the standard k-mesh schedule and the JuKKR-like contour (800 K, 7 poles, 3/24/3 points);
/// impurities with one neighbour shell, spin-polarised, atomic-superposition start, rms < 1e-8.
/// l_max 2 keeps one pair at ≈ 0.75 s per SCF iteration (2 cores) so that hundreds of pairs fit
/// a workstation day; the validation runs use l_max 3 (docs/results/).
public struct DatasetPreset: Sendable, Codable, Equatable {
    public var lmax: Int = 2
    public var kMesh: KMeshSchedule = .standard
    public var horizontalPoints: Int = 24
    public var shells: Int = 1
    public var rmsTolerance: Double = 1e-8
    public var maxIterations: Int = 200
    /// Iterations whose input potentials are stored (spherical parts) as intermediate iterates.
    public var storedIterates: [Int] = [1, 2, 3, 5, 8, 13, 21, 34, 55, 89]
    /// Potential zero of the hosts: JuKKR's muffin-tin-shell zero, the solver's default (docs/physics.md
    /// 'Potential zero'). nil is the electrostatic zero V_H(R_WS) = 0 of the databases computed
    /// before stop 17 (their settings strings have no such key, so they decode as nil and resume
    /// and merge unchanged; `dataset generate --potential-zero electrostatic`).
    public var potentialZero: PotentialZero? = .muffinTinShell

    public init() {}

    /// Sets the hosts' potential zero; `.electrostatic` is stored as nil, so that the settings
    /// string of an electrostatic-zero database stays the one it was written with (resume and
    /// merge compare it).
    public mutating func setPotentialZero(_ zero: PotentialZero) {
        potentialZero = zero == .electrostatic ? nil : zero
    }

    public static let standard = DatasetPreset()

    public func hostSettings(element: String, lattice: String, latticeConstantBohr a: Double, spinPolarized: Bool) -> HostSettings {
        var s = HostSettings(elementSymbol: element, lattice: lattice, latticeConstantBohr: a)
        s.lmax = lmax
        s.kMesh = kMesh
        s.horizontalPoints = horizontalPoints
        s.spinPolarized = spinPolarized
        s.rmsTolerance = 1e-9
        s.potentialZero = potentialZero ?? .electrostatic
        return s
    }

    public func impuritySettings(impurity: String) -> ImpuritySettings {
        var s = ImpuritySettings(impuritySymbol: impurity, shells: shells)
        s.spinPolarized = true
        s.rmsTolerance = rmsTolerance
        s.maxIterations = maxIterations
        return s
    }

    /// Canonical JSON (sorted keys: the batch runner compares settings strings between runs).
    public var json: String {
        let e = JSONEncoder()
        e.outputFormatting = [.sortedKeys]
        return String(decoding: (try? e.encode(self)) ?? Data(), as: UTF8.self)
    }
}

/// Hosts that are ferromagnetic in the LSDA at their experimental lattice constant (run
/// spin-polarised): bcc Fe, fcc Ni (and fcc Co).
public enum MagneticHosts {
    public static let symbols: Set<String> = ["Fe", "Ni", "Co"]
}
