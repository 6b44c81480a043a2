import CBLAS
import CLAPACKE

/// Dense real matrix in column-major order (element (i, j) at `i + j*rows`).
/// Products use `cblas_dgemm`; solves, least squares and eigenproblems use LAPACKE.
public struct RealMatrix: Equatable, Sendable {
    public let rows: Int
    public let cols: Int
    public var elements: [Double]

    public init(rows: Int, cols: Int) {
        precondition(rows >= 0 && cols >= 0, "matrix dimensions must be non-negative")
        self.rows = rows
        self.cols = cols
        elements = [Double](repeating: 0, count: rows * cols)
    }

    public init(rows: Int, cols: Int, columnMajor: [Double]) {
        precondition(columnMajor.count == rows * cols, "element count \(columnMajor.count) ≠ \(rows)×\(cols)")
        self.rows = rows
        self.cols = cols
        elements = columnMajor
    }

    /// From nested rows.
    public init(_ rowsArray: [[Double]]) {
        let r = rowsArray.count
        let c = rowsArray.first?.count ?? 0
        precondition(rowsArray.allSatisfy { $0.count == c }, "ragged rows")
        self.init(rows: r, cols: c)
        for i in 0..<r { for j in 0..<c { self[i, j] = rowsArray[i][j] } }
    }

    public static func identity(_ n: Int) -> RealMatrix {
        var m = RealMatrix(rows: n, cols: n)
        for i in 0..<n { m[i, i] = 1 }
        return m
    }

    @inlinable
    public subscript(i: Int, j: Int) -> Double {
        get { elements[i + j * rows] }
        set { elements[i + j * rows] = newValue }
    }

    public var transpose: RealMatrix {
        var t = RealMatrix(rows: cols, cols: rows)
        for j in 0..<cols { for i in 0..<rows { t[j, i] = self[i, j] } }
        return t
    }

    public func column(_ j: Int) -> [Double] { Array(elements[(j * rows)..<((j + 1) * rows)]) }
    public func row(_ i: Int) -> [Double] { (0..<cols).map { self[i, $0] } }

    public static func * (a: RealMatrix, b: RealMatrix) -> RealMatrix {
        var c = RealMatrix(rows: a.rows, cols: b.cols)
        gemm(a, b, into: &c)
        return c
    }

    /// C ← α op(A) op(B) + β C (`cblas_dgemm`).
    public static func gemm(_ a: RealMatrix, transA: Bool = false, _ b: RealMatrix, transB: Bool = false,
                            alpha: Double = 1, beta: Double = 0, into c: inout RealMatrix) {
        let m = transA ? a.cols : a.rows
        let k = transA ? a.rows : a.cols
        let kb = transB ? b.cols : b.rows
        let n = transB ? b.rows : b.cols
        precondition(k == kb && c.rows == m && c.cols == n, "dgemm shape mismatch")
        if m == 0 || n == 0 { return }
        if k == 0 { for i in 0..<c.elements.count { c.elements[i] *= beta }; return }
        a.elements.withUnsafeBufferPointer { pa in
            b.elements.withUnsafeBufferPointer { pb in
                c.elements.withUnsafeMutableBufferPointer { pc in
                    cblas_dgemm(CblasColMajor, transA ? CblasTrans : CblasNoTrans, transB ? CblasTrans : CblasNoTrans,
                                Int32(m), Int32(n), Int32(k), alpha, pa.baseAddress, Int32(max(1, a.rows)),
                                pb.baseAddress, Int32(max(1, b.rows)), beta, pc.baseAddress, Int32(max(1, c.rows)))
                }
            }
        }
    }

    /// y = A x.
    public func apply(_ x: [Double]) -> [Double] {
        precondition(x.count == cols, "vector length \(x.count) ≠ \(cols) columns")
        var y = [Double](repeating: 0, count: rows)
        if rows == 0 || cols == 0 { return y }
        elements.withUnsafeBufferPointer { pa in
            cblas_dgemv(CblasColMajor, CblasNoTrans, Int32(rows), Int32(cols), 1, pa.baseAddress, Int32(rows),
                        x, 1, 0, &y, 1)
        }
        return y
    }

    /// Solves the square system A X = B (`dgesv`).
    public func solve(_ b: RealMatrix) throws -> RealMatrix {
        guard rows == cols, b.rows == rows else {
            throw LinearAlgebraError.dimensionMismatch("solve: A is \(rows)×\(cols), B is \(b.rows)×\(b.cols)")
        }
        var a = self, x = b
        var piv = [Int32](repeating: 0, count: max(1, rows))
        let info = LAPACKE_dgesv(LAPACK_COL_MAJOR, Int32(rows), Int32(b.cols), &a.elements, Int32(max(1, rows)),
                                 &piv, &x.elements, Int32(max(1, rows)))
        if info < 0 { throw LinearAlgebraError.lapack(routine: "dgesv", info: Int(info)) }
        if info > 0 { throw LinearAlgebraError.singular(pivot: Int(info)) }
        return x
    }

    /// Minimum-norm least-squares solution of A X ≈ B by SVD (`dgelsd`), with singular values
    /// below `rcond`·σ_max treated as zero. Returns the solution and the effective rank.
    public func leastSquares(_ b: RealMatrix, rcond: Double = -1) throws -> (solution: RealMatrix, rank: Int) {
        guard b.rows == rows else {
            throw LinearAlgebraError.dimensionMismatch("least squares: A has \(rows) rows, B has \(b.rows)")
        }
        let ldb = max(1, max(rows, cols))
        var bb = [Double](repeating: 0, count: ldb * b.cols)
        for j in 0..<b.cols { for i in 0..<b.rows { bb[i + j * ldb] = b[i, j] } }
        var a = self
        var s = [Double](repeating: 0, count: max(1, min(rows, cols)))
        var rank: Int32 = 0
        let info = LAPACKE_dgelsd(LAPACK_COL_MAJOR, Int32(rows), Int32(cols), Int32(b.cols), &a.elements,
                                  Int32(max(1, rows)), &bb, Int32(ldb), &s, rcond, &rank)
        if info < 0 { throw LinearAlgebraError.lapack(routine: "dgelsd", info: Int(info)) }
        if info > 0 { throw LinearAlgebraError.lapack(routine: "dgelsd (SVD did not converge)", info: Int(info)) }
        var x = RealMatrix(rows: cols, cols: b.cols)
        for j in 0..<b.cols { for i in 0..<cols { x[i, j] = bb[i + j * ldb] } }
        return (x, Int(rank))
    }

    /// Eigen-decomposition of a symmetric matrix (`dsyevd`, lower triangle used):
    /// eigenvalues ascending and orthonormal eigenvectors as columns.
    public func symmetricEigen() throws -> (values: [Double], vectors: RealMatrix) {
        guard rows == cols else { throw LinearAlgebraError.dimensionMismatch("eigen: matrix is \(rows)×\(cols)") }
        var v = self
        var w = [Double](repeating: 0, count: rows)
        if rows == 0 { return (w, v) }
        let info = LAPACKE_dsyevd(LAPACK_COL_MAJOR, Int8(UInt8(ascii: "V")), Int8(UInt8(ascii: "L")),
                                  Int32(rows), &v.elements, Int32(rows), &w)
        if info != 0 { throw LinearAlgebraError.lapack(routine: "dsyevd", info: Int(info)) }
        return (w, v)
    }

    /// Thin singular value decomposition A = U diag(s) Vᵀ (`dgesdd`).
    public func svd() throws -> (u: RealMatrix, s: [Double], vt: RealMatrix) {
        let k = min(rows, cols)
        var a = self
        var s = [Double](repeating: 0, count: max(1, k))
        var u = RealMatrix(rows: rows, cols: k)
        var vt = RealMatrix(rows: k, cols: cols)
        if k == 0 { return (u, [], vt) }
        let info = LAPACKE_dgesdd(LAPACK_COL_MAJOR, Int8(UInt8(ascii: "S")), Int32(rows), Int32(cols),
                                  &a.elements, Int32(rows), &s, &u.elements, Int32(rows), &vt.elements, Int32(k))
        if info != 0 { throw LinearAlgebraError.lapack(routine: "dgesdd", info: Int(info)) }
        return (u, Array(s.prefix(k)), vt)
    }
}
