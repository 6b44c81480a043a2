import CBLAS
import Numerics
import Testing
@testable import KKRNumerics

/// Deterministic pseudo-random numbers for tests (SplitMix64).
struct TestRNG: RandomNumberGenerator {
    var state: UInt64
    init(seed: UInt64) { state = seed }
    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }
    mutating func uniform() -> Double { Double(next() >> 11) / Double(1 << 53) * 2 - 1 }
    mutating func complex() -> ComplexDouble { ComplexDouble(uniform(), uniform()) }
}

func randomMatrix(_ r: Int, _ c: Int, _ rng: inout TestRNG) -> ComplexMatrix {
    var m = ComplexMatrix(rows: r, cols: c)
    for k in 0..<(r * c) { m.elements[k] = rng.complex() }
    return m
}

func naiveProduct(_ a: ComplexMatrix, _ b: ComplexMatrix) -> ComplexMatrix {
    var c = ComplexMatrix(rows: a.rows, cols: b.cols)
    for i in 0..<a.rows { for j in 0..<b.cols {
        var s = ComplexDouble.zero
        for k in 0..<a.cols { s += a[i, k] * b[k, j] }
        c[i, j] = s
    } }
    return c
}

@Suite struct LinearAlgebraTests {
    @Test func complexLayoutMatchesC() {
        #expect(MemoryLayout<ComplexDouble>.size == Int(cshim_sizeof_double_complex()))
        #expect(MemoryLayout<ComplexDouble>.alignment == Int(cshim_alignof_double_complex()))
        #expect(MemoryLayout<ComplexDouble>.stride == 16)
        var a: [ComplexDouble] = [ComplexDouble(1.5, -2.25), ComplexDouble(-3, 4.125)]
        a.withUnsafeBytes { p in
            #expect(cshim_creal_at(p.baseAddress, 1) == -3)
            #expect(cshim_cimag_at(p.baseAddress, 0) == -2.25)
        }
        a.withUnsafeMutableBytes { p in cshim_set_at(p.baseAddress, 0, 7, -8) }
        #expect(a[0] == ComplexDouble(7, -8))
    }

    /// Hand-computed product: A=[[1+2i,3−i],[i,2]], B=[[2−i,i],[1+i,3]] → [[8+5i, 7−2i],[3+4i, 5]].
    @Test func zgemmHandResult() {
        let a = ComplexMatrix([[ComplexDouble(1, 2), ComplexDouble(3, -1)], [ComplexDouble(0, 1), ComplexDouble(2, 0)]])
        let b = ComplexMatrix([[ComplexDouble(2, -1), ComplexDouble(0, 1)], [ComplexDouble(1, 1), ComplexDouble(3, 0)]])
        let c = a * b
        let expected = ComplexMatrix([[ComplexDouble(8, 5), ComplexDouble(7, -2)], [ComplexDouble(3, 4), ComplexDouble(5, 0)]])
        for k in 0..<4 { #expect((c.elements[k] - expected.elements[k]).length < 1e-14) }
    }

    @Test func zgemmMatchesNaiveLoops() {
        var rng = TestRNG(seed: 7)
        let a = randomMatrix(7, 5, &rng), b = randomMatrix(5, 3, &rng)
        let c = a * b, d = naiveProduct(a, b)
        for k in 0..<c.elements.count { #expect((c.elements[k] - d.elements[k]).length < 1e-13) }
        // transposed / adjoint operands
        var e = ComplexMatrix(rows: 5, cols: 5)
        ComplexMatrix.gemm(a, a, opA: .adjoint, into: &e)
        var aH = a.transpose
        for k in 0..<aH.elements.count { aH.elements[k] = aH.elements[k].conjugate }
        let f = naiveProduct(aH, a)
        for k in 0..<e.elements.count { #expect((e.elements[k] - f.elements[k]).length < 1e-13) }
    }

    /// Hand system with solution x = [1+i, 2−i]: A=[[1+2i,3−i],[i,2]] gives b = A x.
    @Test func zgesvHandSystem() throws {
        let a = ComplexMatrix([[ComplexDouble(1, 2), ComplexDouble(3, -1)], [ComplexDouble(0, 1), ComplexDouble(2, 0)]])
        // b = [(1+2i)(1+i) + (3−i)(2−i), i(1+i) + 2(2−i)] = [(−1+3i) + (5−5i), (−1+i) + (4−2i)] = [4−2i, 3−i]
        let b = ComplexMatrix(rows: 2, cols: 1, columnMajor: [ComplexDouble(4, -2), ComplexDouble(3, -1)])
        let x = try a.solve(b)
        #expect((x[0, 0] - ComplexDouble(1, 1)).length < 1e-14)
        #expect((x[1, 0] - ComplexDouble(2, -1)).length < 1e-14)
    }

    @Test func randomSolveAndInverse() throws {
        var rng = TestRNG(seed: 11)
        let n = 40
        let a = randomMatrix(n, n, &rng) + ComplexMatrix.identity(n)
        let b = randomMatrix(n, 3, &rng)
        let x = try a.solve(b)
        let r = a * x - b
        #expect(r.maxAbs < 1e-10)
        let inv = try a.inverse()
        let id = a * inv - ComplexMatrix.identity(n)
        #expect(id.maxAbs < 1e-12)
    }

    @Test func singularMatrixThrows() {
        let a = ComplexMatrix([[ComplexDouble(1, 0), ComplexDouble(2, 0)], [ComplexDouble(2, 0), ComplexDouble(4, 0)]])
        #expect(throws: LinearAlgebraError.self) { _ = try a.inverse() }
    }

    /// det of a triangular matrix is the product of its diagonal.
    @Test func logDeterminant() throws {
        let a = ComplexMatrix([[ComplexDouble(2, 1), ComplexDouble(5, 0)], [ComplexDouble(0, 0), ComplexDouble(0, 3)]])
        let ld = try LUDecomposition(a).logDeterminant
        let det = ComplexDouble.exp(ld)
        #expect((det - ComplexDouble(2, 1) * ComplexDouble(0, 3)).length < 1e-13)
        // with a row swap: [[0,1],[1,0]] has det −1
        let p = ComplexMatrix([[ComplexDouble.zero, ComplexDouble.one], [ComplexDouble.one, ComplexDouble.zero]])
        let dp = ComplexDouble.exp(try LUDecomposition(p).logDeterminant)
        #expect((dp - ComplexDouble(-1, 0)).length < 1e-14)
    }

    /// y = 2 + 3x recovered exactly; rank-deficient [1, x, 2x] gives rank 2 and the minimum-norm
    /// solution (2, 0.6, 1.2) (min ‖c‖ with c1 + 2 c2 = 3: c1 = 3/5, c2 = 6/5).
    @Test func realLeastSquares() throws {
        let xs: [Double] = [0, 1, 2, 3, 4]
        var a = RealMatrix(rows: 5, cols: 2)
        var a3 = RealMatrix(rows: 5, cols: 3)
        var y = RealMatrix(rows: 5, cols: 1)
        for (i, x) in xs.enumerated() {
            a[i, 0] = 1; a[i, 1] = x; y[i, 0] = 2 + 3 * x
            a3[i, 0] = 1; a3[i, 1] = x; a3[i, 2] = 2 * x
        }
        let (c, rank) = try a.leastSquares(y)
        #expect(rank == 2)
        #expect(abs(c[0, 0] - 2) < 1e-12 && abs(c[1, 0] - 3) < 1e-12)
        let (c3, rank3) = try a3.leastSquares(y, rcond: 1e-12)
        #expect(rank3 == 2)
        #expect(abs(c3[0, 0] - 2) < 1e-12 && abs(c3[1, 0] - 0.6) < 1e-12 && abs(c3[2, 0] - 1.2) < 1e-12)
    }

    /// [[2,1],[1,2]] has eigenvalues 1 and 3.
    @Test func symmetricEigen() throws {
        let (w, v) = try RealMatrix([[2, 1], [1, 2]]).symmetricEigen()
        #expect(abs(w[0] - 1) < 1e-14 && abs(w[1] - 3) < 1e-14)
        #expect(abs(abs(v[0, 1]) - 0.5.squareRoot()) < 1e-14)
        let (u, s, vt) = try RealMatrix([[3, 0], [0, -2], [0, 0]]).svd()
        #expect(abs(s[0] - 3) < 1e-14 && abs(s[1] - 2) < 1e-14)
        #expect(u.rows == 3 && vt.cols == 2)
    }
}
