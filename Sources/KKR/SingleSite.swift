import Foundation
import KKRNumerics
import Radial

/// Scattering solutions of one spherical potential for one l at one complex energy,
/// normalised for the KKR Green function (KKR_NOTES §2.4–2.5):
/// * regular: R_l(r) = P_R/r equals j_l(κr) − iκ t_l h_l(κr) at the sphere radius R (value and
///   logarithmic derivative);
/// * irregular: H_l(r) = P_H/r equals h_l(κr) at R (value and slope), integrated inward.
/// Q = r R'/M with M = 1 + (E − V)/c² (M = 1 non-relativistically).
/// The single-site Green function is G_s,l(r, r') = R_l(r_<) H_l(r_>)/W with the Wronskian
/// W = P_R Q_H − Q_R P_H (constant in r; W = i/κ for V = 0 non-relativistically, where
/// G_s,l = −iκ j_l h_l, KKR_NOTES §2.5). Using the computed W keeps G_s consistent with the
/// solutions also in the scalar-relativistic case (KKR_NOTES §2.5, normalisation subtlety).
public struct ScatteringChannel: Sendable {
    public var l: Int
    public var t: ComplexDouble
    public var regularP: [ComplexDouble]
    public var regularQ: [ComplexDouble]
    public var irregularP: [ComplexDouble]
    public var irregularQ: [ComplexDouble]
    public var wronskian: ComplexDouble
}

/// All channels l = 0…lmax of one site and spin at one energy.
public struct SingleSiteSolution: Sendable {
    public var energy: ComplexDouble
    public var kappa: ComplexDouble
    public var channels: [ScatteringChannel]

    /// t_l for every L = (l, m), length (lmax+1)² (spherical potential: t_LL' = t_l δ_LL').
    public var tMatrixDiagonal: [ComplexDouble] {
        let lmax = channels.count - 1
        return (0..<lmCount(lmax)).map { channels[lmPair($0).l].t }
    }
}

/// Solves the radial equations of a spherical potential at complex energies and matches them to
/// free solutions at the sphere radius (KKR_NOTES §2). The free propagation outside uses κ = √E,
/// as JuKKR's structure constants do (KKR_NOTES §4.3, SRA note: the O(E/c²) difference to the
/// relativistic momentum is irrelevant for valence states and the same choice is used
/// everywhere in this code).
public struct SingleSiteSolver: Sendable {
    public let relativity: Relativity
    public let speedOfLight: Double
    public let lmax: Int

    public init(lmax: Int, relativity: Relativity, speedOfLight: Double = SpeedOfLight.jukkrRy) {
        self.lmax = lmax
        self.relativity = relativity
        self.speedOfLight = speedOfLight
    }

    /// The radial equations of one spin channel for l = 0…lmax (build once per potential and
    /// reuse for all energies).
    public func equations(_ potential: SphericalPotential, spin: Int) throws -> [RadialEquation] {
        try (0...lmax).map {
            try RadialEquation(mesh: potential.mesh, nuclearCharge: Double(potential.atomicNumber),
                               smoothPotential: potential.smooth[spin], l: $0, relativity: relativity,
                               speedOfLight: speedOfLight)
        }
    }

    /// Solutions at energy E for the equations of one site and spin.
    public func solve(_ equations: [RadialEquation], energy e: ComplexDouble) throws -> SingleSiteSolution {
        precondition(equations.count == lmax + 1)
        let mesh = equations[0].mesh
        let last = mesh.count - 1
        let radius = mesh.rmax
        let kappa = ComplexDouble.sqrtUpper(e)
        let x = kappa * radius
        let jl = SphericalBessel.j(lmax: lmax + 1, z: x), hl = SphericalBessel.h(lmax: lmax + 1, z: x)
        let djl = SphericalBessel.derivatives(jl, z: x), dhl = SphericalBessel.derivatives(hl, z: x)
        let ik = ComplexDouble(0, 1) * kappa
        var channels: [ScatteringChannel] = []
        channels.reserveCapacity(lmax + 1)
        for (l, eq) in equations.enumerated() {
            let reg = try eq.regularSolution(energy: e, upTo: last)
            let m = eq.massFactor(at: last, energy: e)
            let pR = reg.p[last], qR = reg.q[last]
            // R = P/r and R' = M Q/r, so the logarithmic derivative is L = M Q / P at R.
            let logDeriv: ComplexDouble = m * qR / pR
            let num: ComplexDouble = logDeriv * jl[l] - kappa * djl[l]
            let den: ComplexDouble = ik * (logDeriv * hl[l] - kappa * dhl[l])
            let t = num / den
            let target: ComplexDouble = jl[l] - ik * t * hl[l]
            let scale: ComplexDouble = target * radius / pR
            let regP = reg.p.map { $0 * scale }, regQ = reg.q.map { $0 * scale }
            // irregular: P = r h_l(κr), Q = r (κ h_l')/M at R, integrated inward to index 1
            let pH: ComplexDouble = radius * hl[l]
            let qH: ComplexDouble = radius * kappa * dhl[l] / m
            var irr = try eq.inwardSolution(energy: e, from: last, p: pH, q: qH, downTo: 1)
            // r = 0: the irregular solution diverges; the density formulas never use index 0
            irr.p[0] = .zero; irr.q[0] = .zero
            let w: ComplexDouble = regP[last] * qH - regQ[last] * pH
            channels.append(ScatteringChannel(l: l, t: t, regularP: regP, regularQ: regQ,
                                              irregularP: irr.p, irregularQ: irr.q, wronskian: w))
        }
        return SingleSiteSolution(energy: e, kappa: kappa, channels: channels)
    }
}
