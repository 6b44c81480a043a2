import Foundation
import Lattice
import PotentialIO

/// The impurity cluster (KKR_NOTES §9): the impurity on host site 0 plus the first `shells`
/// neighbour shells (fcc: 13 sites for one shell, 19 for two; bcc: 9 and 15), positions
/// relative to the impurity in bohr, in the deterministic order of `Lattice.Cluster`
/// (centre first, then shell by shell). Also the table of distinct inter-site displacements
/// d = R_{n'} − R_n used by the host Green function.
public struct ImpurityGeometry: Sendable {
    public let lattice: CrystalLattice
    public let shells: Int
    public let positions: [Vector3]
    /// Distinct displacement vectors (bohr), the zero vector first.
    public let displacements: [Vector3]
    /// displacementIndex[n][n'] = index into `displacements` of R_{n'} − R_n.
    public let displacementIndex: [[Int]]

    public init(lattice: CrystalLattice, shells: Int) throws {
        guard shells >= 1 && shells <= 4 else {
            throw ImpurityError.invalidSettings("neighbour shells \(shells): use 1…4 (the first shell is the minimum for the Madelung treatment, KKR_NOTES §7.2)")
        }
        self.lattice = lattice
        self.shells = shells
        positions = try Cluster(lattice: lattice, shellCount: shells).positionsBohr
        var list: [Vector3] = [.zero]
        var keys: [SIMD3<Int64>: Int] = [ImpurityGeometry.key(.zero): 0]
        var index = [[Int]](repeating: [Int](repeating: 0, count: positions.count), count: positions.count)
        for (n, rn) in positions.enumerated() {
            for (np, rnp) in positions.enumerated() {
                let d = rnp - rn
                let k = ImpurityGeometry.key(d)
                if let i = keys[k] { index[n][np] = i } else {
                    keys[k] = list.count
                    index[n][np] = list.count
                    list.append(d)
                }
            }
        }
        displacements = list
        displacementIndex = index
    }

    /// Rounded key for deduplicating displacement vectors (1e-8 bohr).
    static func key(_ d: Vector3) -> SIMD3<Int64> {
        SIMD3(Int64((d.x * 1e8).rounded()), Int64((d.y * 1e8).rounded()), Int64((d.z * 1e8).rounded()))
    }

    public var count: Int { positions.count }

    /// The cluster in the `scoef` layout (positions in units of a, host site 1, distance).
    public func scoef(hostNuclearCharge: Double) -> ImpurityCluster {
        let a = lattice.latticeConstantBohr
        return ImpurityCluster(sites: positions.map { p in
            let q = p / a
            return ImpurityCluster.Site(positionAlat: [q.x, q.y, q.z], hostSiteNumber: 1, hostNuclearCharge: hostNuclearCharge,
                                        distanceAlat: (q * q).sum().squareRoot())
        })
    }
}

/// Errors of the impurity solver.
public enum ImpurityError: Error, CustomStringConvertible {
    case invalidSettings(String)
    case hostMismatch(String)
    case startingPotential(String)
    case cacheFile(String)
    case unscreened(String)

    public var description: String {
        switch self {
        case .invalidSettings(let s): return "invalid impurity settings: \(s)"
        case .hostMismatch(let s): return "host data do not match: \(s)"
        case .startingPotential(let s): return "starting potential: \(s)"
        case .cacheFile(let s): return "host Green-function cache: \(s)"
        case .unscreened(let s): return "charge not screened: \(s)"
        }
    }
}
