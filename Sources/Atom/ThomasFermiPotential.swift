import Foundation
import Radial

/// Starting potential of the atom SCF: the Thomas–Fermi screened Coulomb potential in Molière's
/// approximation (G. Molière, Z. Naturforsch. A 2, 133 (1947), doi:10.1515/zna-1947-0302),
///
///     V(r) = −(2Z/r) φ(r/b_TF),  φ(x) = 0.35 e^{−0.3x} + 0.55 e^{−1.2x} + 0.10 e^{−6x},
///     b_TF = ½ (3π/4)^{2/3} Z^{−1/3} ≈ 0.8853 Z^{−1/3} bohr,
///
/// in Ry. Returned as the smooth part v = V + 2Z/r = 2Z(1 − φ)/r, finite at the origin
/// (v(0) = (2Z/b_TF) Σ B_k β_k).
public enum ThomasFermiPotential {
    static let weights = [0.35, 0.55, 0.10]
    static let exponents = [0.3, 1.2, 6.0]

    public static func smoothPart(nuclearCharge z: Double, mesh: RadialMesh) -> [Double] {
        let b = 0.5 * Foundation.pow(3 * Double.pi / 4, 2.0 / 3.0) * Foundation.pow(z, -1.0 / 3.0)
        return mesh.r.map { r in
            if r == 0 {
                var s = 0.0
                for k in 0..<3 { s += weights[k] * exponents[k] }
                return 2 * z * s / b
            }
            let x = r / b
            // 1 − φ as Σ B_k (1 − e^{−β_k x}) (Σ B_k = 1) to avoid cancellation at small r
            var oneMinusPhi = 0.0
            for k in 0..<3 { oneMinusPhi -= weights[k] * Foundation.expm1(-exponents[k] * x) }
            return 2 * z * oneMinusPhi / r
        }
    }
}
