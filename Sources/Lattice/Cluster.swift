/// A real-space cluster of crystal sites around a centre site (the impurity site of KKR_NOTES §9,
/// or the screening cluster of §5), the centre first, then shell by shell in the order of
/// `CrystalLattice.neighbourSites(around:withinBohr:)`.
public struct Cluster: Sendable {
    public let lattice: CrystalLattice
    /// Basis index of the centre site.
    public let centre: Int
    /// The sites, centre first (shell 0).
    public let sites: [LatticeSite]

    /// All sites within `radiusBohr` of the centre (JuKKR's RCLUSTZ-style cut; sites at exactly
    /// the radius are included). fcc a = 6.82, radius 11 bohr → 79 sites.
    public init(lattice: CrystalLattice, radiusBohr: Double, centre: Int = 0) throws {
        self.lattice = lattice
        self.centre = centre
        sites = try lattice.neighbourSites(around: centre, withinBohr: radiusBohr)
    }

    /// The centre plus its first `shellCount` complete neighbour shells
    /// (fcc: 1 + 12 = 13 sites for one shell, 19 for two; bcc: 9 and 15).
    public init(lattice: CrystalLattice, shellCount: Int, centre: Int = 0) throws {
        guard lattice.basisBohr.indices.contains(centre) else {
            throw LatticeError.invalidCount(name: "centre site", value: centre, allowed: "0..<\(lattice.sitesPerCell)")
        }
        self.lattice = lattice
        self.centre = centre
        sites = try lattice.sitesOfFirstShells(around: centre, count: shellCount)
    }

    public var count: Int { sites.count }

    /// Number of neighbour shells beyond the centre.
    public var shellCount: Int { sites.last?.shellIndex ?? 0 }

    /// The shells, shell 0 (the centre) first.
    public var shells: [NeighbourShell] {
        NeighbourShell.shells(of: sites, latticeConstantBohr: lattice.latticeConstantBohr)
    }

    /// Site positions relative to the centre (Cartesian, bohr).
    public var positionsBohr: [Vector3] { sites.map(\.positionBohr) }

    /// Site positions relative to the centre in units of the lattice constant a (the "alat" units
    /// of JuKKR input files).
    public var positionsInUnitsOfA: [Vector3] { sites.map { $0.positionBohr / lattice.latticeConstantBohr } }
}
