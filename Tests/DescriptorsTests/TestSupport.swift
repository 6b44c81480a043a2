import Foundation
import Elements
import KKRNumerics
import Lattice
@testable import Descriptors

/// Deterministic pseudo-random numbers (SplitMix64, Steele, Lea & Flood, OOPSLA 2014).
struct SplitMix64: RandomNumberGenerator {
    var state: UInt64
    init(seed: UInt64) { state = seed }
    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }
}

/// Random rotation from a Gaussian quaternion (uniform on SO(3)); times −1 if `improper`.
func randomRotation(_ rng: inout SplitMix64, improper: Bool = false) -> Matrix3 {
    func gauss() -> Double {
        let u1 = Double.random(in: Double.ulpOfOne..<1, using: &rng), u2 = Double.random(in: 0..<1, using: &rng)
        return (-2 * log(u1)).squareRoot() * cos(2 * Double.pi * u2)
    }
    var q = [gauss(), gauss(), gauss(), gauss()]
    let n = q.map { $0 * $0 }.reduce(0, +).squareRoot()
    q = q.map { $0 / n }
    let (w, x, y, z) = (q[0], q[1], q[2], q[3])
    let r0 = Vector3(1 - 2 * (y * y + z * z), 2 * (x * y - w * z), 2 * (x * z + w * y))
    let r1 = Vector3(2 * (x * y + w * z), 1 - 2 * (x * x + z * z), 2 * (y * z - w * x))
    let r2 = Vector3(2 * (x * z - w * y), 2 * (y * z + w * x), 1 - 2 * (x * x + y * y))
    let r = Matrix3(rows: r0, r1, r2)
    return improper ? -1 * r : r
}

func randomUnitVector(_ rng: inout SplitMix64) -> Vector3 {
    let z = Double.random(in: -1...1, using: &rng)
    let phi = Double.random(in: 0..<(2 * Double.pi), using: &rng)
    let s = (1 - z * z).squareRoot()
    return Vector3(s * cos(phi), s * sin(phi), z)
}

func element(_ symbol: String) -> Element { try! PeriodicTable.element(symbol: symbol) }

/// Legendre polynomial P_l(t) by Bonnet's recurrence (l+1) P_{l+1} = (2l+1) t P_l − l P_{l−1}.
func legendre(_ l: Int, _ t: Double) -> Double {
    if l == 0 { return 1 }
    var p0 = 1.0, p1 = t
    if l == 1 { return t }
    for k in 1..<l {
        let p2 = (Double(2 * k + 1) * t * p1 - Double(k) * p0) / Double(k + 1)
        p0 = p1; p1 = p2
    }
    return p1
}

/// Jacobi polynomial by the explicit hypergeometric sum (DLMF 18.5.7), independent of the
/// recurrence:  P_n^(α,β)(x) = (α+1)_n/n! Σ_{k=0}^{n} (−n)_k (n+α+β+1)_k / ((α+1)_k k!) ((1−x)/2)^k.
func jacobiBySum(_ n: Int, _ alpha: Double, _ beta: Double, _ x: Double) -> Double {
    jacobiBySumWithScale(n, alpha, beta, x).value
}

/// As `jacobiBySum`, with the sum of the absolute values of the terms (times the prefactor): the
/// scale of the rounding error of the alternating sum.
func jacobiBySumWithScale(_ n: Int, _ alpha: Double, _ beta: Double, _ x: Double) -> (value: Double, scale: Double) {
    func poch(_ a: Double, _ k: Int) -> Double { (0..<k).reduce(1.0) { $0 * (a + Double($1)) } }
    var s = 0.0, magnitude = 0.0
    for k in 0...n {
        let num = poch(Double(-n), k) * poch(Double(n) + alpha + beta + 1, k)
        let den = poch(alpha + 1, k) * (1...max(1, k)).reduce(1.0) { $0 * Double($1) }
        let term = num / den * pow((1 - x) / 2, Double(k))
        s += term
        magnitude += abs(term)
    }
    let nFactorial = (1...max(1, n)).reduce(1.0) { $0 * Double($1) }
    let prefactor = poch(alpha + 1, n) / nFactorial
    return (prefactor * s, abs(prefactor) * magnitude)
}

/// A random environment: `count` neighbours at distances in [rLow, rHigh] bohr, elements drawn
/// from `species`.
func randomEnvironment(_ rng: inout SplitMix64, centre: Element, species: [Element], count: Int,
                       rLow: Double, rHigh: Double) -> AtomicEnvironment {
    let neighbours = (0..<count).map { _ -> AtomicEnvironment.Neighbour in
        let r = Double.random(in: rLow...rHigh, using: &rng)
        let e = species[Int.random(in: 0..<species.count, using: &rng)]
        return AtomicEnvironment.Neighbour(element: e, positionBohr: r * randomUnitVector(&rng))
    }
    return AtomicEnvironment(centre: centre, neighbours: neighbours)
}

func maxAbsDifference(_ a: some Collection<Double>, _ b: some Collection<Double>) -> Double {
    precondition(a.count == b.count)
    return zip(a, b).map { abs($0 - $1) }.max() ?? 0
}
