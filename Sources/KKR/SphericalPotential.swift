import Foundation
import Radial

/// The spherical (ASA) potential of one atomic sphere for one or two spin channels:
/// V^σ(r) = −2Z/r + v^σ(r) with the smooth part v ("vm2z" of JuKKR files) on the sphere's
/// exponential mesh ending at R_WS. Energies in Ry.
public struct SphericalPotential: Sendable, Equatable {
    public var atomicNumber: Int
    public var mesh: RadialMesh
    /// Smooth part v^σ(r) = V^σ(r) + 2Z/r per spin channel (1 or 2 arrays).
    public var smooth: [[Double]]

    public init(atomicNumber: Int, mesh: RadialMesh, smooth: [[Double]]) {
        precondition(smooth.count == 1 || smooth.count == 2, "1 or 2 spin channels")
        precondition(smooth.allSatisfy { $0.count == mesh.count }, "potential length must equal the mesh size")
        self.atomicNumber = atomicNumber
        self.mesh = mesh
        self.smooth = smooth
    }

    public var spinCount: Int { smooth.count }
    public var radiusBohr: Double { mesh.rmax }

    /// Total V^σ(r) at mesh point i (−∞ at r = 0 for Z > 0).
    public func total(spin s: Int, at i: Int) -> Double {
        let r = mesh.r[i]
        return r > 0 ? smooth[s][i] - 2 * Double(atomicNumber) / r : -Double.infinity
    }

    /// ⟨V⟩ over the shell r₀ < r < R of the sphere: ∫ V_c r² dr / ∫ r² dr with the spin-averaged
    /// total potential V_c = (V↑ + V↓)/2 (−2Z/r included). With r₀ = R_MT this is −VBC of
    /// JuKKR's ASA muffin-tin zero (`JuKKR:source/KKRhost/mtzero.f90`).
    public func shellAverage(from r0: Double) throws -> Double {
        precondition(r0 > 0 && r0 < mesh.rmax, "the shell must start inside the sphere")
        let (c, _) = chargeAndMagneticParts
        let z2 = 2 * Double(atomicNumber)
        let f = (0..<mesh.count).map { i in c[i] * mesh.r[i] * mesh.r[i] - z2 * mesh.r[i] }
        let cum = mesh.cumulativeIntegral(f)
        let num = cum[mesh.count - 1] - (try mesh.interpolate(cum, at: r0))
        // the volume by the same quadrature, so that the average of V + c is exactly ⟨V⟩ + c
        // (the SCF's energy zero must be a fixed point of the shift)
        let cumVolume = mesh.cumulativeIntegral(mesh.r.map { $0 * $0 })
        let vol = cumVolume[mesh.count - 1] - (try mesh.interpolate(cumVolume, at: r0))
        return num / vol
    }

    /// Charge part V_c = (V↑ + V↓)/2 and magnetic part V_m = (V↑ − V↓)/2 (KKR_NOTES §8).
    public var chargeAndMagneticParts: (charge: [Double], magnetic: [Double]) {
        if smooth.count == 1 { return (smooth[0], [Double](repeating: 0, count: mesh.count)) }
        let c = zip(smooth[0], smooth[1]).map { ($0 + $1) / 2 }
        let m = zip(smooth[0], smooth[1]).map { ($0 - $1) / 2 }
        return (c, m)
    }

    /// JuKKR's rms measure of the difference of two potentials on the same mesh
    /// (`JuKKR:mixstr.f90`; KKR_NOTES §8): sqrt((3/R³) ∫_0^R (ΔV)² r² dr) for the charge part
    /// and for the magnetic part.
    public func rmsDifference(to other: SphericalPotential) -> (charge: Double, magnetic: Double) {
        precondition(other.mesh.count == mesh.count && other.spinCount == spinCount)
        let (c1, m1) = chargeAndMagneticParts, (c2, m2) = other.chargeAndMagneticParts
        let r3 = pow(mesh.rmax, 3)
        func rms(_ a: [Double], _ b: [Double]) -> Double {
            var f = [Double](repeating: 0, count: mesh.count)
            for i in 0..<mesh.count { let d = a[i] - b[i]; f[i] = d * d * mesh.r[i] * mesh.r[i] }
            return (3 / r3 * max(0, mesh.integrate(f))).squareRoot()
        }
        return (rms(c1, c2), rms(m1, m2))
    }
}
