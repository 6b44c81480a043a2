import Foundation
@testable import Lattice

/// Deterministic pseudo-random numbers (SplitMix64, Steele, Lea & Flood, OOPSLA 2014) so that
/// failures are reproducible.
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

/// Rotation matrix of the unit quaternion q = (w, x, y, z)/|q| (proper, det = +1).
func rotationFromQuaternion(_ w0: Double, _ x0: Double, _ y0: Double, _ z0: Double) -> Matrix3 {
    let n = (w0 * w0 + x0 * x0 + y0 * y0 + z0 * z0).squareRoot()
    let w = w0 / n, x = x0 / n, y = y0 / n, z = z0 / n
    let r0 = Vector3(1 - 2 * (y * y + z * z), 2 * (x * y - w * z), 2 * (x * z + w * y))
    let r1 = Vector3(2 * (x * y + w * z), 1 - 2 * (x * x + z * z), 2 * (y * z - w * x))
    let r2 = Vector3(2 * (x * z - w * y), 2 * (y * z + w * x), 1 - 2 * (x * x + y * y))
    return Matrix3(rows: r0, r1, r2)
}

/// A random proper rotation (Gaussian quaternion = uniform on SO(3)) or, if `improper`, its
/// product with the inversion.
func randomRotation(_ rng: inout SplitMix64, improper: Bool = false) -> Matrix3 {
    func gauss() -> Double {
        let u1 = Double.random(in: Double.ulpOfOne..<1, using: &rng), u2 = Double.random(in: 0..<1, using: &rng)
        return (-2 * log(u1)).squareRoot() * cos(2 * Double.pi * u2)
    }
    let r = rotationFromQuaternion(gauss(), gauss(), gauss(), gauss())
    return improper ? -1 * r : r
}

func randomUnitVector(_ rng: inout SplitMix64) -> Vector3 {
    let z = Double.random(in: -1...1, using: &rng)
    let phi = Double.random(in: 0..<(2 * Double.pi), using: &rng)
    let s = (1 - z * z).squareRoot()
    return Vector3(s * cos(phi), s * sin(phi), z)
}
