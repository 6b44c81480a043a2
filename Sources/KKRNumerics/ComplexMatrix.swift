import CBLAS
import CLAPACKE
import Numerics

/// Complex double precision scalar used throughout the project (swift-numerics).
///
/// `Complex<Double>` is layout-compatible with C `double _Complex` and with LAPACK's
/// `COMPLEX*16` (16 bytes, interleaved re, im); `KKRNumericsTests` checks this from the C side.
public typealias ComplexDouble = Complex<Double>

/// Errors from the dense linear-algebra wrappers.
public enum LinearAlgebraError: Error, Equatable, CustomStringConvertible {
    /// The matrix is exactly singular: U(pivot, pivot) = 0 in the LU factorisation (1-based).
    case singular(pivot: Int)
    /// The operand shapes do not fit together.
    case dimensionMismatch(String)
    /// LAPACK returned an illegal-argument code (negative `info`).
    case lapack(routine: String, info: Int)

    public var description: String {
        switch self {
        case .singular(let p):
            return "matrix is singular: zero pivot at position \(p) of the LU factorisation"
        case .dimensionMismatch(let s):
            return "matrix dimensions do not match: \(s)"
        case .lapack(let r, let info):
            return "LAPACK \(r) rejected argument \(-info) (info = \(info))"
        }
    }
}

/// Dense complex matrix in **column-major** order (element (i, j) at `i + j*rows`), the
/// layout of BLAS/LAPACK. Products go through `cblas_zgemm`, solves through
/// `LAPACKE_zgetrf/zgetrs` in column-major mode (row-major LAPACKE copies and transposes
/// internally and is about 2× slower at n = 256; `../shared/notes/swift-c-libraries.md`).
public struct ComplexMatrix: Equatable, Sendable {
    public let rows: Int
    public let cols: Int
    /// Column-major elements.
    public var elements: [ComplexDouble]

    /// A zero matrix.
    public init(rows: Int, cols: Int) {
        precondition(rows >= 0 && cols >= 0, "matrix dimensions must be non-negative")
        self.rows = rows
        self.cols = cols
        self.elements = [ComplexDouble](repeating: .zero, count: rows * cols)
    }

    /// A matrix from column-major elements.
    public init(rows: Int, cols: Int, columnMajor: [ComplexDouble]) {
        precondition(columnMajor.count == rows * cols, "element count \(columnMajor.count) ≠ \(rows)×\(cols)")
        self.rows = rows
        self.cols = cols
        self.elements = columnMajor
    }

    /// A matrix from nested rows (convenient for tests and small literals).
    public init(_ rowsArray: [[ComplexDouble]]) {
        let r = rowsArray.count
        let c = rowsArray.first?.count ?? 0
        precondition(rowsArray.allSatisfy { $0.count == c }, "ragged rows")
        self.init(rows: r, cols: c)
        for i in 0..<r { for j in 0..<c { self[i, j] = rowsArray[i][j] } }
    }

    /// The n×n identity.
    public static func identity(_ n: Int) -> ComplexMatrix {
        var m = ComplexMatrix(rows: n, cols: n)
        for i in 0..<n { m[i, i] = .one }
        return m
    }

    /// A diagonal matrix.
    public static func diagonal(_ d: [ComplexDouble]) -> ComplexMatrix {
        var m = ComplexMatrix(rows: d.count, cols: d.count)
        for i in 0..<d.count { m[i, i] = d[i] }
        return m
    }

    @inlinable
    public subscript(i: Int, j: Int) -> ComplexDouble {
        get { elements[i + j * rows] }
        set { elements[i + j * rows] = newValue }
    }

    public var isSquare: Bool { rows == cols }

    /// Transpose (not conjugated).
    public var transpose: ComplexMatrix {
        var t = ComplexMatrix(rows: cols, cols: rows)
        for j in 0..<cols { for i in 0..<rows { t[j, i] = self[i, j] } }
        return t
    }

    /// Sum of the diagonal.
    public var trace: ComplexDouble {
        var s = ComplexDouble.zero
        for i in 0..<min(rows, cols) { s += self[i, i] }
        return s
    }

    /// Largest |a_ij|.
    public var maxAbs: Double {
        elements.reduce(0) { max($0, $1.length) }
    }

    /// Copy of the block rows r0..<r0+nr, cols c0..<c0+nc.
    public func block(rows r0: Int, _ nr: Int, cols c0: Int, _ nc: Int) -> ComplexMatrix {
        precondition(r0 >= 0 && c0 >= 0 && r0 + nr <= rows && c0 + nc <= cols, "block out of range")
        var b = ComplexMatrix(rows: nr, cols: nc)
        for j in 0..<nc { for i in 0..<nr { b[i, j] = self[r0 + i, c0 + j] } }
        return b
    }

    /// Writes `b` into this matrix with its (0,0) at (r0, c0).
    public mutating func setBlock(_ b: ComplexMatrix, row r0: Int, col c0: Int) {
        precondition(r0 >= 0 && c0 >= 0 && r0 + b.rows <= rows && c0 + b.cols <= cols, "block out of range")
        for j in 0..<b.cols { for i in 0..<b.rows { self[r0 + i, c0 + j] = b[i, j] } }
    }

    public static func + (a: ComplexMatrix, b: ComplexMatrix) -> ComplexMatrix {
        precondition(a.rows == b.rows && a.cols == b.cols, "shape mismatch in +")
        var c = a
        for k in 0..<c.elements.count { c.elements[k] += b.elements[k] }
        return c
    }

    public static func - (a: ComplexMatrix, b: ComplexMatrix) -> ComplexMatrix {
        precondition(a.rows == b.rows && a.cols == b.cols, "shape mismatch in -")
        var c = a
        for k in 0..<c.elements.count { c.elements[k] -= b.elements[k] }
        return c
    }

    public static func * (s: ComplexDouble, a: ComplexMatrix) -> ComplexMatrix {
        var c = a
        for k in 0..<c.elements.count { c.elements[k] = s * c.elements[k] }
        return c
    }

    /// Matrix product via `cblas_zgemm`.
    public static func * (a: ComplexMatrix, b: ComplexMatrix) -> ComplexMatrix {
        precondition(a.cols == b.rows, "shape mismatch in *: \(a.rows)×\(a.cols) · \(b.rows)×\(b.cols)")
        var c = ComplexMatrix(rows: a.rows, cols: b.cols)
        ComplexMatrix.gemm(a, b, into: &c)
        return c
    }

    /// Operation applied to an operand of `gemm`.
    public enum Op: Sendable { case none, transpose, adjoint
        var cblas: CBLAS_TRANSPOSE {
            switch self { case .none: return CblasNoTrans; case .transpose: return CblasTrans; case .adjoint: return CblasConjTrans }
        }
    }

    /// C ← α·op(A)·op(B) + β·C (`cblas_zgemm`); C must already have the result shape.
    public static func gemm(_ a: ComplexMatrix, _ b: ComplexMatrix, opA: Op = .none, opB: Op = .none,
                            alpha: ComplexDouble = .one, beta: ComplexDouble = .zero,
                            into c: inout ComplexMatrix) {
        let m = opA == .none ? a.rows : a.cols
        let k = opA == .none ? a.cols : a.rows
        let kb = opB == .none ? b.rows : b.cols
        let n = opB == .none ? b.cols : b.rows
        precondition(k == kb && c.rows == m && c.cols == n, "gemm shape mismatch")
        if m == 0 || n == 0 { return }
        var al = alpha, be = beta
        let lda = max(1, a.rows), ldb = max(1, b.rows), ldc = max(1, c.rows)
        a.elements.withUnsafeBytes { pa in
            b.elements.withUnsafeBytes { pb in
                c.elements.withUnsafeMutableBytes { pc in
                    cblas_zgemm(CblasColMajor, opA.cblas, opB.cblas, Int32(m), Int32(n), Int32(k),
                                &al, pa.baseAddress, Int32(lda), pb.baseAddress, Int32(ldb),
                                &be, pc.baseAddress, Int32(ldc))
                }
            }
        }
    }

    /// Matrix–vector product.
    public func apply(_ x: [ComplexDouble]) -> [ComplexDouble] {
        precondition(x.count == cols, "vector length \(x.count) ≠ \(cols) columns")
        let xm = ComplexMatrix(rows: cols, cols: 1, columnMajor: x)
        return (self * xm).elements
    }

    /// Solves A X = B by LU (`zgesv`-equivalent: `zgetrf` + `zgetrs`).
    public func solve(_ b: ComplexMatrix) throws -> ComplexMatrix {
        try LUDecomposition(self).solve(b)
    }

    /// A⁻¹ via `zgetrf` + `zgetri`. Prefer `solve` when a solve is what is needed.
    public func inverse() throws -> ComplexMatrix {
        try LUDecomposition(self).inverse()
    }
}

/// LU factorisation with partial pivoting, P A = L U (`LAPACKE_zgetrf`, column-major).
public struct LUDecomposition: Sendable {
    public let n: Int
    /// L (unit diagonal, below) and U (on and above the diagonal), column-major.
    public private(set) var factors: ComplexMatrix
    /// 1-based LAPACK pivot indices.
    public private(set) var pivots: [Int32]

    public init(_ a: ComplexMatrix) throws {
        guard a.isSquare else { throw LinearAlgebraError.dimensionMismatch("LU needs a square matrix, got \(a.rows)×\(a.cols)") }
        n = a.rows
        factors = a
        pivots = [Int32](repeating: 0, count: max(1, a.rows))
        let nn = Int32(n)
        let info = factors.elements.withUnsafeMutableBufferPointer { buf in
            buf.withMemoryRebound(to: clapacke_complex_double.self) { p in
                LAPACKE_zgetrf(LAPACK_COL_MAJOR, nn, nn, p.baseAddress, max(1, nn), &pivots)
            }
        }
        if info < 0 { throw LinearAlgebraError.lapack(routine: "zgetrf", info: Int(info)) }
        if info > 0 { throw LinearAlgebraError.singular(pivot: Int(info)) }
    }

    /// Solves A X = B for the factorised A (`LAPACKE_zgetrs`).
    public func solve(_ b: ComplexMatrix) throws -> ComplexMatrix {
        guard b.rows == n else { throw LinearAlgebraError.dimensionMismatch("right-hand side has \(b.rows) rows, matrix is \(n)×\(n)") }
        var x = b
        if b.cols == 0 || n == 0 { return x }
        let nn = Int32(n), nrhs = Int32(b.cols)
        var f = factors
        let info = f.elements.withUnsafeMutableBufferPointer { fb in
            fb.withMemoryRebound(to: clapacke_complex_double.self) { pf in
                x.elements.withUnsafeMutableBufferPointer { xb in
                    xb.withMemoryRebound(to: clapacke_complex_double.self) { px in
                        LAPACKE_zgetrs(LAPACK_COL_MAJOR, Int8(UInt8(ascii: "N")), nn, nrhs,
                                       pf.baseAddress, nn, pivots, px.baseAddress, nn)
                    }
                }
            }
        }
        if info != 0 { throw LinearAlgebraError.lapack(routine: "zgetrs", info: Int(info)) }
        return x
    }

    /// A⁻¹ (`LAPACKE_zgetri`).
    public func inverse() throws -> ComplexMatrix {
        var inv = factors
        if n == 0 { return inv }
        let nn = Int32(n)
        var piv = pivots
        let info = inv.elements.withUnsafeMutableBufferPointer { b in
            b.withMemoryRebound(to: clapacke_complex_double.self) { p in
                LAPACKE_zgetri(LAPACK_COL_MAJOR, nn, p.baseAddress, nn, &piv)
            }
        }
        if info < 0 { throw LinearAlgebraError.lapack(routine: "zgetri", info: Int(info)) }
        if info > 0 { throw LinearAlgebraError.singular(pivot: Int(info)) }
        return inv
    }

    /// log det A = Σ log U_ii (+ iπ per row interchange), principal branch per factor.
    /// Used by Lloyd's formula; phases must be unwrapped by the caller along a path.
    public var logDeterminant: ComplexDouble {
        var s = ComplexDouble.zero
        for i in 0..<n {
            s += ComplexDouble.log(factors[i, i])
            if Int(pivots[i]) != i + 1 { s += ComplexDouble(0, Double.pi) }
        }
        return s
    }
}
