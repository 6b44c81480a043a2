import Radial

extension SitePotential {
    /// The potential re-tabulated on another site's mesh, taking over that site's ALAT, RMT,
    /// RMTNEW, RWS and IRNS (e.g. an impurity potential computed on its own mesh, placed on the
    /// host site it replaces). Z, core states, E_F, VBC and LMPOT are kept.
    public func remeshed(ontoMeshOf other: SitePotential) throws -> SitePotential {
        var out = try remeshed(onto: other.mesh, nonSphericalPointCount: other.nonSphericalPointCount)
        out.latticeConstantBohr = other.latticeConstantBohr
        out.muffinTinRadiusBohr = other.muffinTinRadiusBohr
        out.adaptedMuffinTinRadiusBohr = other.adaptedMuffinTinRadiusBohr
        out.wignerSeitzRadiusBohr = other.wignerSeitzRadiusBohr
        return out
    }

    /// The potential re-tabulated on `target`, with the non-spherical components on its outer
    /// `nonSphericalPointCount` points. RWS becomes r(NR) of the target, RMTNEW r(IMT) of a
    /// full-potential target; ALAT and RMT are kept.
    ///
    /// What is interpolated: vm2z = V_sph + 2Z/r and the V_L themselves. vm2z is the electronic
    /// part of the potential, finite and smooth at r = 0 (≈ 217 Ry for Cu), so it interpolates
    /// as well as r·V_sph = r·vm2z − 2Z would, and the −2Z/r singularity never enters; it is also
    /// exactly the stored quantity, so a site re-meshed onto its own mesh is unchanged bit for
    /// bit. Interpolation is 4-point Lagrange in r within one piece of the source mesh (the
    /// exponential part or one shapefun panel), never across the repeated radii at panel
    /// boundaries; a target point that starts a piece takes its value from the outer source
    /// piece, every other point from the inner one. V_L is zero inside the source's non-spherical
    /// region (JuKKR stores nothing there) and stays zero there. Target radii beyond the
    /// source mesh (relative tolerance 1e-10) throw `RadialMeshError.outsideMesh`: no
    /// extrapolation.
    public func remeshed(onto target: SiteMesh, nonSphericalPointCount nt: Int) throws -> SitePotential {
        if let problem = validationProblem() { throw RadialMeshError.invalidParameters("site \(label): \(problem)") }
        guard nt >= 0 && nt <= target.count else {
            throw RadialMeshError.invalidParameters("non-spherical point count \(nt) outside 0…\(target.count)")
        }
        if let far = target.r.last, far > mesh.rmax * (1 + 1e-10) {
            throw RadialMeshError.outsideMesh(r: far, rmax: mesh.rmax)
        }
        let sourceNS = firstNonSphericalIndex
        let targetNS = target.count - nt
        let starts = Set(target.segments.map(\.lowerBound).filter { $0 > 0 })
        var out = self
        out.mesh = target
        out.nonSphericalPointCount = nt
        if target.isFullPotential {
            out.adaptedMuffinTinRadiusBohr = target.r[target.exponentialPointCount - 1]
        }
        // RWS is r(NR) for both mesh kinds (startb1.f90: rws(ih) = r(irws1, ih)).
        out.wignerSeitzRadiusBohr = target.rmax
        for k in spins.indices {
            let s = spins[k]
            out.spins[k].vm2zRy = target.r.indices.map { j in
                mesh.interpolate(s.vm2zRy, from: 0, at: target.r[j], preferOuterPiece: starts.contains(j))!
            }
            var comps: [LMIndex: [Double]] = [:]
            if nt > 0 {
                for (lm, v) in s.nonSphericalRy {
                    comps[lm] = (targetNS..<target.count).map { j in
                        mesh.interpolate(v, from: sourceNS, at: target.r[j], preferOuterPiece: starts.contains(j)) ?? 0
                    }
                }
            }
            out.spins[k].nonSphericalRy = comps
        }
        return out
    }
}

extension SiteMesh {
    /// Value at radius `x` of a function given on the mesh points `start..<count` (`f[0]`
    /// belongs to point `start`), by 4-point Lagrange interpolation in r within one piece of
    /// the mesh (`segments`). Nil when x lies below r[start]. Radii slightly outside every piece
    /// (rounding at a piece boundary) use the nearest piece.
    func interpolate(_ f: [Double], from start: Int, at x: Double, preferOuterPiece: Bool) -> Double? {
        precondition(f.count == count - start)
        if x < r[start] * (1 - 1e-12) - 1e-300 { return nil }
        let pieces = segments.compactMap { s -> Range<Int>? in
            let lo = max(s.lowerBound, start)
            return lo < s.upperBound ? lo..<s.upperBound : nil
        }
        let containing = pieces.filter { r[$0.lowerBound] <= x && x <= r[$0.upperBound - 1] }
        let piece: Range<Int>
        if let p = preferOuterPiece ? containing.last : containing.first {
            piece = p
        } else {
            piece = pieces.min { distance(x, $0) < distance(x, $1) }!
        }
        let n = piece.count
        if n == 1 { return f[piece.lowerBound - start] }
        let m = min(4, n)
        // largest node ≤ x inside the piece, then a window of m nodes around it
        var j = piece.lowerBound
        while j + 1 < piece.upperBound && r[j + 1] <= x { j += 1 }
        let i0 = max(piece.lowerBound, min(j - (m / 2 - 1), piece.upperBound - m))
        var sum = 0.0
        for p in i0..<(i0 + m) {
            var w = 1.0
            for q in i0..<(i0 + m) where q != p {
                w *= (x - r[q]) / (r[p] - r[q])
            }
            sum += w * f[p - start]
        }
        return sum
    }

    private func distance(_ x: Double, _ s: Range<Int>) -> Double {
        let lo = r[s.lowerBound], hi = r[s.upperBound - 1]
        return x < lo ? lo - x : (x > hi ? x - hi : 0)
    }
}
