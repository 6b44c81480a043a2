import KKRNumerics

/// Symmetrises lm-matrices over a point group (KKR_NOTES §5.6):
///
///     G_sym = (1/N_g) Σ_g D(g) G D(g)ᵀ
///
/// with the real-harmonic rotation matrices D(g) of `RealHarmonicRotation`. G_sym commutes with
/// every D(g), i.e. it has the site symmetry of the group: in cubic O_h an on-site G^{00} becomes
/// diagonal with one s value, three equal p values, three equal t2g values (m = −2, −1, 1) and two
/// equal eg values (m = 0, 2) (the O_h crystal-field splitting of d states). Sums over an
/// irreducible k-mesh must be symmetrised this way.
public struct LMSymmetrizer: Sendable {
    public let lmax: Int
    public let rotations: [RealHarmonicRotation]
    private let matrices: [RealMatrix]

    public init(group: PointGroup, lmax: Int) throws {
        self.lmax = lmax
        rotations = try group.operations.map { try RealHarmonicRotation($0, lmax: lmax) }
        matrices = rotations.map(\.matrix)
    }

    /// (1/N_g) Σ_g D(g) G D(g)ᵀ for a real (lmax+1)² square matrix.
    public func symmetrize(_ g: RealMatrix) -> RealMatrix {
        let n = lmCount(lmax)
        precondition(g.rows == n && g.cols == n, "matrix is \(g.rows)×\(g.cols), expected \(n)×\(n)")
        var acc = RealMatrix(rows: n, cols: n)
        var tmp = RealMatrix(rows: n, cols: n)
        let scale = 1 / Double(matrices.count)
        for d in matrices {
            RealMatrix.gemm(d, g, into: &tmp)                                       // D G
            RealMatrix.gemm(tmp, d, transB: true, alpha: scale, beta: 1, into: &acc) // += D G Dᵀ / N
        }
        return acc
    }

    /// (1/N_g) Σ_g D(g) G D(g)ᵀ for a complex matrix (D real: real and imaginary parts separately).
    public func symmetrize(_ g: ComplexMatrix) -> ComplexMatrix {
        let n = lmCount(lmax)
        precondition(g.rows == n && g.cols == n, "matrix is \(g.rows)×\(g.cols), expected \(n)×\(n)")
        let re = symmetrize(RealMatrix(rows: n, cols: n, columnMajor: g.elements.map(\.real)))
        let im = symmetrize(RealMatrix(rows: n, cols: n, columnMajor: g.elements.map(\.imaginary)))
        var out = ComplexMatrix(rows: n, cols: n)
        for k in 0..<(n * n) { out.elements[k] = ComplexDouble(re.elements[k], im.elements[k]) }
        return out
    }
}
