import Foundation
import KKRNumerics

/// One point of a complex energy contour with its integration weight, such that
/// ∫ f_T(E) F(E) dE ≈ Σ_j w_j F(z_j) for F analytic in the upper half plane.
public struct ContourPoint: Sendable, Equatable, Codable {
    public var energy: ComplexDouble
    public var weight: ComplexDouble
    /// Which part of the contour the point belongs to.
    public var leg: Leg

    public enum Leg: String, Sendable, Codable { case vertical, horizontal, fermiTail, matsubara, realAxis }
}

/// Errors in contour construction.
public enum ContourError: Error, CustomStringConvertible {
    case invalid(String)
    public var description: String {
        switch self { case .invalid(let s): return "invalid energy contour: \(s)" }
    }
}

/// The rectangular complex-energy contour with Matsubara poles used by JuKKR
/// (`JuKKR:source/KKRhost/emesht.f90`; `../shared/KKR_NOTES.md` §6.1; K. Wildberger, P. Lang,
/// R. Zeller, P. H. Dederichs, Phys. Rev. B 52, 11502 (1995), doi:10.1103/PhysRevB.52.11502):
///
///     ∫ f(E) F(E) dE = ∫_C f(z) F(z) dz − 2πi k_BT Σ_{n=1}^{N_pol} F(z_n),  z_n = E_F + i(2n−1)πk_BT
///
/// with C: (i) E_B → E_B + 2iN_pol πk_BT (NPT1 Gauss–Legendre points), (ii) → E_F − 30k_BT +
/// 2iN_pol πk_BT (NPT2 Gauss–Legendre points), (iii) → +∞ + 2iN_pol πk_BT with NPT3 points of a
/// Gauss rule whose weight is the Fermi function (on this line f(z) = f(Re z) because
/// e^{2πiN_pol} = 1). Densities are n = −(1/π) Im Σ_j w_j G(z_j).
public struct EnergyContour: Sendable, Equatable, Codable {
    public var bottomRy: Double
    public var fermiEnergyRy: Double
    public var temperatureK: Double
    public var poles: Int
    public var verticalPoints: Int
    public var horizontalPoints: Int
    public var tailPoints: Int
    public private(set) var points: [ContourPoint]

    /// k_B T in Ry.
    public var kT: Double { PhysicalConstants.boltzmannRyPerK * temperatureK }

    public init(bottomRy: Double, fermiEnergyRy: Double, temperatureK: Double = 800, poles: Int = 7,
                verticalPoints: Int = 3, horizontalPoints: Int = 24, tailPoints: Int = 3) throws {
        guard temperatureK > 0 else { throw ContourError.invalid("temperature \(temperatureK) K must be positive") }
        guard poles >= 1 else { throw ContourError.invalid("need at least one Matsubara pole (NPOL ≥ 1)") }
        guard verticalPoints >= 1, horizontalPoints >= 1, tailPoints >= 1 else {
            throw ContourError.invalid("NPT1, NPT2, NPT3 must be ≥ 1")
        }
        let kT = PhysicalConstants.boltzmannRyPerK * temperatureK
        guard bottomRy < fermiEnergyRy - 30 * kT else {
            throw ContourError.invalid("contour bottom \(bottomRy) Ry must lie below E_F − 30 k_BT = \(fermiEnergyRy - 30 * kT) Ry")
        }
        self.bottomRy = bottomRy
        self.fermiEnergyRy = fermiEnergyRy
        self.temperatureK = temperatureK
        self.poles = poles
        self.verticalPoints = verticalPoints
        self.horizontalPoints = horizontalPoints
        self.tailPoints = tailPoints
        let etk = Double.pi * kT
        let height = 2 * Double(poles) * etk
        var pts: [ContourPoint] = []
        // (i) vertical leg
        let gl1 = GaussLegendre(points: verticalPoints)
        for (x, w) in zip(gl1.nodes, gl1.weights) {
            let half = ComplexDouble(0, height / 2)
            pts.append(ContourPoint(energy: ComplexDouble(bottomRy, 0) + (x + 1) * half, weight: w * half, leg: .vertical))
        }
        // (ii) horizontal leg
        let gl2 = GaussLegendre(points: horizontalPoints)
        let half2 = (fermiEnergyRy - 30 * kT - bottomRy) / 2
        for (x, w) in zip(gl2.nodes, gl2.weights) {
            pts.append(ContourPoint(energy: ComplexDouble(bottomRy + (x + 1) * half2, height), weight: ComplexDouble(w * half2, 0),
                                    leg: .horizontal))
        }
        // (iii) Fermi tail: y = (E − E_F)/k_BT ∈ [−30, ∞), weight 1/(e^y + 1)
        let (ys, ws) = FermiGaussRule.rule(points: tailPoints)
        for (y, w) in zip(ys, ws) {
            pts.append(ContourPoint(energy: ComplexDouble(fermiEnergyRy + kT * y, height), weight: ComplexDouble(kT * w, 0),
                                    leg: .fermiTail))
        }
        // Matsubara poles, weight −2πi k_BT
        for n in stride(from: poles, through: 1, by: -1) {
            pts.append(ContourPoint(energy: ComplexDouble(fermiEnergyRy, Double(2 * n - 1) * etk),
                                    weight: ComplexDouble(0, -2 * kT * Double.pi), leg: .matsubara))
        }
        points = pts
    }

    /// Same parameters with a new Fermi level (the contour is rebuilt).
    public func shifted(toFermiEnergy ef: Double) throws -> EnergyContour {
        try EnergyContour(bottomRy: bottomRy, fermiEnergyRy: ef, temperatureK: temperatureK, poles: poles,
                          verticalPoints: verticalPoints, horizontalPoints: horizontalPoints, tailPoints: tailPoints)
    }

    /// Points just above the real axis for a density of states: E_k + iη, k = 0…n−1, equally
    /// spaced on [from, to], with trapezoidal weights (JuKKR NPOL = 0 uses η = πk_BT).
    public static func realAxis(from e0: Double, to e1: Double, points n: Int, broadeningRy eta: Double) -> [ContourPoint] {
        precondition(n >= 2 && e1 > e0 && eta > 0)
        let de = (e1 - e0) / Double(n - 1)
        return (0..<n).map { k in
            let w = (k == 0 || k == n - 1) ? de / 2 : de
            return ContourPoint(energy: ComplexDouble(e0 + Double(k) * de, eta), weight: ComplexDouble(w, 0), leg: .realAxis)
        }
    }
}

/// Gauss quadrature with the Fermi weight w(y) = 1/(e^y + 1) on [−30, ∞) (the role of JuKKR's
/// `gaufd`): nodes and weights from the Golub–Welsch eigenvalue method applied to the Jacobi
/// matrix of the polynomials orthogonal for w, built by the discretised Stieltjes procedure on a
/// fine Gauss–Legendre grid of [−30, 40] (w < 5e-18 beyond 40).
/// G. H. Golub, J. H. Welsch, Math. Comp. 23, 221 (1969), doi:10.1090/S0025-5718-69-99647-1;
/// W. Gautschi, *Orthogonal Polynomials: Computation and Approximation* (OUP 2004), §2.2.3.
public enum FermiGaussRule {
    public static func rule(points n: Int) -> (nodes: [Double], weights: [Double]) {
        precondition(n >= 1 && n <= 30)
        // discretisation of the measure
        let gl = GaussLegendre(points: 400)
        var xs: [Double] = [], ws: [Double] = []
        let panels: [(Double, Double)] = [(-30, -10), (-10, 0), (0, 10), (10, 40)]
        for (a, b) in panels {
            let (x, w) = gl.mapped(to: a, b)
            for i in 0..<x.count { xs.append(x[i]); ws.append(w[i] / (exp(x[i]) + 1)) }
        }
        // Stieltjes: p_{k+1} = (x − α_k) p_k − β_k p_{k−1}
        var alpha = [Double](repeating: 0, count: n), beta = [Double](repeating: 0, count: n)
        var pPrev = [Double](repeating: 0, count: xs.count)
        var p = [Double](repeating: 1, count: xs.count)
        var normPrev = 1.0
        for k in 0..<n {
            var norm = 0.0, xnorm = 0.0
            for i in 0..<xs.count { let t = ws[i] * p[i] * p[i]; norm += t; xnorm += t * xs[i] }
            alpha[k] = xnorm / norm
            beta[k] = k == 0 ? norm : norm / normPrev
            var next = [Double](repeating: 0, count: xs.count)
            for i in 0..<xs.count { next[i] = (xs[i] - alpha[k]) * p[i] - (k == 0 ? 0 : beta[k] * pPrev[i]) }
            pPrev = p; p = next; normPrev = norm
        }
        // Golub–Welsch: eigen-decomposition of the symmetric tridiagonal Jacobi matrix.
        var j = RealMatrix(rows: n, cols: n)
        for k in 0..<n { j[k, k] = alpha[k] }
        for k in 1..<max(1, n) where n > 1 { j[k, k - 1] = beta[k].squareRoot(); j[k - 1, k] = beta[k].squareRoot() }
        let (vals, vecs) = try! j.symmetricEigen()
        let weights = (0..<n).map { beta[0] * vecs[0, $0] * vecs[0, $0] }
        return (vals, weights)
    }
}
