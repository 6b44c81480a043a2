import Benchmark
import KKRNumerics
import Numerics

/// Gauss elimination with partial pivoting on `Complex<Double>` in plain Swift: the
/// baseline that the OpenBLAS/LAPACKE LU solve is compared with.
func naiveSolve(_ a0: ComplexMatrix, _ b0: [ComplexDouble]) -> [ComplexDouble] {
    let n = a0.rows
    var a = a0.elements          // column-major
    var b = b0
    for k in 0..<n {
        var p = k
        var best = a[k + k * n].length
        for i in (k + 1)..<n where a[i + k * n].length > best { best = a[i + k * n].length; p = i }
        if p != k {
            for j in 0..<n { a.swapAt(k + j * n, p + j * n) }
            b.swapAt(k, p)
        }
        let pivot = a[k + k * n]
        for i in (k + 1)..<n {
            let f = a[i + k * n] / pivot
            if f == .zero { continue }
            for j in (k + 1)..<n { a[i + j * n] -= f * a[k + j * n] }
            b[i] -= f * b[k]
        }
    }
    var x = [ComplexDouble](repeating: .zero, count: n)
    for i in stride(from: n - 1, through: 0, by: -1) {
        var s = b[i]
        for j in (i + 1)..<n { s -= a[i + j * n] * x[j] }
        x[i] = s / a[i + i * n]
    }
    return x
}

func randomSystem(_ n: Int) -> (ComplexMatrix, [ComplexDouble]) {
    var rng = SystemRandomNumberGenerator()
    var a = ComplexMatrix(rows: n, cols: n)
    for k in 0..<(n * n) { a.elements[k] = ComplexDouble(Double.random(in: -1...1, using: &rng), Double.random(in: -1...1, using: &rng)) }
    for i in 0..<n { a[i, i] += ComplexDouble(Double(n) / 4, 0) }
    let b = (0..<n).map { _ in ComplexDouble(Double.random(in: -1...1, using: &rng), 0) }
    return (a, b)
}

let benchmarks: @Sendable () -> Void = {
    Benchmark.defaultConfiguration = .init(metrics: [.wallClock, .mallocCountTotal, .peakMemoryResident],
                                           maxDuration: .seconds(3), maxIterations: 200)
    for n in [64, 256] {
        let (a, b) = randomSystem(n)
        let bm = ComplexMatrix(rows: n, cols: 1, columnMajor: b)
        Benchmark("LU solve \(n)x\(n) complex, OpenBLAS/LAPACKE (zgetrf+zgetrs)") { benchmark in
            for _ in benchmark.scaledIterations { blackHole(try a.solve(bm)) }
        }
        Benchmark("LU solve \(n)x\(n) complex, naive Swift Gauss elimination") { benchmark in
            for _ in benchmark.scaledIterations { blackHole(naiveSolve(a, b)) }
        }
        Benchmark("zgemm \(n)x\(n) complex, OpenBLAS") { benchmark in
            for _ in benchmark.scaledIterations { blackHole(a * a) }
        }
    }
}
