import Foundation
import KKRNumerics

/// Screened (reference-system) structure constants of one site: the block row
/// G^r_{0n'}(E), n' ∈ cluster, of the reference Green function (KKR_NOTES §5.3;
/// `JuKKR:gll95.F90`), from the real-space cluster Dyson equation
///
///     G^r = G0 + G0 t^ref G^r   ⇔   (1 − G0 t^ref) G^r = G0,
///
/// solved as one dense linear system of size N_cl (l_max+1)² (LAPACK LU). Because G0 and
/// t^ref are symmetric (reciprocity), we solve for the block column G^r_{n'0} and use
/// G^r_{0n'} = (G^r_{n'0})ᵀ. The result is independent of the SCF potential: compute once per
/// energy point and cache.
public struct ScreenedStructureConstants: Sendable {
    /// Cluster positions relative to the central site (bohr), central site first.
    public let positions: [SIMD3<Double>]
    public let lmax: Int
    public let energy: ComplexDouble
    /// G^r_{0n'} for each cluster site n'.
    public let blocks: [ComplexMatrix]
    /// t^ref_l at this energy.
    public let referenceT: [ComplexDouble]

    public init(positions: [SIMD3<Double>], reference: ReferenceSystem, structureConstants g0: FreeStructureConstants,
                energy: ComplexDouble) throws {
        precondition(!positions.isEmpty && positions[0] == .zero, "the central site must come first, at the origin")
        precondition(g0.lmax == reference.lmax)
        let lmax = reference.lmax
        let nl = lmCount(lmax)
        let ns = positions.count
        let n = ns * nl
        let kappa = ComplexDouble.sqrtUpper(energy)
        let tref = reference.tMatrix(energy: energy, kappa: kappa)
        // A = 1 − G0 t^ref (t diagonal: scale the columns of G0), rhs = G0[:, block 0]
        var a = ComplexMatrix(rows: n, cols: n)
        var rhs = ComplexMatrix(rows: n, cols: nl)
        for i in 0..<ns {
            for j in 0..<ns where i != j {
                g0.fill(&a, row: i * nl, col: j * nl, displacement: positions[j] - positions[i], kappa: kappa)
            }
        }
        for i in 1..<ns { for c in 0..<nl { for r in 0..<nl { rhs[i * nl + r, c] = a[i * nl + r, c] } } }
        for j in 0..<n {
            let t = tref[lmPair(j % nl).l]
            for i in 0..<n { a[i, j] = -(a[i, j] * t) }
            a[j, j] += .one
        }
        let x = try a.solve(rhs)
        var bl: [ComplexMatrix] = []
        bl.reserveCapacity(ns)
        for s in 0..<ns {
            var b = ComplexMatrix(rows: nl, cols: nl)
            // G^r_{0s} = (G^r_{s0})ᵀ
            for r in 0..<nl { for c in 0..<nl { b[r, c] = x[s * nl + c, r] } }
            bl.append(b)
        }
        self.positions = positions
        self.lmax = lmax
        self.energy = energy
        self.blocks = bl
        self.referenceT = tref
    }
}
