import Atom
import Benchmark
import Elements
import Foundation
import KKRNumerics
import Numerics
import Radial

/// Free-atom wall time per element (issue 4: well under 1 s for Z ≤ 54 in release) and the
/// radial kernels the KKR single-site solver calls (complex E, KKR-like mesh).
let benchmarks: @Sendable () -> Void = {
    Benchmark.defaultConfiguration = .init(metrics: [.wallClock, .mallocCountTotal, .peakMemoryResident],
                                           maxDuration: .seconds(5), maxIterations: 20)
    for symbol in ["He", "Fe", "Xe", "Au"] {
        let element = try! PeriodicTable.element(symbol: symbol)
        Benchmark("free atom LDA \(symbol) (Z = \(element.atomicNumber))") { benchmark in
            for _ in benchmark.scaledIterations { blackHole(try FreeAtom.solve(element)) }
        }
        Benchmark("free atom ScRLDA \(symbol) (Z = \(element.atomicNumber))") { benchmark in
            let s = AtomSettings(relativity: .scalarRelativistic)
            for _ in benchmark.scaledIterations { blackHole(try FreeAtom.solve(element, settings: s)) }
        }
    }
    // Radial kernels at a complex contour energy on a JuKKR-like mesh (a = 0.025, 501 points,
    // R = 2.665 bohr), screened Z = 29 potential, l = 2.
    let mesh = try! RadialMesh(rmax: 2.665, a: 0.025, count: 501)
    let z = 29.0
    let v = mesh.r.map { r in r == 0 ? 2 * z / 0.3 : 2 * z * (1 - exp(-r / 0.3)) / r }
    let eq = try! RadialEquation(mesh: mesh, nuclearCharge: z, smoothPotential: v, l: 2, relativity: .scalarRelativistic)
    let e = ComplexDouble(0.6, 0.1)
    let ws = RadialWorkspace<ComplexDouble>(count: mesh.count)
    Benchmark("radial regular solution, complex E, SRA, 501 points (workspace reused)") { benchmark in
        for _ in benchmark.scaledIterations {
            blackHole(eq.integrateOutward(energy: e, upTo: mesh.count - 1, scheme: .implicitAdamsMoulton, workspace: ws))
        }
    }
    Benchmark("radial irregular solution, complex E, SRA, 501 points (allocating API)") { benchmark in
        for _ in benchmark.scaledIterations {
            blackHole(try eq.inwardSolution(energy: e, from: mesh.count - 1, p: ComplexDouble(1, 0), q: ComplexDouble(0, 1)))
        }
    }
}
