/// One site of a crystal relative to a chosen centre site: position R + τ_b − τ_centre.
public struct LatticeSite: Hashable, Sendable {
    /// Integer coefficients nᵢ of the lattice translation R = Σ nᵢ aᵢ.
    public let translation: SIMD3<Int>
    /// Index of the basis site τ_b within the primitive cell.
    public let basisIndex: Int
    /// Cartesian position relative to the centre (bohr).
    public let positionBohr: Vector3
    /// |positionBohr| (bohr).
    public let distanceBohr: Double
    /// Neighbour-shell index: 0 for the centre, 1 for nearest neighbours, …
    public let shellIndex: Int

    /// Sorts sites by distance, groups equal distances (to `CrystalLattice.distanceTolerance`·a)
    /// into shells and orders each shell by (x, y, z) ascending after rounding to 1e-8·a.
    static func sortedIntoShells(_ raw: [LatticeSite], latticeConstantBohr a: Double) -> [LatticeSite] {
        let byDistance = raw.sorted { $0.distanceBohr < $1.distanceBohr }
        let tol = CrystalLattice.distanceTolerance * a
        var out: [LatticeSite] = []
        out.reserveCapacity(raw.count)
        var shell = -1
        var start = 0
        while start < byDistance.count {
            var end = start + 1
            while end < byDistance.count, byDistance[end].distanceBohr - byDistance[start].distanceBohr <= tol { end += 1 }
            shell += 1
            let group = byDistance[start..<end].sorted { lhs, rhs in
                let kl = key(lhs.positionBohr, a), kr = key(rhs.positionBohr, a)
                if kl.x != kr.x { return kl.x < kr.x }
                if kl.y != kr.y { return kl.y < kr.y }
                if kl.z != kr.z { return kl.z < kr.z }
                return lhs.basisIndex < rhs.basisIndex
            }
            for s in group {
                out.append(LatticeSite(translation: s.translation, basisIndex: s.basisIndex, positionBohr: s.positionBohr,
                                       distanceBohr: s.distanceBohr, shellIndex: shell))
            }
            start = end
        }
        return out
    }

    private static func key(_ p: Vector3, _ a: Double) -> SIMD3<Int> {
        SIMD3(Int((p.x / a * 1e8).rounded()), Int((p.y / a * 1e8).rounded()), Int((p.z / a * 1e8).rounded()))
    }
}

/// A neighbour shell: all sites at the same distance from the centre.
public struct NeighbourShell: Hashable, Sendable {
    /// 0 for the centre itself, 1 for nearest neighbours, …
    public let index: Int
    /// Shell radius (bohr).
    public let distanceBohr: Double
    /// Shell radius in units of the lattice constant a.
    public let distanceInUnitsOfA: Double
    /// Number of sites in the shell (fcc: 1, 12, 6, 24, 12, 24, …; bcc: 1, 8, 6, 12, 24, 8, …).
    public let multiplicity: Int

    static func shells(of sites: [LatticeSite], latticeConstantBohr a: Double) -> [NeighbourShell] {
        var out: [NeighbourShell] = []
        for s in sites {
            if let last = out.last, last.index == s.shellIndex {
                out[out.count - 1] = NeighbourShell(index: last.index, distanceBohr: last.distanceBohr,
                                                    distanceInUnitsOfA: last.distanceInUnitsOfA,
                                                    multiplicity: last.multiplicity + 1)
            } else {
                out.append(NeighbourShell(index: s.shellIndex, distanceBohr: s.distanceBohr,
                                          distanceInUnitsOfA: s.distanceBohr / a, multiplicity: 1))
            }
        }
        return out
    }
}
