import Foundation
import KKRNumerics

/// The repulsive reference system of screened KKR (R. Zeller, P. H. Dederichs, B. Újfalussy,
/// L. Szunyogh, P. Weinberger, Phys. Rev. B 52, 8807 (1995), doi:10.1103/PhysRevB.52.8807;
/// KKR_NOTES §5): a constant potential V_ref (default 8 Ry, `JuKKR:clsgen_tb.f90`) in spheres of
/// radius R_ref around every site, zero outside. Its t-matrix is analytic
/// (`JuKKR:calctref.f90`): inside, the regular solution is j_l(q r), q = √(E − V_ref), so the
/// logarithmic derivative at R_ref is L = q j_l'(qR)/j_l(qR) and
///
///     t_l = [L j_l(κR) − κ j_l'(κR)] / (iκ [L h_l(κR) − κ h_l'(κR)]).
public struct ReferenceSystem: Sendable, Equatable, Codable {
    public var potentialRy: Double
    public var radiusBohr: Double
    public var lmax: Int

    public init(potentialRy: Double = 8, radiusBohr: Double, lmax: Int) {
        precondition(radiusBohr > 0 && lmax >= 0)
        self.potentialRy = potentialRy
        self.radiusBohr = radiusBohr
        self.lmax = lmax
    }

    /// t_l^ref(E), l = 0…lmax, for κ = √E.
    public func tMatrix(energy e: ComplexDouble, kappa: ComplexDouble) -> [ComplexDouble] {
        let q = ComplexDouble.sqrtUpper(e - potentialRy)
        let rr = radiusBohr
        let jq = SphericalBessel.j(lmax: lmax + 1, z: q * rr)
        let djq = SphericalBessel.derivatives(jq, z: q * rr)
        let logDeriv = (0...lmax).map { q * djq[$0] / jq[$0] }
        return SingleSiteMatching.tMatrix(logarithmicDerivative: logDeriv, kappa: kappa, radius: rr)
    }
}

/// Matching of an interior solution to the free solutions outside a sphere (KKR_NOTES §2.4),
/// in the convention R_l(r) = j_l(κr) − iκ t_l h_l(κr) outside, so t_l = −(1/κ) e^{iδ_l} sin δ_l.
public enum SingleSiteMatching {
    /// t_l = [L j_l(κR) − κ j_l'(κR)] / (iκ [L h_l(κR) − κ h_l'(κR)]) for the logarithmic
    /// derivatives L_l = R_l'(R)/R_l(R).
    public static func tMatrix(logarithmicDerivative: [ComplexDouble], kappa: ComplexDouble, radius: Double) -> [ComplexDouble] {
        let lmax = logarithmicDerivative.count - 1
        let x = kappa * radius
        let j = SphericalBessel.j(lmax: lmax + 1, z: x)
        let h = SphericalBessel.h(lmax: lmax + 1, z: x)
        let dj = SphericalBessel.derivatives(j, z: x)
        let dh = SphericalBessel.derivatives(h, z: x)
        let ik = ComplexDouble(0, 1) * kappa
        var t = [ComplexDouble](repeating: .zero, count: lmax + 1)
        for l in 0...lmax {
            let ll: ComplexDouble = logarithmicDerivative[l]
            let num: ComplexDouble = ll * j[l] - kappa * dj[l]
            let den: ComplexDouble = ik * (ll * h[l] - kappa * dh[l])
            t[l] = num / den
        }
        return t
    }
}
