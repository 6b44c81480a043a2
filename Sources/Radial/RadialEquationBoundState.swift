import Foundation
import KKRNumerics
import Numerics

/// Boundary condition of a bound state at large r.
public enum OuterBoundary: String, Sendable, CaseIterable {
    /// Decaying solution: P ∝ e^{−κr} at the practical infinity, or the decaying Hankel function at
    /// the mesh end when the state reaches it (KKR_NOTES §3). Requires E < V_out.
    case decaying
    /// P(r_max) = 0 (a hard wall at the mesh end): discrete states at any energy, also E > 0.
    /// A fallback for states that are not bound in a trial potential (early SCF iterations).
    case hardWall
}

/// Which components enter the normalisation and density of a scalar-relativistic state.
public enum SmallComponentConvention: String, Sendable, Codable, CaseIterable {
    /// ∫ (P² + Q²/c²) dr = 1 and density (P² + Q²/c²)/(4π r²) (JuKKR, KKR_NOTES §2.1 and §3).
    case largeAndSmall
    /// ∫ P² dr = 1 and density P²/(4π r²): the convention of the NIST ScRLDA tables (found by
    /// reproducing all published Mg ScRLDA numbers to 1e-6 Ha, docs/atom.md).
    case largeOnly
}

/// Settings of the bound-state search (`../shared/KKR_NOTES.md` §3).
public struct BoundStateOptions: Sendable {
    /// Stop when the Newton correction |δE| < max(tolerance, 4e-15·|E|) (Ry).
    public var toleranceRy: Double
    /// Maximal number of energy iterations (bisection + Newton).
    public var maxIterations: Int
    /// The practical infinity is where the WKB exponent ∫_{r_c}^{r} √(V + l(l+1)/r² − E) dr
    /// reaches this value (P has decayed to about e^{−exponent} of its turning-point value).
    public var decayExponent: Double
    /// Constant potential beyond the mesh end (Ry), used for the decaying-Hankel boundary
    /// condition when the practical infinity lies beyond the mesh (JuKKR `intcor.f90`: 0).
    public var outsidePotentialRy: Double
    public var scheme: AdamsScheme
    public var outerBoundary: OuterBoundary
    /// Normalisation of scalar-relativistic states (ignored non-relativistically: ∫ P² dr = 1).
    public var smallComponent: SmallComponentConvention

    public init(toleranceRy: Double = 1e-11, maxIterations: Int = 300, decayExponent: Double = 45,
                outsidePotentialRy: Double = 0, scheme: AdamsScheme = .implicitAdamsMoulton,
                outerBoundary: OuterBoundary = .decaying, smallComponent: SmallComponentConvention = .largeAndSmall) {
        self.smallComponent = smallComponent
        self.toleranceRy = toleranceRy
        self.maxIterations = maxIterations
        self.decayExponent = decayExponent
        self.outsidePotentialRy = outsidePotentialRy
        self.scheme = scheme
        self.outerBoundary = outerBoundary
    }
}

/// A normalised bound state: ∫_0^∞ (P² + Q²/c²) dr = 1 in SRA (or ∫ P² dr = 1 with
/// `.largeOnly`), ∫_0^∞ P² dr = 1 non-relativistically (KKR_NOTES §3 step 5), including the
/// part beyond the mesh end.
public struct BoundState: Sendable {
    public let n: Int
    public let l: Int
    public let energyRy: Double
    /// Large component P = r g on the mesh (zero beyond `lastIndex`).
    public let p: [Double]
    /// Second component Q on the mesh (small component Q/(c r) in SRA).
    public let q: [Double]
    /// Last mesh index where P was computed (the practical infinity, or the mesh end).
    public let lastIndex: Int
    /// Probability beyond the mesh end, ∫_{r_max}^{∞} (P² + Q²/c²) dr of the normalised state
    /// (decaying Hankel tail; 0 when the state has decayed inside the mesh).
    public let normBeyondMesh: Double
    /// The boundary condition used (`.hardWall` only when requested).
    public let outerBoundary: OuterBoundary
    /// Energy iterations used.
    public let iterations: Int
    public let relativity: Relativity
    public let speedOfLight: Double
    public let smallComponent: SmallComponentConvention

    /// Weight of Q² in densities: 1/c² for SRA with `.largeAndSmall`, else 0.
    public var smallComponentWeight: Double {
        relativity == .scalarRelativistic && smallComponent == .largeAndSmall ? 1 / (speedOfLight * speedOfLight) : 0
    }

    /// Radial probability density P² + Q²/c² (SRA, `.largeAndSmall`) or P² on the mesh: its
    /// integral over the mesh is 1 − `normBeyondMesh`.
    public var radialProbability: [Double] {
        let w = smallComponentWeight
        return (0..<p.count).map { p[$0] * p[$0] + w * q[$0] * q[$0] }
    }
}

extension RadialEquation {
    /// The bound state with principal quantum number n (n − l − 1 nodes of P) by node counting,
    /// bisection and the first-order (variational) energy correction (KKR_NOTES §3):
    ///
    ///     δE = P(r_c) [Q_out(r_c) − Q_in(r_c)] / ∫ (P² + Q²/c²) dr,
    ///
    /// which follows from d/dr (P₁Q₂ − Q₁P₂) = (E₁ − E₂)(P₁P₂ + Q₁Q₂/c² + O(1/c²)) for two
    /// solutions of the system; non-relativistically Q_out − Q_in = P'_out − P'_in.
    ///
    /// Outward integration runs from the origin to the outermost classical turning point r_c,
    /// inward integration from the practical infinity (WKB decay by `decayExponent`), started with
    /// P ∝ e^{−κ r}. When the practical infinity lies beyond the mesh end (core states in a
    /// Wigner–Seitz sphere), the inward solution starts at the mesh end from the decaying Hankel
    /// function P ∝ r h_l(iκr) with κ² = −ε(1 + ε/c²), ε = E − V_out (JuKKR `intcor.f90`), and the
    /// tail beyond the mesh is included in the normalisation and reported as `normBeyondMesh`.
    ///
    /// - Parameters:
    ///   - energyGuess: starting energy (e.g. the previous SCF iteration's eigenvalue); the
    ///     hydrogen-like −Z²/n² (or the bracket midpoint) otherwise.
    ///   - bracket: energy interval that contains the state; defaults to [−4Z²/n² − |v|max − 10, V_out).
    public func boundState(n: Int, energyGuess: Double? = nil, bracket: ClosedRange<Double>? = nil,
                           options: BoundStateOptions = BoundStateOptions()) throws -> BoundState {
        guard n > l else { throw RadialEquationError.boundStateNotFound(n: n, l: l, reason: "n must exceed l") }
        let target = n - l - 1
        let count = mesh.count
        let z = nuclearCharge
        let vOut = options.outsidePotentialRy
        var vmaxAbs = 0.0
        for v in smoothPotential { vmaxAbs = max(vmaxAbs, abs(v)) }
        let hardWall = options.outerBoundary == .hardWall
        var lo = bracket?.lowerBound ?? (-4 * z * z / Double(n * n) - vmaxAbs - 10)
        var hi = bracket?.upperBound ?? (hardWall ? vmaxAbs + 100 : vOut - 1e-10)
        if !hardWall { hi = min(hi, vOut - 1e-10) }
        guard lo < hi else {
            throw RadialEquationError.boundStateNotFound(n: n, l: l, reason: "empty energy bracket [\(lo), \(hi)] Ry")
        }
        var e = energyGuess ?? (z > 0 ? -z * z / Double(n * n) : 0.5 * (lo + hi))
        if !(e > lo && e < hi) { e = 0.5 * (lo + hi) }
        let out = RadialWorkspace<Double>(count: count)
        let inn = RadialWorkspace<Double>(count: count)
        let w2 = inverseC2
        var iterations = 0
        while iterations < options.maxIterations {
            iterations += 1
            if hi - lo < 1e-14 * max(1, abs(lo)) {
                throw RadialEquationError.boundStateNotFound(
                    n: n, l: l, reason: "energy bracket collapsed at \(lo) Ry without \(target) nodes (potential too shallow or mesh too short?)")
            }
            // 1. outermost classical turning point
            var ic = count - 1
            while ic > 0 && totalPotential[ic] + centrifugal[ic] >= e { ic -= 1 }
            if ic == 0 { lo = e; e = 0.5 * (lo + hi); continue }
            // 2. practical infinity
            var iInf = ic
            var exponent = 0.0
            while iInf < count - 1 && exponent < options.decayExponent {
                iInf += 1
                let k2 = totalPotential[iInf] + centrifugal[iInf] - e
                if k2 > 0 { exponent += k2.squareRoot() * mesh.drdi[iInf] }
            }
            if hardWall { iInf = count - 1 }
            let meshEnd = hardWall || exponent < options.decayExponent
            // 3. matching point
            let im = min(max(ic, 10), iInf - 6)
            guard im >= 10 else {
                throw RadialEquationError.boundStateNotFound(n: n, l: l, reason: "mesh too short (\(count) points)")
            }
            // 4. outward
            let nodesOut = integrateOutward(energy: e, upTo: im, scheme: options.scheme, workspace: out)
            if nodesOut > target { hi = e; e = 0.5 * (lo + hi); continue }
            if nodesOut < target { lo = e; e = 0.5 * (lo + hi); continue }
            // 5. inward start
            let start = hardWall ? (p: 0.0, q: -1 / regular.powerQ[iInf])
                : inwardStart(energy: e, index: iInf, meshEnd: meshEnd, outsidePotential: vOut)
            let nodesIn = integrateInward(energy: e, from: iInf, p: start.p, q: start.q, downTo: im,
                                          factorization: regular, scheme: options.scheme, workspace: inn)
            if nodesIn > 0 { hi = e; e = 0.5 * (lo + hi); continue }
            let pOut = out.p[im], pIn = inn.p[im]
            guard pOut != 0, pIn != 0, pOut.isFinite, pIn.isFinite else { lo = e; e = 0.5 * (lo + hi); continue }
            let scale = pOut / pIn
            // 6. norm and mismatch
            var norm = 0.0
            norm += simpson(from: 0, to: im) { i in
                let pp = out.p[i] * self.regular.powerP[i], qq = out.q[i] * self.regular.powerQ[i]
                return pp * pp + w2 * qq * qq
            }
            norm += scale * scale * simpson(from: im, to: iInf) { i in
                let pp = inn.p[i] * self.regular.powerP[i], qq = inn.q[i] * self.regular.powerQ[i]
                return pp * pp + w2 * qq * qq
            }
            let pm = pOut * regular.powerP[im]
            let dq = (out.q[im] - scale * inn.q[im]) * regular.powerQ[im]
            let de = pm * dq / norm
            if !de.isFinite { lo = e; e = 0.5 * (lo + hi); continue }
            if de > 0 { lo = max(lo, e) } else { hi = min(hi, e) }
            let tol = max(options.toleranceRy, 4e-15 * abs(e))
            if abs(de) < tol {
                return finish(n: n, energy: e + de, out: out, inn: inn, im: im, iInf: iInf, scale: scale,
                              meshEnd: meshEnd && !hardWall, outsidePotential: vOut, iterations: iterations,
                              boundary: options.outerBoundary, convention: options.smallComponent)
            }
            var next = e + de
            if !(next > lo && next < hi) { next = 0.5 * (lo + hi) }
            e = next
        }
        throw RadialEquationError.boundStateNotFound(
            n: n, l: l, reason: "no convergence in \(options.maxIterations) energy iterations (last E = \(e) Ry, bracket [\(lo), \(hi)])")
    }

    /// Composite Simpson (3/8 on the last three intervals when the count is even) of f(i)·dr/di
    /// over the mesh indices from…to.
    @usableFromInline
    func simpson(from a: Int, to b: Int, _ f: (Int) -> Double) -> Double {
        let d = mesh.drdi
        let k = b - a
        if k <= 0 { return 0 }
        if k == 1 { return 0.5 * (f(a) * d[a] + f(b) * d[b]) }
        var s = 0.0
        var end = b
        if k % 2 == 1 {
            if k == 3 {
                return 3.0 / 8.0 * (f(a) * d[a] + 3 * f(a + 1) * d[a + 1] + 3 * f(a + 2) * d[a + 2] + f(b) * d[b])
            }
            s += 3.0 / 8.0 * (f(b - 3) * d[b - 3] + 3 * f(b - 2) * d[b - 2] + 3 * f(b - 1) * d[b - 1] + f(b) * d[b])
            end = b - 3
        }
        var inner = f(a) * d[a] + f(end) * d[end]
        var i = a + 1
        while i < end {
            inner += (((i - a) & 1) == 1 ? 4 : 2) * f(i) * d[i]
            i += 1
        }
        return s + inner / 3
    }

    /// Factored starting values (p, q) of the decaying solution at mesh index i.
    func inwardStart(energy e: Double, index i: Int, meshEnd: Bool, outsidePotential vOut: Double) -> (p: Double, q: Double) {
        let r = mesh.r[i]
        var dPdr: Double
        let m: Double
        if meshEnd {
            // P = r h_l(iκr): log-derivative 1/r + iκ h_l'(z)/h_l(z), z = iκr (real for κ > 0).
            let eps = e - vOut
            let k2 = -eps * (1 + eps * inverseC2)
            let kappa = max(k2, 1e-300).squareRoot()
            m = 1 + eps * inverseC2
            let zz = ComplexDouble(0, kappa * r)
            let h = SphericalBessel.h(lmax: l + 1, z: zz)
            let dh = SphericalBessel.derivatives(h, z: zz)
            let ratio = ComplexDouble(0, kappa) * dh[l] / h[l]
            dPdr = 1 / r + ratio.real
        } else {
            let k2 = totalPotential[i] + centrifugal[i] - e
            dPdr = -max(k2, 0).squareRoot()
            m = massFactor(at: i, energy: e)
        }
        let pP = 1.0
        let qQ = (dPdr * pP - pP / r) / m
        return (pP / regular.powerP[i], qQ / regular.powerQ[i])
    }

    /// Assemble, normalise and package the converged state.
    func finish(n: Int, energy: Double, out: RadialWorkspace<Double>, inn: RadialWorkspace<Double>, im: Int, iInf: Int,
                scale: Double, meshEnd: Bool, outsidePotential vOut: Double, iterations: Int,
                boundary: OuterBoundary, convention: SmallComponentConvention) -> BoundState {
        let count = mesh.count
        var p = [Double](repeating: 0, count: count), q = p
        for i in 0...im {
            p[i] = out.p[i] * regular.powerP[i]
            q[i] = out.q[i] * regular.powerQ[i]
        }
        for i in (im + 1)...iInf {
            p[i] = scale * inn.p[i] * regular.powerP[i]
            q[i] = scale * inn.q[i] * regular.powerQ[i]
        }
        let w2 = convention == .largeAndSmall ? inverseC2 : 0
        var norm = simpson(from: 0, to: iInf) { p[$0] * p[$0] + w2 * q[$0] * q[$0] }
        var tail = 0.0
        if meshEnd { tail = tailNorm(energy: energy, pEnd: p[iInf], outsidePotential: vOut, smallComponentWeight: w2) }
        norm += tail
        let f = 1 / norm.squareRoot()
        for i in 0...iInf { p[i] *= f; q[i] *= f }
        return BoundState(n: n, l: l, energyRy: energy, p: p, q: q, lastIndex: iInf, normBeyondMesh: tail / norm,
                          outerBoundary: boundary, iterations: iterations, relativity: relativity,
                          speedOfLight: speedOfLight, smallComponent: convention)
    }

    /// ∫_{R}^{∞} (P² + Q²/c²) dr of the decaying exterior solution P = A r h_l(iκr) with
    /// P(R) = pEnd, Q = (P' − P/r)/M₀, by Simpson on a uniform grid to R + 40/κ.
    func tailNorm(energy e: Double, pEnd: Double, outsidePotential vOut: Double, smallComponentWeight w2: Double) -> Double {
        let rEnd = mesh.rmax
        let eps = e - vOut
        let kappa = max(-eps * (1 + eps * inverseC2), 1e-300).squareRoot()
        let m0 = 1 + eps * inverseC2
        // h_l(iκr) has an r-independent phase (i^{2−l}); remove it numerically.
        let hRef = SphericalBessel.h(lmax: l, z: ComplexDouble(0, kappa * rEnd))[l]
        let phase = ComplexDouble(hRef.real, -hRef.imaginary) / hRef.length
        func values(_ r: Double) -> (p: Double, q: Double) {
            let zz = ComplexDouble(0, kappa * r)
            let h = SphericalBessel.h(lmax: l + 1, z: zz)
            let dh = SphericalBessel.derivatives(h, z: zz)
            let pr = (phase * h[l]).real * r
            let dpr = (phase * h[l]).real + r * (phase * ComplexDouble(0, kappa) * dh[l]).real
            return (pr, (dpr - pr / r) / m0)
        }
        let ref = values(rEnd)
        guard ref.p != 0 else { return 0 }
        let a = pEnd / ref.p
        let length = 40 / kappa
        let steps = 2000
        let h = length / Double(steps)
        var s = 0.0
        for k in 0...steps {
            let r = rEnd + Double(k) * h
            let v = values(r)
            let g = a * a * (v.p * v.p + w2 * v.q * v.q)
            let w: Double = (k == 0 || k == steps) ? 1 : (k % 2 == 1 ? 4 : 2)
            s += w * g
        }
        return s * h / 3
    }
}
