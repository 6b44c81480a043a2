/// How the n×n×n mesh points sit in the reciprocal cell.
public enum KMeshKind: String, Sendable, CaseIterable {
    /// κᵢ = jᵢ/n, jᵢ = 0…n−1: contains Γ for every n.
    case gammaCentred
    /// Monkhorst–Pack: κᵢ = (2rᵢ − n − 1)/(2n), rᵢ = 1…n (Monkhorst & Pack, PRB 13, 5188 (1976),
    /// doi:10.1103/PhysRevB.13.5188). Identical to `gammaCentred` for odd n, shifted by half a
    /// mesh spacing (Γ excluded) for even n.
    case monkhorstPack
}

/// One k-point: reduced coordinates κ in the reciprocal basis (k = Σ κᵢ bᵢ), folded into
/// (−1/2, 1/2], and an integer weight (1 on the full mesh, the star size on an irreducible mesh).
public struct KPoint: Hashable, Sendable {
    /// Reduced coordinates κᵢ ∈ (−1/2, 1/2].
    public let reduced: Vector3
    /// Cartesian wave vector (bohr⁻¹).
    public let cartesianPerBohr: Vector3
    /// Number of full-mesh points this point stands for.
    public let weight: Int
    /// Exact mesh label: 2n·κ as integers (even components for Γ-centred points).
    let doubled: SIMD3<Int>
}

/// A uniform k-mesh of the full Brillouin zone (n×n×n in reduced coordinates of the reciprocal
/// basis) or its reduction to the irreducible wedge by a point group.
///
/// Brillouin-zone averages are (1/n³) Σ_k w_k f(k) over `points`; for f invariant under the
/// group (f(g k) = f(k)) this equals the full-mesh average exactly, because the weights are the
/// orbit (star) sizes. For quantities that are not invariant, such as G_LL'(k), sum over the
/// irreducible points and symmetrise with `LMSymmetrizer` (KKR_NOTES §5.6), or use
/// `expandedToFullMesh()`.
public struct KMesh: Sendable {
    public let lattice: CrystalLattice
    /// Divisions n along each reciprocal vector.
    public let divisions: Int
    public let kind: KMeshKind
    public let points: [KPoint]
    /// The Cartesian operations used for the reduction (empty for the full mesh).
    public let symmetryOperations: [Matrix3]

    /// n³, the sum of all weights.
    public var totalWeight: Int { divisions * divisions * divisions }
    public var isReduced: Bool { !symmetryOperations.isEmpty }
    public var count: Int { points.count }

    /// Weights as fractions w_k/n³ (they sum to 1).
    public var fractionalWeights: [Double] { points.map { Double($0.weight) / Double(totalWeight) } }

    /// The full n×n×n mesh, every point with weight 1, ordered with j₁ slowest and j₃ fastest.
    public init(lattice: CrystalLattice, divisions n: Int, kind: KMeshKind = .gammaCentred) throws {
        guard n >= 1, n <= 1000 else { throw LatticeError.invalidCount(name: "k-mesh divisions", value: n, allowed: "1…1000") }
        self.lattice = lattice
        divisions = n
        self.kind = kind
        symmetryOperations = []
        let s = KMesh.doubledShift(n: n, kind: kind)
        var pts: [KPoint] = []
        pts.reserveCapacity(n * n * n)
        for j1 in 0..<n {
            for j2 in 0..<n {
                for j3 in 0..<n {
                    pts.append(KMesh.point(doubled: SIMD3(2 * j1, 2 * j2, 2 * j3) &+ s, n: n, weight: 1, lattice: lattice))
                }
            }
        }
        points = pts
    }

    private init(lattice: CrystalLattice, divisions: Int, kind: KMeshKind, points: [KPoint], operations: [Matrix3]) {
        self.lattice = lattice
        self.divisions = divisions
        self.kind = kind
        self.points = points
        symmetryOperations = operations
    }

    /// The irreducible points of the full mesh under `group` (default: the lattice's point group,
    /// O_h for cubic lattices). Each orbit {g k mod reciprocal lattice} is represented by its first
    /// member in full-mesh order and weighted by its size, so the weights sum to n³.
    ///
    /// Only operations that map the mesh onto itself are used (all of them for Γ-centred meshes;
    /// a shifted even Monkhorst–Pack mesh on fcc/bcc is not invariant under all of O_h, and the
    /// reduction then uses the invariant subgroup, listed in `symmetryOperations`).
    public func irreducible(under group: PointGroup? = nil) throws -> KMesh {
        guard !isReduced else { throw LatticeError.invalidInput("k-mesh is already reduced") }
        let g = group ?? lattice.type.pointGroup
        let (ops, cart) = try meshOperations(g)
        let n = divisions
        var visited = [Bool](repeating: false, count: n * n * n)
        var reducedPoints: [KPoint] = []
        for p in points {
            let idx = index(ofDoubled: p.doubled)
            if visited[idx] { continue }
            var weight = 0
            for m in ops {
                let j = index(ofDoubled: m * p.doubled)
                if !visited[j] { visited[j] = true; weight += 1 }
            }
            reducedPoints.append(KMesh.point(doubled: p.doubled, n: n, weight: weight, lattice: lattice))
        }
        return KMesh(lattice: lattice, divisions: n, kind: kind, points: reducedPoints, operations: cart)
    }

    /// The full mesh regenerated from the irreducible points: each point's star {g k} (distinct
    /// modulo reciprocal lattice vectors) with weight 1, in the order of the irreducible points
    /// and, within a star, of first appearance over `symmetryOperations`. Each star has exactly
    /// `weight` members. Returns `self` for an unreduced mesh.
    public func expandedToFullMesh() throws -> KMesh {
        guard isReduced else { return self }
        let group = try PointGroup(name: "mesh", operations: symmetryOperations)
        let ops = try group.reducedOperations(basis: lattice.reciprocalBasis)
        var seen = Set<Int>()
        var out: [KPoint] = []
        out.reserveCapacity(totalWeight)
        for p in points {
            var star = 0
            for m in ops {
                let d = m * p.doubled
                if seen.insert(index(ofDoubled: d)).inserted {
                    out.append(KMesh.point(doubled: d, n: divisions, weight: 1, lattice: lattice))
                    star += 1
                }
            }
            guard star == p.weight else {
                throw LatticeError.invalidInput("star of k-point \(p.reduced) has \(star) members but weight \(p.weight)")
            }
        }
        return KMesh(lattice: lattice, divisions: divisions, kind: kind, points: out, operations: [])
    }

    /// The members of `group` (as reduced-coordinate integer matrices and as Cartesian matrices)
    /// that map this mesh onto itself. With K = 2n κ = 2j + 2s, M K ≡ M(2s) (mod 2), so an
    /// operation maps the mesh onto itself iff M(2s) ≡ 2s (mod 2) componentwise.
    private func meshOperations(_ group: PointGroup) throws -> ([IntMatrix3], [Matrix3]) {
        let reducedOps = try group.reducedOperations(basis: lattice.reciprocalBasis)
        let s = KMesh.doubledShift(n: divisions, kind: kind)
        var ops: [IntMatrix3] = [], cart: [Matrix3] = []
        for (m, r) in zip(reducedOps, group.operations) {
            let image = m * s
            let ok = (0..<3).allSatisfy { ((image[$0] - s[$0]) % 2 + 2) % 2 == 0 }
            if ok { ops.append(m); cart.append(r) }
        }
        return (ops, cart)
    }

    /// Mesh index j₁n² + j₂n + j₃ of a doubled coordinate K (any integer representative).
    private func index(ofDoubled k: SIMD3<Int>) -> Int {
        let n = divisions
        let s = KMesh.doubledShift(n: n, kind: kind)
        var idx = 0
        for i in 0..<3 {
            let twoJ = k[i] - s[i]
            precondition(twoJ % 2 == 0, "k-point is not on the mesh")
            let j = ((twoJ / 2) % n + n) % n
            idx = idx * n + j
        }
        return idx
    }

    /// 2s with the shift s of the mesh origin (in units of the spacing 1/n): 0 for Γ-centred and
    /// odd Monkhorst–Pack meshes, 1 (half a spacing) for even Monkhorst–Pack meshes.
    private static func doubledShift(n: Int, kind: KMeshKind) -> SIMD3<Int> {
        kind == .monkhorstPack && n % 2 == 0 ? SIMD3(1, 1, 1) : .zero
    }

    /// The k-point with doubled coordinate K, folded to κ ∈ (−1/2, 1/2].
    private static func point(doubled k: SIMD3<Int>, n: Int, weight: Int, lattice: CrystalLattice) -> KPoint {
        var folded = SIMD3<Int>()
        for i in 0..<3 {
            var v = ((k[i] % (2 * n)) + 2 * n) % (2 * n)  // 0..<2n
            if v > n { v -= 2 * n }                        // (−n, n]
            folded[i] = v
        }
        let red = Vector3(folded) / Double(2 * n)
        return KPoint(reduced: red, cartesianPerBohr: lattice.reciprocalCartesian(reduced: red), weight: weight, doubled: folded)
    }
}
