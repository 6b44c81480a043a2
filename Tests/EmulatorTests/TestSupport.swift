import Foundation
import Descriptors
import Elements
import KKRNumerics
import Lattice
import Radial
@testable import Emulator

// SplitMix64 comes from the Emulator module (internal, @testable).

func element(_ symbol: String) -> Element { try! PeriodicTable.element(symbol: symbol) }

/// Random rotation from a Gaussian quaternion (uniform on SO(3)); times −1 if `improper`.
func randomRotation(_ rng: inout SplitMix64, improper: Bool = false) -> Matrix3 {
    var q = (0..<4).map { _ in gaussian(&rng) }
    let n = q.map { $0 * $0 }.reduce(0, +).squareRoot()
    q = q.map { $0 / n }
    let (w, x, y, z) = (q[0], q[1], q[2], q[3])
    let r0 = Vector3(1 - 2 * (y * y + z * z), 2 * (x * y - w * z), 2 * (x * z + w * y))
    let r1 = Vector3(2 * (x * y + w * z), 1 - 2 * (x * x + z * z), 2 * (y * z - w * x))
    let r2 = Vector3(2 * (x * z - w * y), 2 * (y * z + w * x), 1 - 2 * (x * x + y * y))
    let r = Matrix3(rows: r0, r1, r2)
    return improper ? -1 * r : r
}

/// Standard normal deviate (Box–Muller).
func gaussian(_ rng: inout SplitMix64) -> Double {
    let u1 = Double.random(in: Double.ulpOfOne..<1, using: &rng), u2 = Double.random(in: 0..<1, using: &rng)
    return (-2 * log(u1)).squareRoot() * cos(2 * Double.pi * u2)
}

func randomUnitVector(_ rng: inout SplitMix64) -> Vector3 {
    let z = Double.random(in: -1...1, using: &rng)
    let phi = Double.random(in: 0..<(2 * Double.pi), using: &rng)
    let s = (1 - z * z).squareRoot()
    return Vector3(s * cos(phi), s * sin(phi), z)
}

func maxAbsDifference(_ a: some Collection<Double>, _ b: some Collection<Double>) -> Double {
    precondition(a.count == b.count)
    return zip(a, b).map { abs($0 - $1) }.max() ?? 0
}

/// A unique temporary path; the file is removed by the caller (`defer`).
func temporaryPath(_ name: String) -> String {
    NSTemporaryDirectory() + "emulator-tests-\(getpid())-\(UUID().uuidString.prefix(8))-\(name)"
}

/// A JuKKR-like exponential mesh ending at the sphere radius.
func testMesh(rmax: Double = 2.665, a: Double = 0.025, count: Int = 481) -> RadialMesh {
    try! RadialMesh(rmax: rmax, a: a, count: count)
}

/// A synthetic site potential on `mesh`: smooth ΔV_L^σ(r) = amplitude_{L,σ} · g_L(r/R) with
/// g a smooth non-polynomial function (so projection is approximate, as for real data).
func syntheticSitePotential(_ rng: inout SplitMix64, mesh: RadialMesh, lMax: Int, scale: Double = 1) -> SitePotentialChange {
    func component() -> [[Double]] {
        (0..<lmCount(lMax)).map { lm in
            let amp = scale * gaussian(&rng) / Double(1 + lm)
            let decay = Double.random(in: 0.5...3, using: &rng)
            let l = Double(lmPair(lm).l)
            return mesh.r.map { r in
                let s = r / mesh.rmax
                return amp * pow(s, l) * exp(-decay * s) * cos(1.3 * s)
            }
        }
    }
    return try! SitePotentialChange(mesh: mesh, lMax: lMax, up: component(), down: component())
}
