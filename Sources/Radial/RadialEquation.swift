import Foundation
import KKRNumerics
import Numerics

/// Which radial equation is solved (`../shared/KKR_NOTES.md` §2.1).
public enum Relativity: String, Sendable, Codable, CaseIterable {
    /// Schrödinger equation, −P'' + [l(l+1)/r² + V] P = E P (Ry units).
    case nonRelativistic
    /// Scalar-relativistic (Koelling–Harmon, spin–orbit dropped) first-order system.
    case scalarRelativistic
}

/// Speed of light in Rydberg atomic units (c = 2/α).
public enum SpeedOfLight {
    /// JuKKR's `cvlight` (`../shared/KKR_NOTES.md`, preamble).
    public static let jukkrRy = 274.0720442
    /// The NIST atomic tables' c = 137.0359895 a.u. (1986 CODATA α), i.e. 274.071979 in Ry units
    /// (Kotochigova et al., Phys. Rev. A 55, 191 (1997), doi:10.1103/PhysRevA.55.191).
    public static let nistRy = 2 * 137.0359895
}

/// Errors of the radial-equation layer. Each says what is wrong and what to do.
public enum RadialEquationError: Error, CustomStringConvertible, Equatable {
    case lengthMismatch(potential: Int, mesh: Int)
    case invalidAngularMomentum(Int)
    case invalidSpeedOfLight(Double)
    case indexOutOfRange(index: Int, allowed: ClosedRange<Int>, what: String)
    case nonFinitePotential(index: Int)
    case boundStateNotFound(n: Int, l: Int, reason: String)

    public var description: String {
        switch self {
        case .lengthMismatch(let p, let m):
            return "the potential has \(p) values but the radial mesh has \(m) points: tabulate v(r) = V(r) + 2Z/r on the same mesh"
        case .invalidAngularMomentum(let l):
            return "angular momentum l = \(l) is invalid: use l ≥ 0"
        case .invalidSpeedOfLight(let c):
            return "speed of light c = \(c) is invalid (it must be positive, and above 2Z (Ry units) for a point nucleus in SRA): use SpeedOfLight.jukkrRy (274.072 in Ry units)"
        case .indexOutOfRange(let i, let r, let what):
            return "\(what): mesh index \(i) is outside \(r.lowerBound)…\(r.upperBound); choose an index inside the mesh (5 points are needed to start the Adams integrator)"
        case .nonFinitePotential(let i):
            return "the smooth potential v(r) is not finite at mesh index \(i): check the input potential (NaN or infinity)"
        case .boundStateNotFound(let n, let l, let reason):
            return "no bound state n = \(n), l = \(l) found: \(reason)"
        }
    }
}

/// Linear multistep scheme of the radial integrator (`../shared/KKR_NOTES.md` §2.3).
public enum AdamsScheme: String, Sendable, CaseIterable {
    /// 4-step (5th-order) Adams–Moulton formula solved exactly at every step. Because the
    /// radial system is linear, y_{n+1} = y_n + h[b₀ A_{n+1} y_{n+1} + Σ_k b_k f_{n+1−k}] is a
    /// 2×2 linear system; this is the limit of the predictor–corrector scheme with the corrector
    /// iterated to convergence (as in dftatom, O. Čertík et al., Comput. Phys. Commun. 184,
    /// 1777 (2013), doi:10.1016/j.cpc.2013.02.014). Default: larger stability region, same cost.
    case implicitAdamsMoulton
    /// JuKKR's scheme (`JuKKR:source/KKRhost/regsol.f90`, `irwsol.f90`): 5-step Adams–Bashforth
    /// predictor (1901, −2774, 2616, −1274, 251)/720, then the Adams–Moulton corrector
    /// (251, 646, −264, 106, −19)/720 applied once.
    case predictorCorrector
}

/// The radial equations for one angular momentum l in a spherical potential
/// (`../shared/KKR_NOTES.md` §2.1, Koelling & Harmon, J. Phys. C 10, 3107 (1977),
/// doi:10.1088/0022-3719/10/16/019), in Rydberg units (ħ = 1, 2m = 1, e² = 2):
///
///     M(r) = 1 + (E − V(r))/c²        (M = 1 non-relativistically)
///     P' = M Q + P/r
///     Q' = [ l(l+1)/(M r²) + V(r) − E ] P − Q/r
///
/// P = r·g is the large component, Q/(c r) the small one (SRA densities use P² + Q²/c²).
/// Non-relativistically Q = P' − P/r. The potential is given as the nuclear charge Z and the
/// smooth part v(r) = V(r) + 2Z/r on the mesh (JuKKR's `vm2z`), so r = 0 is never divided by.
///
/// **Factored variables.** The integrator works with p = P/r^{s_P}, q = Q/r^{s_Q}, which are
/// analytic at the origin (JuKKR `regsol.f90` factors r^s out the same way):
/// * scalar-relativistic, Z > 0: s_P = s_Q = s = √(l(l+1) + 1 − (2Z/c)²) (§2.2);
/// * non-relativistic, or Z = 0: s_P = l + 1, s_Q = l (P ∝ r^{l+1}, Q ∝ r^l).
/// In the mesh index i (unit step, r = b(e^{a i} − 1), dr/di = a(r + b)) the system is
/// d(p, q)/di = A(i)·(p, q) with
///
///     A = (dr/di) [ (1 − s_P)/r      M r^{s_Q − s_P}        ]
///                 [ W r^{s_P − s_Q}  −(1 + s_Q)/r           ],   W = l(l+1)/(M r²) + V − E.
///
/// The value type is cheap to build (a few arrays of the mesh length); build one per (potential,
/// l) and call it for many energies. All integration routines are generic over `RadialScalar`
/// (real E for bound states, complex E for the KKR t-matrix) and `@inlinable`, so they
/// specialise in the calling module.
public struct RadialEquation: Sendable {
    public let mesh: RadialMesh
    /// Nuclear charge Z (point nucleus).
    public let nuclearCharge: Double
    /// Smooth part v(r) = V(r) + 2Z/r in Ry on the mesh.
    public let smoothPotential: [Double]
    public let l: Int
    public let relativity: Relativity
    /// Speed of light in Ry units (used only for `.scalarRelativistic`).
    public let speedOfLight: Double
    /// Exponent s_P of the factored large component (P = r^{s_P} p).
    public let exponentP: Double
    /// Exponent s_Q of the factored second component (Q = r^{s_Q} q).
    public let exponentQ: Double

    /// 1/c² for SRA, 0 non-relativistically.
    @usableFromInline let inverseC2: Double
    /// V(r_i) = v_i − 2Z/r_i in Ry for i ≥ 1 (index 0 holds v_0; never used as V).
    @usableFromInline let totalPotential: [Double]
    /// l(l+1)/r² (index 0 unused).
    @usableFromInline let centrifugal: [Double]
    /// (dr/di) r^{s_Q − s_P} and (dr/di) r^{s_P − s_Q} (the same for both factorisations).
    @usableFromInline let offDiagonalPQ: [Double]
    @usableFromInline let offDiagonalQP: [Double]
    /// Factorisation for solutions regular at the origin (p = P/r^{s_P}, s_P = s or l + 1).
    @usableFromInline let regular: RadialFactorization
    /// Factorisation for solutions irregular at the origin (p = P r^{s}, or P r^{l} and
    /// q = Q r^{l+1} non-relativistically), analytic for the irregular solution.
    @usableFromInline let irregular: RadialFactorization

    /// - Parameters:
    ///   - mesh: exponential radial mesh (r[0] = 0).
    ///   - nuclearCharge: Z ≥ 0 of the point nucleus.
    ///   - smoothPotential: v(r) = V(r) + 2Z/r in Ry on every mesh point.
    ///   - l: angular momentum.
    ///   - relativity: non- or scalar-relativistic equation.
    ///   - speedOfLight: c in Ry units (default JuKKR's 274.0720442).
    public init(mesh: RadialMesh, nuclearCharge: Double, smoothPotential: [Double], l: Int,
                relativity: Relativity, speedOfLight: Double = SpeedOfLight.jukkrRy) throws {
        guard smoothPotential.count == mesh.count else {
            throw RadialEquationError.lengthMismatch(potential: smoothPotential.count, mesh: mesh.count)
        }
        guard l >= 0 else { throw RadialEquationError.invalidAngularMomentum(l) }
        guard speedOfLight > 0, speedOfLight.isFinite else { throw RadialEquationError.invalidSpeedOfLight(speedOfLight) }
        if let bad = smoothPotential.firstIndex(where: { !$0.isFinite }) { throw RadialEquationError.nonFinitePotential(index: bad) }
        self.mesh = mesh
        self.nuclearCharge = nuclearCharge
        self.smoothPotential = smoothPotential
        self.l = l
        self.relativity = relativity
        self.speedOfLight = speedOfLight
        let z = nuclearCharge
        let ll = Double(l * (l + 1))
        if relativity == .scalarRelativistic && z > 0 {
            let twoZc = 2 * z / speedOfLight
            guard ll + 1 - twoZc * twoZc > 0 else {
                throw RadialEquationError.invalidSpeedOfLight(speedOfLight)
            }
            let s = (ll + 1 - twoZc * twoZc).squareRoot()
            exponentP = s
            exponentQ = s
        } else {
            exponentP = Double(l + 1)
            exponentQ = Double(l)
        }
        inverseC2 = relativity == .scalarRelativistic ? 1 / (speedOfLight * speedOfLight) : 0
        let n = mesh.count
        var vt = [Double](repeating: 0, count: n)
        var cf = [Double](repeating: 0, count: n)
        var opq = [Double](repeating: 0, count: n), oqp = [Double](repeating: 0, count: n)
        let delta = exponentP - exponentQ   // 0 or 1
        vt[0] = smoothPotential[0]
        for i in 1..<n {
            let r = mesh.r[i], d = mesh.drdi[i]
            vt[i] = smoothPotential[i] - 2 * z / r
            cf[i] = ll / (r * r)
            opq[i] = delta == 0 ? d : d / r
            oqp[i] = delta == 0 ? d : d * r
        }
        totalPotential = vt
        centrifugal = cf
        offDiagonalPQ = opq
        offDiagonalQP = oqp
        regular = RadialFactorization(mesh: mesh, exponentP: exponentP, exponentQ: exponentQ, l: l, kind: .regular)
        irregular = RadialFactorization(mesh: mesh, exponentP: -(delta == 0 ? exponentP : Double(l)),
                                        exponentQ: -(delta == 0 ? exponentQ : Double(l + 1)), l: l, kind: .irregular)
    }

    /// True when the factored variables use s_P = s_Q (SRA with Z > 0).
    @inlinable var equalExponents: Bool { exponentP == exponentQ }

    /// Sub-steps per mesh interval of the Runge–Kutta start (RK4 local error ∝ step⁵; with two
    /// sub-steps the four starting steps stay well below the accumulated 5th-order Adams error).
    @inlinable var rungeKuttaSubsteps: Int { 2 }

    /// The potential V(r_i) in Ry (−∞ at r = 0 for Z > 0).
    public func potential(at i: Int) -> Double {
        i == 0 ? (nuclearCharge > 0 ? -.infinity : smoothPotential[0]) : totalPotential[i]
    }

    /// M(r_i) = 1 + (E − V(r_i))/c² (1 non-relativistically); i ≥ 1.
    @inlinable
    public func massFactor<S: RadialScalar>(at i: Int, energy: S) -> S {
        if inverseC2 == 0 { return S.fromReal(1) }
        return S.fromReal(1) + (energy - S.fromReal(totalPotential[i])).scaled(by: inverseC2)
    }

    /// dP/dr = M Q + P/r at mesh index i ≥ 1 (for matching to free solutions, KKR_NOTES §2.4).
    @inlinable
    public func derivativeP<S: RadialScalar>(at i: Int, p: S, q: S, energy: S) -> S {
        massFactor(at: i, energy: energy) * q + p.scaled(by: 1 / mesh.r[i])
    }

    // MARK: - Coefficient matrix A(i) in the mesh index

    /// The 2×2 matrix A at integer index i ≥ 1 for energy E; m0 = 1 + E/c².
    @inlinable @inline(__always)
    func matrix<S: RadialScalar>(_ i: Int, energy: S, m0: S, _ f: RadialFactorization) -> (a11: Double, a12: S, a21: S, a22: Double) {
        let v = totalPotential[i]
        if inverseC2 == 0 {
            let w = S.fromReal(centrifugal[i] + v) - energy
            return (f.diagonalP[i], S.fromReal(offDiagonalPQ[i]), w.scaled(by: offDiagonalQP[i]), f.diagonalQ[i])
        }
        let m = m0 - S.fromReal(v * inverseC2)
        let w = S.fromReal(centrifugal[i]) / m + S.fromReal(v) - energy
        return (f.diagonalP[i], m.scaled(by: offDiagonalPQ[i]), w.scaled(by: offDiagonalQP[i]), f.diagonalQ[i])
    }

    /// Smooth potential at the fractional index t by 4-point Lagrange (cubic) interpolation in
    /// the index (nodes ⌊t⌋−1 … ⌊t⌋+2, shifted inward at the mesh ends).
    @inlinable
    func smoothPotential(atIndex t: Double) -> Double {
        let v = smoothPotential
        let n = v.count
        var i0 = Int(t.rounded(.down)) - 1
        i0 = max(0, min(i0, n - 4))
        let x = t - Double(i0)
        let w0 = -(x - 1) * (x - 2) * (x - 3) / 6
        let w1 = x * (x - 2) * (x - 3) / 2
        let w2 = -x * (x - 1) * (x - 3) / 2
        let w3 = x * (x - 1) * (x - 2) / 6
        return w0 * v[i0] + w1 * v[i0 + 1] + w2 * v[i0 + 2] + w3 * v[i0 + 3]
    }

    /// The matrix A at a fractional index t > 0 (Runge–Kutta stages), computed from the mesh
    /// formula r = b(e^{a t} − 1), dr/di = a b e^{a t} and the interpolated smooth potential.
    @inlinable
    func matrix<S: RadialScalar>(at t: Double, energy: S, m0: S, _ f: RadialFactorization) -> (a11: Double, a12: S, a21: S, a22: Double) {
        let e = Foundation.exp(mesh.a * t)
        let r = mesh.b * (e - 1)
        let d = mesh.a * mesh.b * e
        let v = smoothPotential(atIndex: t) - 2 * nuclearCharge / r
        let delta = exponentP - exponentQ
        let a11 = d * (1 - f.exponentP) / r
        let a22 = -d * (1 + f.exponentQ) / r
        let gpq = delta == 0 ? d : d / r
        let gqp = delta == 0 ? d : d * r
        let cent = Double(l * (l + 1)) / (r * r)
        if inverseC2 == 0 {
            return (a11, S.fromReal(gpq), (S.fromReal(cent + v) - energy).scaled(by: gqp), a22)
        }
        let m = m0 - S.fromReal(v * inverseC2)
        let w = S.fromReal(cent) / m + S.fromReal(v) - energy
        return (a11, m.scaled(by: gpq), w.scaled(by: gqp), a22)
    }

    /// Regular solution at the origin in factored variables: (p₀, q₀) and the first-order
    /// Taylor coefficients (p₁, q₁) of p = p₀ + p₁ r + …, q = q₀ + q₁ r + …, for V ≈ −2Z/r + v₀.
    ///
    /// SRA, Z > 0 (r M = α + β r with α = 2Z/c², β = 1 + (E − v₀)/c², L = l(l+1)):
    ///     q₀ = (s − 1) p₀/α,   p₁ = [C p₀ + (2+s) β q₀/α] / [((2+s)s − L)/α + 2Z],
    ///     q₁ = (s p₁ − β q₀)/α,   C = v₀ − E − L β/α²
    /// (from r p' = rM q + (1−s) p and r q' = [L/(rM) − 2Z + r(v₀ − E)] p − (1+s) q order by order;
    /// q₀ agrees with KKR_NOTES §2.2).
    /// Non-relativistic or Z = 0 (M ≈ M₀ = 1 + (E − v₀)/c²): q₀ = l p₀/M₀, p₁ = −Z M₀ p₀/(l+1),
    /// q₁ = −Z p₀ (hydrogen check: P = r(1 − Z r + …)).
    @inlinable
    func originSeries<S: RadialScalar>(energy: S) -> (p0: S, q0: S, p1: S, q1: S) {
        let z = nuclearCharge
        let ll = Double(l * (l + 1))
        let v0 = smoothPotential[0]
        let p0 = S.fromReal(1)
        if equalExponents {
            let s = exponentP
            let alpha = 2 * z * inverseC2
            let beta = S.fromReal(1) + (energy - S.fromReal(v0)).scaled(by: inverseC2)
            let q0 = S.fromReal((s - 1) / alpha)
            let c = S.fromReal(v0) - energy - beta.scaled(by: ll / (alpha * alpha))
            let denom = ((2 + s) * s - ll) / alpha + 2 * z
            let num = c * p0 + (beta * q0).scaled(by: (2 + s) / alpha)
            let p1 = num.scaled(by: 1 / denom)
            let q1 = (p1.scaled(by: s) - beta * q0).scaled(by: 1 / alpha)
            return (p0, q0, p1, q1)
        }
        let m0 = S.fromReal(1) + (energy - S.fromReal(v0)).scaled(by: inverseC2)
        let q0 = S.fromReal(Double(l)) / m0
        let p1 = (m0).scaled(by: -z / Double(l + 1))
        let q1 = S.fromReal(-z)
        return (p0, q0, p1, q1)
    }
}

/// The factor r^{s_P}, r^{s_Q} taken out of P and Q, with the E-independent diagonal of the
/// index-space matrix A (`RadialEquation`): (dr/di)(1 − s_P)/r and −(dr/di)(1 + s_Q)/r.
public struct RadialFactorization: Sendable {
    public enum Kind: Sendable { case regular, irregular }
    public let kind: Kind
    public let exponentP: Double
    public let exponentQ: Double
    @usableFromInline let diagonalP: [Double]
    @usableFromInline let diagonalQ: [Double]
    /// r^{s_P}, r^{s_Q} (index 0: 0 for positive, 1 for zero exponents; +∞ for negative ones).
    public let powerP: [Double]
    public let powerQ: [Double]

    init(mesh: RadialMesh, exponentP: Double, exponentQ: Double, l: Int, kind: Kind) {
        self.kind = kind
        self.exponentP = exponentP
        self.exponentQ = exponentQ
        let n = mesh.count
        var dp = [Double](repeating: 0, count: n), dq = dp
        var pp = [Double](repeating: 0, count: n), pq = pp
        func origin(_ s: Double) -> Double { s > 0 ? 0 : (s == 0 ? 1 : .infinity) }
        pp[0] = origin(exponentP)
        pq[0] = origin(exponentQ)
        let integerExponents = exponentP == exponentP.rounded() && exponentQ == exponentQ.rounded()
        for i in 1..<n {
            let r = mesh.r[i], d = mesh.drdi[i]
            dp[i] = d * (1 - exponentP) / r
            dq[i] = -d * (1 + exponentQ) / r
            if integerExponents {
                pp[i] = RadialFactorization.integerPower(r, Int(exponentP))
                pq[i] = RadialFactorization.integerPower(r, Int(exponentQ))
            } else {
                pp[i] = Foundation.pow(r, exponentP)
                pq[i] = exponentQ == exponentP ? pp[i] : Foundation.pow(r, exponentQ)
            }
        }
        diagonalP = dp
        diagonalQ = dq
        powerP = pp
        powerQ = pq
    }

    static func integerPower(_ r: Double, _ k: Int) -> Double {
        var x = 1.0
        for _ in 0..<abs(k) { x *= r }
        return k >= 0 ? x : 1 / x
    }
}
