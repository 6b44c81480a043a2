import Foundation
import KKRNumerics
import Numerics

/// Storage for one integration: the factored variables p = P/r^{s_P}, q = Q/r^{s_Q} and their
/// index derivatives dp/di, dq/di on the mesh. Reuse one workspace for many energies to avoid
/// allocations (one per thread; not shared).
public final class RadialWorkspace<S: RadialScalar> {
    @usableFromInline var p: [S]
    @usableFromInline var q: [S]
    @usableFromInline var fp: [S]
    @usableFromInline var fq: [S]

    public init(count: Int) {
        p = [S](repeating: .zero, count: count)
        q = p
        fp = p
        fq = p
    }

    @inlinable func ensure(_ count: Int) {
        if p.count < count {
            p = [S](repeating: .zero, count: count)
            q = p
            fp = p
            fq = p
        }
    }
}

/// A solution of the radial equations on the mesh indices `range` (values outside are zero).
public struct RadialSolution<S: RadialScalar>: Sendable {
    /// Energy E (Ry).
    public var energy: S
    /// Large component P(r) = r g(r).
    public var p: [S]
    /// Second component Q (Q/(c r) is the small component in SRA; Q = P' − P/r otherwise).
    public var q: [S]
    /// Mesh indices on which P, Q were computed.
    public var range: ClosedRange<Int>
    /// Sign changes of Re P on `range` (the node count for real E).
    public var signChanges: Int

    public init(energy: S, p: [S], q: [S], range: ClosedRange<Int>, signChanges: Int) {
        self.energy = energy
        self.p = p
        self.q = q
        self.range = range
        self.signChanges = signChanges
    }
}

// Adams coefficients (all /720): Moulton b₀…b₄ and Bashforth β₁…β₅ (KKR_NOTES §2.3).
@usableFromInline let amB0 = 251.0 / 720, amB1 = 646.0 / 720, amB2 = -264.0 / 720, amB3 = 106.0 / 720, amB4 = -19.0 / 720
@usableFromInline let abB1 = 1901.0 / 720, abB2 = -2774.0 / 720, abB3 = 2616.0 / 720, abB4 = -1274.0 / 720, abB5 = 251.0 / 720

extension RadialEquation {
    // MARK: - Public entry points

    /// The regular solution (P ∝ r^{s_P} at the origin, p(0) = 1) from r = 0 up to mesh index
    /// `last` (KKR_NOTES §2.2–2.3): power-series values at the origin, four Runge–Kutta steps,
    /// then the Adams scheme. Works for real and complex energies and for Z = 0.
    @inlinable
    public func regularSolution<S: RadialScalar>(energy: S, upTo last: Int,
                                                 scheme: AdamsScheme = .implicitAdamsMoulton) throws -> RadialSolution<S> {
        let n = mesh.count
        guard last >= 5 && last < n else {
            throw RadialEquationError.indexOutOfRange(index: last, allowed: 5...(n - 1), what: "regular solution end")
        }
        let ws = RadialWorkspace<S>(count: n)
        let changes = integrateOutward(energy: energy, upTo: last, scheme: scheme, workspace: ws)
        var p = [S](repeating: .zero, count: n), q = p
        for i in 0...last {
            p[i] = ws.p[i].scaled(by: regular.powerP[i])
            q[i] = ws.q[i].scaled(by: regular.powerQ[i])
        }
        return RadialSolution(energy: energy, p: p, q: q, range: 0...last, signChanges: changes)
    }

    /// A solution integrated inward from mesh index `start`, where P = `p`, Q = `q` are given,
    /// down to index `end` ≥ 1 (KKR_NOTES §2.3/2.5): four Runge–Kutta steps (potential
    /// interpolated at sub-steps), then the Adams scheme with step −1 in the mesh index.
    /// Use it for the KKR irregular solution H_l (start at R with the values of r h_l(κr)).
    ///
    /// Accuracy near the origin: with `factorization: .irregular` (default) the integrated
    /// variables are P·r^{s} and Q·r^{s} (SRA, Z > 0) or P·r^{l} and Q·r^{l+1}, in which the
    /// irregular solution (∝ r^{−s}, r^{−l}) is analytic. The inward integration then stays
    /// accurate down to the first mesh point: for a free particle the relative error of H_l is
    /// uniform along r (≤ 5e-9 at a = 0.0125, 1e-7 at a = 0.025, Tests/RadialTests), and the
    /// Wronskian with the regular solution is constant on the whole mesh. JuKKR's switch to the
    /// Wronskian relation near the origin (`irwsol.f90`) is therefore not needed. Index 0
    /// (r = 0) is not computed (H_l is singular there; the arrays hold 0).
    /// `.regular` factorisation (p = P/r^{s_P}) is for other inward solutions (bound states).
    @inlinable
    public func inwardSolution<S: RadialScalar>(energy: S, from start: Int, p: S, q: S, downTo end: Int = 1,
                                                factorization kind: RadialFactorization.Kind = .irregular,
                                                scheme: AdamsScheme = .implicitAdamsMoulton) throws -> RadialSolution<S> {
        let n = mesh.count
        guard start < n && start >= 5 else {
            throw RadialEquationError.indexOutOfRange(index: start, allowed: 5...(n - 1), what: "inward start")
        }
        guard end >= 1 && end <= start - 4 else {
            throw RadialEquationError.indexOutOfRange(index: end, allowed: 1...(start - 4), what: "inward end")
        }
        let ws = RadialWorkspace<S>(count: n)
        let f = kind == .regular ? regular : irregular
        let changes = integrateInward(energy: energy, from: start, p: p.scaled(by: 1 / f.powerP[start]),
                                      q: q.scaled(by: 1 / f.powerQ[start]), downTo: end, factorization: f,
                                      scheme: scheme, workspace: ws)
        var pp = [S](repeating: .zero, count: n), qq = pp
        for i in end...start {
            pp[i] = ws.p[i].scaled(by: f.powerP[i])
            qq[i] = ws.q[i].scaled(by: f.powerQ[i])
        }
        return RadialSolution(energy: energy, p: pp, q: qq, range: end...start, signChanges: changes)
    }

    /// The factorisation used by `integrateOutward` (`.regular`) or to pass to `integrateInward`.
    public func factorization(_ kind: RadialFactorization.Kind) -> RadialFactorization {
        kind == .regular ? regular : irregular
    }

    /// Physical (P, Q) at mesh index i from a workspace filled by the allocation-free kernels
    /// `integrateOutward` (kind `.regular`) or `integrateInward` (the kind that was passed).
    @inlinable
    public func solutionValues<S: RadialScalar>(_ ws: RadialWorkspace<S>, at i: Int,
                                                factorization kind: RadialFactorization.Kind = .regular) -> (p: S, q: S) {
        let f = kind == .regular ? regular : irregular
        return (ws.p[i].scaled(by: f.powerP[i]), ws.q[i].scaled(by: f.powerQ[i]))
    }

    /// Wronskian W = P₁Q₂ − Q₁P₂ of two solutions at mesh index i (r-independent for exact
    /// solutions of the same E and l, KKR_NOTES §2.1).
    @inlinable
    public func wronskian<S: RadialScalar>(_ a: RadialSolution<S>, _ b: RadialSolution<S>, at i: Int) -> S {
        a.p[i] * b.q[i] - a.q[i] * b.p[i]
    }

    // MARK: - Kernels on the factored variables

    /// Outward integration of the factored regular solution into `ws` (indices 0…last), without
    /// allocations (reuse `ws` across energies); read P, Q with `solutionValues(ws, at:)`.
    /// Returns the number of sign changes of Re p on 1…last.
    @inlinable
    public func integrateOutward<S: RadialScalar>(energy: S, upTo last: Int, scheme: AdamsScheme,
                                                  workspace ws: RadialWorkspace<S>) -> Int {
        ws.ensure(mesh.count)
        let m0 = S.fromReal(1) + energy.scaled(by: inverseC2)
        let series = originSeries(energy: energy)
        let d0 = mesh.drdi[0]
        ws.p[0] = series.p0
        ws.q[0] = series.q0
        ws.fp[0] = series.p1.scaled(by: d0)
        ws.fq[0] = series.q1.scaled(by: d0)
        // SRA: p varies on the scale of the relativistic radius 2Z/c²; when the first mesh point
        // lies outside ~2% of it, reach r₁ on a logarithmic sub-grid first.
        let logStart = equalExponents && mesh.r[1] > 0.02 * 2 * nuclearCharge * inverseC2
        let first = logStart ? 1 : 0
        if logStart { logarithmicStart(energy: energy, m0: m0, series: series, workspace: ws) }
        let startEnd = min(first + 4, last)
        for i in first..<startEnd { rungeKuttaStep(from: i, step: 1, energy: energy, m0: m0, regular, workspace: ws) }
        var changes = 0
        for i in 1...startEnd where (ws.p[i].realPart < 0) != (ws.p[i - 1].realPart < 0) { changes += 1 }
        if last > startEnd {
            changes += adamsSteps(from: startEnd, to: last, step: 1, energy: energy, m0: m0, regular, scheme: scheme, workspace: ws)
        }
        return changes
    }

    /// SRA start when r₁ is not small compared with the relativistic radius α = 2Z/c²: series at
    /// r = 10⁻³α, then RK4 in x = ln r (step ≤ 0.02) up to r₁ with v(r) linear between r₀ and r₁:
    ///     dp/dx = (1 − s) p + (rM) q,   dq/dx = (rW) p − (1 + s) q,
    ///     rM = r(1 + E/c²) + α − r v/c²,   rW = l(l+1)/(rM) − 2Z + r v − r E.
    @inlinable
    func logarithmicStart<S: RadialScalar>(energy: S, m0: S, series: (p0: S, q0: S, p1: S, q1: S),
                                           workspace ws: RadialWorkspace<S>) {
        let alpha = 2 * nuclearCharge * inverseC2
        let s = exponentP
        let ll = Double(l * (l + 1))
        let r1 = mesh.r[1]
        let v0 = smoothPotential[0], v1 = smoothPotential[1]
        let rs = 1e-3 * alpha
        var yp = series.p0 + series.p1.scaled(by: rs)
        var yq = series.q0 + series.q1.scaled(by: rs)
        let x0 = Foundation.log(rs), x1 = Foundation.log(r1)
        let steps = max(1, Int(((x1 - x0) / 0.02).rounded(.up)))
        let h = (x1 - x0) / Double(steps)
        func rhs(_ x: Double, _ p: S, _ q: S) -> (S, S) {
            let r = Foundation.exp(x)
            let v = v0 + (v1 - v0) * r / r1
            let rm: S = m0.scaled(by: r) + S.fromReal(alpha - r * v * inverseC2)
            let rw: S = S.fromReal(ll) / rm + S.fromReal(-2 * nuclearCharge + r * v) - energy.scaled(by: r)
            return (p.scaled(by: 1 - s) + rm * q, rw * p - q.scaled(by: 1 + s))
        }
        var x = x0
        for _ in 0..<steps {
            let k1 = rhs(x, yp, yq)
            let k2 = rhs(x + 0.5 * h, yp + k1.0.scaled(by: 0.5 * h), yq + k1.1.scaled(by: 0.5 * h))
            let k3 = rhs(x + 0.5 * h, yp + k2.0.scaled(by: 0.5 * h), yq + k2.1.scaled(by: 0.5 * h))
            let k4 = rhs(x + h, yp + k3.0.scaled(by: h), yq + k3.1.scaled(by: h))
            yp = yp + (k1.0 + (k2.0 + k3.0).scaled(by: 2) + k4.0).scaled(by: h / 6)
            yq = yq + (k1.1 + (k2.1 + k3.1).scaled(by: 2) + k4.1).scaled(by: h / 6)
            x += h
        }
        let a = matrix(1, energy: energy, m0: m0, regular)
        ws.p[1] = yp
        ws.q[1] = yq
        ws.fp[1] = yp.scaled(by: a.a11) + a.a12 * yq
        ws.fq[1] = a.a21 * yp + yq.scaled(by: a.a22)
    }

    /// Inward integration of factored values (p, q) = (P/r^{s_P}, Q/r^{s_Q}) of factorisation `f`
    /// (`factorization(_:)`) given at `start`, down to `end` ≥ 1, into `ws` without allocations.
    /// Returns the number of sign changes of Re p on end…start.
    @inlinable
    public func integrateInward<S: RadialScalar>(energy: S, from start: Int, p: S, q: S, downTo end: Int,
                                                 factorization f: RadialFactorization,
                                                 scheme: AdamsScheme, workspace ws: RadialWorkspace<S>) -> Int {
        ws.ensure(mesh.count)
        let m0 = S.fromReal(1) + energy.scaled(by: inverseC2)
        ws.p[start] = p
        ws.q[start] = q
        let a = matrix(start, energy: energy, m0: m0, f)
        ws.fp[start] = p.scaled(by: a.a11) + a.a12 * q
        ws.fq[start] = a.a21 * p + q.scaled(by: a.a22)
        var changes = 0
        let rkEnd = max(end, start - 4)
        var i = start
        while i > rkEnd {
            rungeKuttaStep(from: i, step: -1, energy: energy, m0: m0, f, workspace: ws)
            if (ws.p[i - 1].realPart < 0) != (ws.p[i].realPart < 0) { changes += 1 }
            i -= 1
        }
        if rkEnd > end {
            changes += adamsSteps(from: rkEnd, to: end, step: -1, energy: energy, m0: m0, f, scheme: scheme, workspace: ws)
        }
        return changes
    }

    /// Classical Runge–Kutta from index i to i + step (step = ±1) for y' = A(t) y, in
    /// `rungeKuttaSubsteps` equal sub-steps, with A at fractional indices from the mesh formula and
    /// the cubically interpolated potential. At i = 0 the derivative must already be in the
    /// workspace (from the origin series).
    @inlinable
    func rungeKuttaStep<S: RadialScalar>(from i: Int, step h: Int, energy: S, m0: S, _ f: RadialFactorization,
                                         workspace ws: RadialWorkspace<S>) {
        let m = rungeKuttaSubsteps
        let hs = Double(h) / Double(m)
        var yp = ws.p[i], yq = ws.q[i]
        var k1p = ws.fp[i], k1q = ws.fq[i]
        var t = Double(i)
        for k in 0..<m {
            if k > 0 {
                let a0 = matrix(at: t, energy: energy, m0: m0, f)
                k1p = yp.scaled(by: a0.a11) + a0.a12 * yq
                k1q = a0.a21 * yp + yq.scaled(by: a0.a22)
            }
            let ah = matrix(at: t + 0.5 * hs, energy: energy, m0: m0, f)
            let y2p = yp + k1p.scaled(by: 0.5 * hs), y2q = yq + k1q.scaled(by: 0.5 * hs)
            let k2p = y2p.scaled(by: ah.a11) + ah.a12 * y2q
            let k2q = ah.a21 * y2p + y2q.scaled(by: ah.a22)
            let y3p = yp + k2p.scaled(by: 0.5 * hs), y3q = yq + k2q.scaled(by: 0.5 * hs)
            let k3p = y3p.scaled(by: ah.a11) + ah.a12 * y3q
            let k3q = ah.a21 * y3p + y3q.scaled(by: ah.a22)
            let a1 = k == m - 1 ? matrix(i + h, energy: energy, m0: m0, f) : matrix(at: t + hs, energy: energy, m0: m0, f)
            let y4p = yp + k3p.scaled(by: hs), y4q = yq + k3q.scaled(by: hs)
            let k4p = y4p.scaled(by: a1.a11) + a1.a12 * y4q
            let k4q = a1.a21 * y4p + y4q.scaled(by: a1.a22)
            let sp: S = k1p + (k2p + k3p).scaled(by: 2) + k4p
            let sq: S = k1q + (k2q + k3q).scaled(by: 2) + k4q
            yp = yp + sp.scaled(by: hs / 6)
            yq = yq + sq.scaled(by: hs / 6)
            t += hs
        }
        let a1 = matrix(i + h, energy: energy, m0: m0, f)
        ws.p[i + h] = yp
        ws.q[i + h] = yq
        ws.fp[i + h] = yp.scaled(by: a1.a11) + a1.a12 * yq
        ws.fq[i + h] = a1.a21 * yp + yq.scaled(by: a1.a22)
    }

    /// Adams steps from index `from` (with four previous points already in `ws`) to `to`.
    /// Returns the sign changes of Re p encountered. Rescales the stored solution when it
    /// grows beyond 1e150 (exponential growth in classically forbidden regions).
    @inlinable
    func adamsSteps<S: RadialScalar>(from: Int, to: Int, step h: Int, energy: S, m0: S, _ f: RadialFactorization,
                                     scheme: AdamsScheme,
                                     workspace ws: RadialWorkspace<S>) -> Int {
        var changes = 0
        let hh = Double(h)
        let c = hh * amB0
        let ic2 = inverseC2
        var i = from
        ws.p.withUnsafeMutableBufferPointer { p in
        ws.q.withUnsafeMutableBufferPointer { q in
        ws.fp.withUnsafeMutableBufferPointer { fp in
        ws.fq.withUnsafeMutableBufferPointer { fq in
        totalPotential.withUnsafeBufferPointer { vt in
        centrifugal.withUnsafeBufferPointer { cf in
        f.diagonalP.withUnsafeBufferPointer { dP in
        f.diagonalQ.withUnsafeBufferPointer { dQ in
        offDiagonalPQ.withUnsafeBufferPointer { oPQ in
        offDiagonalQP.withUnsafeBufferPointer { oQP in
            while i != to {
                let j = i + h
                // A(j): the same as matrix(j, …), with the arrays accessed through pointers
                let v = vt[j]
                let a11 = dP[j], a22 = dQ[j]
                let a12: S, a21: S
                if ic2 == 0 {
                    a12 = S.fromReal(oPQ[j])
                    a21 = (S.fromReal(cf[j] + v) - energy).scaled(by: oQP[j])
                } else {
                    let m = m0 - S.fromReal(v * ic2)
                    a12 = m.scaled(by: oPQ[j])
                    a21 = (m.reciprocalFast.scaled(by: cf[j]) + S.fromReal(v) - energy).scaled(by: oQP[j])
                }
                // history terms Σ_{k≥1} b_k f_{n+1−k}
                let i1 = i - h, i2 = i - 2 * h, i3 = i - 3 * h
                var np: S, nq: S
                switch scheme {
                case .implicitAdamsMoulton:
                    let hp1: S = fp[i].scaled(by: amB1) + fp[i1].scaled(by: amB2)
                    let hp2: S = fp[i2].scaled(by: amB3) + fp[i3].scaled(by: amB4)
                    let hq1: S = fq[i].scaled(by: amB1) + fq[i1].scaled(by: amB2)
                    let hq2: S = fq[i2].scaled(by: amB3) + fq[i3].scaled(by: amB4)
                    let rp = p[i] + (hp1 + hp2).scaled(by: hh)
                    let rq = q[i] + (hq1 + hq2).scaled(by: hh)
                    // (1 − c a11) P − c a12 Q = rp ;  −c a21 P + (1 − c a22) Q = rq
                    let e11 = 1 - c * a11, e22 = 1 - c * a22
                    let ca12 = a12.scaled(by: c), ca21 = a21.scaled(by: c)
                    let det = S.fromReal(e11 * e22) - ca12 * ca21
                    let inv = det.reciprocalFast
                    np = (rp.scaled(by: e22) + ca12 * rq) * inv
                    nq = (ca21 * rp + rq.scaled(by: e11)) * inv
                case .predictorCorrector:
                    let i4 = i - 4 * h
                    let pp1: S = fp[i].scaled(by: abB1) + fp[i1].scaled(by: abB2) + fp[i2].scaled(by: abB3)
                    let pp2: S = fp[i3].scaled(by: abB4) + fp[i4].scaled(by: abB5)
                    let pq1: S = fq[i].scaled(by: abB1) + fq[i1].scaled(by: abB2) + fq[i2].scaled(by: abB3)
                    let pq2: S = fq[i3].scaled(by: abB4) + fq[i4].scaled(by: abB5)
                    let yp = p[i] + (pp1 + pp2).scaled(by: hh)
                    let yq = q[i] + (pq1 + pq2).scaled(by: hh)
                    let gp = yp.scaled(by: a11) + a12 * yq
                    let gq = a21 * yp + yq.scaled(by: a22)
                    let cp1: S = gp.scaled(by: amB0) + fp[i].scaled(by: amB1) + fp[i1].scaled(by: amB2)
                    let cp2: S = fp[i2].scaled(by: amB3) + fp[i3].scaled(by: amB4)
                    let cq1: S = gq.scaled(by: amB0) + fq[i].scaled(by: amB1) + fq[i1].scaled(by: amB2)
                    let cq2: S = fq[i2].scaled(by: amB3) + fq[i3].scaled(by: amB4)
                    np = p[i] + (cp1 + cp2).scaled(by: hh)
                    nq = q[i] + (cq1 + cq2).scaled(by: hh)
                }
                p[j] = np
                q[j] = nq
                fp[j] = np.scaled(by: a11) + a12 * nq
                fq[j] = a21 * np + nq.scaled(by: a22)
                if (np.realPart < 0) != (p[i].realPart < 0) { changes += 1 }
                if np.magnitude > 1e150 {
                    // rescale everything computed so far (indices between the start and j),
                    // keeping the solution a solution
                    let lo = min(from - 4 * h, j), hi = max(from - 4 * h, j)
                    let lo2 = max(0, lo), hi2 = min(p.count - 1, hi)
                    for k in lo2...hi2 {
                        p[k] = p[k].scaled(by: 1e-150); q[k] = q[k].scaled(by: 1e-150)
                        fp[k] = fp[k].scaled(by: 1e-150); fq[k] = fq[k].scaled(by: 1e-150)
                    }
                }
                i = j
            }
        }}}}}}}}}}
        return changes
    }
}
