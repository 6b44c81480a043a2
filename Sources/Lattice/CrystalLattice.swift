import Foundation

/// A crystal: Bravais lattice with lattice constant a (bohr) and a basis of sites per primitive
/// cell. All lengths in bohr (Rydberg atomic units), wave vectors in bohr⁻¹.
///
/// Conventions:
/// - Lattice vectors R = Σᵢ nᵢ aᵢ with integer nᵢ ("translation").
/// - Reciprocal vectors bᵢ with bᵢ·aⱼ = 2π δᵢⱼ, i.e. bᵢ = 2π (aⱼ × aₖ)/V for cyclic (i, j, k)
///   (Ashcroft & Mermin 1976, eq. 5.3).
/// - Cell volume V = |a₁·(a₂ × a₃)|; Wigner–Seitz (atomic-sphere) radius per site
///   R_WS = (3 V / (4π N_basis))^{1/3} (KKR_NOTES §7.2: fcc a = 6.82 → 2.6652, bcc a = 5.42 → 2.6687).
public struct CrystalLattice: Sendable {
    public let type: LatticeType
    public let latticeConstantBohr: Double
    /// a₁, a₂, a₃ (Cartesian, bohr).
    public let primitiveVectorsBohr: [Vector3]
    /// b₁, b₂, b₃ (Cartesian, bohr⁻¹) with bᵢ·aⱼ = 2π δᵢⱼ.
    public let reciprocalVectorsPerBohr: [Vector3]
    /// Site positions of one primitive cell (Cartesian, bohr).
    public let basisBohr: [Vector3]

    /// Relative tolerance (in units of a) used to decide that two distances are equal
    /// (same neighbour shell) and that a site lies inside a radius.
    public static let distanceTolerance = 1e-9

    public init(_ type: LatticeType, latticeConstantBohr a: Double) throws {
        guard a.isFinite, a > 0 else { throw LatticeError.invalidLength(name: "lattice constant", value: a) }
        self.type = type
        latticeConstantBohr = a
        let av = type.primitiveVectorsInUnitsOfA.map { a * $0 }
        primitiveVectorsBohr = av
        basisBohr = type.basisInUnitsOfA.map { a * $0 }
        let volume = dot(av[0], cross(av[1], av[2]))
        let f = 2 * Double.pi / volume
        reciprocalVectorsPerBohr = [f * cross(av[1], av[2]), f * cross(av[2], av[0]), f * cross(av[0], av[1])]
    }

    /// Number of sites per primitive cell.
    public var sitesPerCell: Int { basisBohr.count }

    /// V = |a₁·(a₂ × a₃)| (bohr³).
    public var cellVolumeBohr3: Double {
        abs(dot(primitiveVectorsBohr[0], cross(primitiveVectorsBohr[1], primitiveVectorsBohr[2])))
    }

    /// Brillouin-zone volume (2π)³/V (bohr⁻³).
    public var brillouinZoneVolumePerBohr3: Double { pow(2 * Double.pi, 3) / cellVolumeBohr3 }

    /// Atomic-sphere (Wigner–Seitz) radius R_WS = (3V/(4π N_basis))^{1/3}: the sphere with the
    /// volume of one site (KKR_NOTES §7.2).
    public var wignerSeitzRadiusBohr: Double {
        cbrt(3 * cellVolumeBohr3 / (4 * Double.pi * Double(sitesPerCell)))
    }

    /// Distance between nearest-neighbour sites (bohr): a/√2 (fcc), a√3/2 (bcc), a (sc).
    public var nearestNeighbourDistanceBohr: Double {
        var best = Double.infinity
        let reach = primitiveVectorsBohr.map(length).min()! * (1 + 1e-6)
        for c in 0..<sitesPerCell {
            // reach > 0 and c is a valid basis index, so this cannot throw.
            if let shells = try? neighbourShells(around: c, withinBohr: reach), shells.count > 1 {
                best = min(best, shells[1].distanceBohr)
            }
        }
        return best
    }

    /// Matrix whose columns are a₁, a₂, a₃: r_cart = A · r_reduced.
    public var directBasis: Matrix3 {
        Matrix3(columns: primitiveVectorsBohr[0], primitiveVectorsBohr[1], primitiveVectorsBohr[2])
    }

    /// Matrix whose columns are b₁, b₂, b₃: k_cart = B · k_reduced.
    public var reciprocalBasis: Matrix3 {
        Matrix3(columns: reciprocalVectorsPerBohr[0], reciprocalVectorsPerBohr[1], reciprocalVectorsPerBohr[2])
    }

    /// Cartesian position (bohr) of reduced coordinates r = Σ xᵢ aᵢ.
    public func cartesian(reduced x: Vector3) -> Vector3 {
        x.x * primitiveVectorsBohr[0] + x.y * primitiveVectorsBohr[1] + x.z * primitiveVectorsBohr[2]
    }

    /// Reduced coordinates xᵢ = bᵢ·r/(2π) of a Cartesian position (bohr).
    public func reduced(cartesian r: Vector3) -> Vector3 {
        Vector3(dot(reciprocalVectorsPerBohr[0], r), dot(reciprocalVectorsPerBohr[1], r),
                dot(reciprocalVectorsPerBohr[2], r)) / (2 * Double.pi)
    }

    /// Cartesian wave vector (bohr⁻¹) of reduced reciprocal coordinates k = Σ κᵢ bᵢ.
    public func reciprocalCartesian(reduced k: Vector3) -> Vector3 {
        k.x * reciprocalVectorsPerBohr[0] + k.y * reciprocalVectorsPerBohr[1] + k.z * reciprocalVectorsPerBohr[2]
    }

    /// The Bravais lattice vectors R = Σ nᵢ aᵢ with |R| ≤ radius (origin included, first),
    /// sorted by distance and grouped into shells; see `neighbourSites(around:withinBohr:)` for
    /// the order. Identical to the neighbour sites of site 0 for one-site lattices.
    public func latticeVectors(withinBohr radius: Double) throws -> [LatticeSite] {
        try validate(radius: radius)
        let raw = enumerate(centre: .zero, radius: radius, basis: [.zero])
        return LatticeSite.sortedIntoShells(raw, latticeConstantBohr: latticeConstantBohr)
    }

    /// All sites (of every basis position) within `radius` of basis site `centre`, positions
    /// relative to that site, the centre itself first (shell 0). Sites with
    /// |r| ≤ radius·(1 + 1e-9) are included, so a radius equal to a shell distance includes it.
    ///
    /// Order (deterministic, platform independent): by distance; sites whose distances agree to
    /// `distanceTolerance`·a form one shell; within a shell lexicographically by the Cartesian
    /// components (x, then y, then z) in ascending order, compared after rounding to 1e-8·a.
    public func neighbourSites(around centre: Int = 0, withinBohr radius: Double) throws -> [LatticeSite] {
        try validate(radius: radius)
        guard basisBohr.indices.contains(centre) else {
            throw LatticeError.invalidCount(name: "centre site", value: centre, allowed: "0..<\(sitesPerCell)")
        }
        let raw = enumerate(centre: basisBohr[centre], radius: radius, basis: basisBohr)
        return LatticeSite.sortedIntoShells(raw, latticeConstantBohr: latticeConstantBohr)
    }

    /// The neighbour shells around basis site `centre` within `radius` (shell 0 is the centre).
    public func neighbourShells(around centre: Int = 0, withinBohr radius: Double) throws -> [NeighbourShell] {
        NeighbourShell.shells(of: try neighbourSites(around: centre, withinBohr: radius), latticeConstantBohr: latticeConstantBohr)
    }

    /// The centre (shell 0) plus the first `count` complete neighbour shells around `centre`.
    public func neighbourShells(around centre: Int = 0, count: Int) throws -> [NeighbourShell] {
        try NeighbourShell.shells(of: sitesOfFirstShells(around: centre, count: count),
                                  latticeConstantBohr: latticeConstantBohr)
    }

    /// The sites of the centre plus the first `count` neighbour shells.
    func sitesOfFirstShells(around centre: Int, count: Int) throws -> [LatticeSite] {
        guard count >= 0 else { throw LatticeError.invalidCount(name: "shell count", value: count, allowed: "≥ 0") }
        var radius = primitiveVectorsBohr.map(length).max()! * Double(max(1, count))
        while true {
            let sites = try neighbourSites(around: centre, withinBohr: radius)
            if let last = sites.last, last.shellIndex >= count {
                return sites.filter { $0.shellIndex <= count }
            }
            radius *= 1.5
        }
    }

    private func validate(radius: Double) throws {
        guard radius.isFinite, radius >= 0 else { throw LatticeError.invalidLength(name: "radius", value: radius) }
    }

    /// All R + τ_b − c with |R + τ_b − c| ≤ radius (unsorted). Exact bound on the translation
    /// coefficients: nᵢ = bᵢ·(p + c − τ_b)/2π with |p| ≤ radius, so
    /// |nᵢ − bᵢ·(c − τ_b)/2π| ≤ radius |bᵢ|/2π.
    private func enumerate(centre c: Vector3, radius: Double, basis: [Vector3]) -> [LatticeSite] {
        let limit = radius * (1 + CrystalLattice.distanceTolerance) + CrystalLattice.distanceTolerance * latticeConstantBohr
        var out: [LatticeSite] = []
        for (b, tau) in basis.enumerated() {
            let offset = reduced(cartesian: c - tau)
            var lo = SIMD3<Int>(), hi = SIMD3<Int>()
            for i in 0..<3 {
                let span = limit * length(reciprocalVectorsPerBohr[i]) / (2 * Double.pi)
                lo[i] = Int((offset[i] - span).rounded(.down)) - 1
                hi[i] = Int((offset[i] + span).rounded(.up)) + 1
            }
            for n1 in lo.x...hi.x {
                for n2 in lo.y...hi.y {
                    for n3 in lo.z...hi.z {
                        let t = SIMD3(n1, n2, n3)
                        let p = cartesian(reduced: Vector3(t)) + tau - c
                        let d = length(p)
                        if d <= limit {
                            out.append(LatticeSite(translation: t, basisIndex: b, positionBohr: p, distanceBohr: d,
                                                   shellIndex: -1))
                        }
                    }
                }
            }
        }
        return out
    }
}
