import Foundation
import KKR
import KKRNumerics
import Lattice

/// The host structural Green function between all cluster sites at every contour point
/// (KKR_NOTES §9): G_host^{nn'}(E_j) = Σ_k w_k G(k; E_j) e^{−i k·(R_{n'} − R_n)}, a dense matrix of
/// size N_cl (l_max+1)², per host spin channel. Computed once per host and cluster (the analogue
/// of JuKKR's `kkrflex_green`), cached to HDF5 (`HostGreenFunctionFile`) and reused by every
/// impurity in that host.
public struct HostClusterGreenFunction: Sendable {
    public let host: ConvergedHost
    public let geometry: ImpurityGeometry
    public let contour: EnergyContour
    /// [host spin][energy point] matrices of size (N_cl·(l_max+1)²)², site-major blocks.
    public let matrices: [[ComplexMatrix]]

    public var lmax: Int { host.settings.lmax }
    public var hostSpinCount: Int { host.potential.spinCount }
    public var blockSize: Int { lmCount(lmax) }

    public init(host: ConvergedHost, geometry: ImpurityGeometry, contour: EnergyContour, matrices: [[ComplexMatrix]]) throws {
        let n = geometry.count * lmCount(host.settings.lmax)
        guard matrices.count == host.potential.spinCount, matrices.allSatisfy({ $0.count == contour.points.count }),
              matrices.allSatisfy({ $0.allSatisfy { $0.rows == n && $0.cols == n } }) else {
            throw ImpurityError.hostMismatch("Green-function matrices do not fit the cluster (\(geometry.count) sites) and contour (\(contour.points.count) points)")
        }
        self.host = host
        self.geometry = geometry
        self.contour = contour
        self.matrices = matrices
    }

    /// Computes G_host on the cluster for a converged host (parallel over energy points).
    public static func compute(host: ConvergedHost, structure: HostStructure, shells: Int,
                               progress: @escaping @Sendable (Int, Int) -> Void = { _, _ in }) throws -> HostClusterGreenFunction {
        let geometry = try ImpurityGeometry(lattice: structure.lattice, shells: shells)
        let contour = try host.contour()
        let solver = SingleSiteSolver(lmax: host.settings.lmax, relativity: host.settings.relativity,
                                      speedOfLight: host.settings.speedOfLight)
        let spins = host.potential.spinCount
        let equations = try (0..<spins).map { try solver.equations(host.potential, spin: $0) }
        let points = contour.points
        let nl = lmCount(host.settings.lmax)
        let ns = geometry.count
        let counter = ProgressCounter(total: points.count * spins, report: progress)
        let perPoint = try parallelMapPublic(points.count) { j -> [ComplexMatrix] in
            var out: [ComplexMatrix] = []
            for s in 0..<spins {
                let single = try solver.solve(equations[s], energy: points[j].energy)
                let gd = try structure.sitePairGreenFunction(energy: points[j].energy, tMatrix: single.tMatrixDiagonal,
                                                             displacements: geometry.displacements)
                var g = ComplexMatrix(rows: ns * nl, cols: ns * nl)
                for n in 0..<ns { for np in 0..<ns { g.setBlock(gd[geometry.displacementIndex[n][np]], row: n * nl, col: np * nl) } }
                out.append(g)
                counter.increment()
            }
            return out
        }
        let matrices = (0..<spins).map { s in (0..<points.count).map { perPoint[$0][s] } }
        return try HostClusterGreenFunction(host: host, geometry: geometry, contour: contour, matrices: matrices)
    }
}

/// Thread-safe progress counter.
final class ProgressCounter: @unchecked Sendable {
    private let lock = NSLock()
    private var done = 0
    let total: Int
    let report: @Sendable (Int, Int) -> Void
    init(total: Int, report: @escaping @Sendable (Int, Int) -> Void) { self.total = total; self.report = report }
    func increment() { lock.lock(); done += 1; let d = done; lock.unlock(); report(d, total) }
}
