import ExchangeCorrelation
import Foundation
import KKRNumerics
import Radial

/// The potential of one atomic sphere from its lm-resolved density (KKR_NOTES §7), in two parts:
/// * the spherical ASA potential used in the scattering (phase 1):
///   V^σ_sph = V_H,00 Y_00 + v_xc^σ(n_sph) + V_M (Madelung monopole of the other sites);
/// * the non-spherical components V^σ_L(r), 1 ≤ l ≤ l_pot, written to potential files and used
///   as the model targets: Hartree V_H,L of the density component n_L, the intercell multipole
///   terms c_L r^l of the charges of the other sites, and the exchange–correlation part
///   v_xc,L(r) = ∫ v_xc(n(r, Ω)) Y_L(Ω) dΩ by angular quadrature of the full density
///   n(r, Ω) = Σ_L n_L(r) Y_L(Ω).
public struct SitePotentialBuilder: Sendable {
    public let lpot: Int
    public let xc: LDAEvaluator
    public let spinCount: Int
    /// Angular quadrature: directions and weights (Gauss–Legendre in cos θ × trapezoid in φ),
    /// with Y_L tabulated at each direction.
    let angularWeights: [Double]
    let angularY: [[Double]]

    public init(lpot: Int, functional: XCFunctional, spinPolarized: Bool) throws {
        self.lpot = lpot
        xc = try LDAEvaluator(functional, spinPolarized: spinPolarized)
        spinCount = spinPolarized ? 2 : 1
        let gl = GaussLegendre(points: lpot + 2)
        let nphi = 2 * lpot + 2
        var w: [Double] = [], y: [[Double]] = []
        for (it, ct) in gl.nodes.enumerated() {
            let st = (1 - ct * ct).squareRoot()
            for ip in 0..<nphi {
                let phi = 2 * Double.pi * Double(ip) / Double(nphi)
                y.append(RealSphericalHarmonics.values(lmax: lpot, x: st * cos(phi), y: st * sin(phi), z: ct))
                w.append(gl.weights[it] * 2 * Double.pi / Double(nphi))
            }
        }
        angularWeights = w
        angularY = y
    }

    /// - Parameters:
    ///   - density: total (valence + core) density per spin, lm-resolved [spin][L][r] (n_L with
    ///     n = Σ n_L Y_L), L up to l_pot.
    ///   - intercell: coefficients c_L of the intercell potential c_L r^l (from
    ///     `Electrostatics.intercellCoefficients`), or nil for none (neutral bulk).
    /// - Returns: spherical smooth part v^σ = V^σ_sph + 2Z/r per spin, and the non-spherical
    ///   components [spin][L][r] (index 0 is zero: the spherical part is returned separately).
    ///   - nonSpherical: compute the l > 0 components (false: spherical part only, for speed).
    public func build(density: [[[Double]]], mesh: RadialMesh, intercell: [Double]?, nonSpherical wantNonSpherical: Bool = true) throws
        -> (spherical: [[Double]], nonSpherical: [[[Double]]]) {
        precondition(density.count == spinCount)
        let n = mesh.count
        let nL = lmCount(lpot)
        let y00 = 1 / (4 * Double.pi).squareRoot()
        // total density components
        var total = [[Double]](repeating: [Double](repeating: 0, count: n), count: nL)
        for s in density { for lm in 0..<min(nL, s.count) { for i in 0..<n { total[lm][i] += s[lm][i] } } }
        // Hartree components (electronic; the nuclear −2Z/r is not part of the smooth potential)
        var hartree = [[Double]](repeating: [Double](repeating: 0, count: n), count: nL)
        for lm in 0..<(wantNonSpherical ? nL : 1) {
            let l = lmPair(lm).l
            if total[lm].allSatisfy({ $0 == 0 }) { continue }
            hartree[lm] = Electrostatics.hartreeComponent(l: l, density: total[lm], mesh: mesh)
        }
        if let c = intercell {
            for lm in 0..<min(nL, c.count) where c[lm] != 0 {
                let l = lmPair(lm).l
                for i in 0..<n { hartree[lm][i] += c[lm] * pow(mesh.r[i], Double(l)) }
            }
        }
        // spherical XC from the spherical density (ASA scattering potential)
        var spherical: [[Double]] = []
        if spinCount == 2 {
            let r = try xc.evaluate(up: density[0][0].map { max($0 * y00, 0) }, down: density[1][0].map { max($0 * y00, 0) })
            spherical = [(0..<n).map { hartree[0][$0] * y00 + r.potentialUpRy[$0] },
                         (0..<n).map { hartree[0][$0] * y00 + r.potentialDownRy[$0] }]
        } else {
            let r = try xc.evaluate(density: density[0][0].map { max($0 * y00, 0) })
            spherical = [(0..<n).map { hartree[0][$0] * y00 + r.potentialUpRy[$0] }]
        }
        // r = 0: the density there is an extrapolation (formulas divide by r²); make the smooth
        // potential continuous at the origin by quadratic extrapolation in r from points 1…3,
        // which the radial solver's origin expansion relies on.
        if n > 4 {
            let (r1, r2, r3) = (mesh.r[1], mesh.r[2], mesh.r[3])
            for sIdx in 0..<spherical.count {
                let (f1, f2, f3) = (spherical[sIdx][1], spherical[sIdx][2], spherical[sIdx][3])
                // Lagrange through (r1,f1), (r2,f2), (r3,f3) evaluated at 0
                let l1 = r2 * r3 / ((r1 - r2) * (r1 - r3))
                let l2 = r1 * r3 / ((r2 - r1) * (r2 - r3))
                let l3 = r1 * r2 / ((r3 - r1) * (r3 - r2))
                spherical[sIdx][0] = l1 * f1 + l2 * f2 + l3 * f3
            }
        }
        // non-spherical XC by angular projection
        let na = angularWeights.count
        var nonSpherical = [[[Double]]](repeating: [[Double]](repeating: [Double](repeating: 0, count: n), count: nL), count: spinCount)
        let hasNonSpherical = wantNonSpherical && density.contains { s in s.dropFirst().contains { $0.contains { $0 != 0 } } }
        if hasNonSpherical {
            for i in 0..<n {
                var up = [Double](repeating: 0, count: na), down = [Double](repeating: 0, count: na)
                for a in 0..<na {
                    var su = 0.0, sd = 0.0
                    for lm in 0..<nL {
                        su += density[0][lm][i] * angularY[a][lm]
                        if spinCount == 2 { sd += density[1][lm][i] * angularY[a][lm] }
                    }
                    up[a] = max(su, 0); down[a] = max(sd, 0)
                }
                let r = spinCount == 2 ? try xc.evaluate(up: up, down: down) : try xc.evaluate(density: up)
                for lm in 1..<nL {
                    var pu = 0.0, pd = 0.0
                    for a in 0..<na {
                        pu += angularWeights[a] * r.potentialUpRy[a] * angularY[a][lm]
                        pd += angularWeights[a] * r.potentialDownRy[a] * angularY[a][lm]
                    }
                    nonSpherical[0][lm][i] = pu
                    if spinCount == 2 { nonSpherical[1][lm][i] = pd }
                }
            }
        }
        if wantNonSpherical {
            for s in 0..<spinCount { for lm in 1..<nL { for i in 0..<n { nonSpherical[s][lm][i] += hartree[lm][i] } } }
        }
        return (spherical, nonSpherical)
    }
}
