import Elements
import Lattice

/// The environment of one atom (the centre): its element and its neighbours' elements and
/// positions relative to the centre (Cartesian, bohr). Descriptors depend only on these relative
/// positions, so they are translation invariant by construction; they are invariant under
/// permutations of `neighbours` because they are sums over neighbours.
public struct AtomicEnvironment: Sendable, Equatable {
    public struct Neighbour: Sendable, Equatable {
        public var element: Element
        /// Position relative to the centre (bohr).
        public var positionBohr: Vector3

        public init(element: Element, positionBohr: Vector3) {
            self.element = element
            self.positionBohr = positionBohr
        }
    }

    public var centre: Element
    public var neighbours: [Neighbour]

    public init(centre: Element, neighbours: [Neighbour]) {
        self.centre = centre
        self.neighbours = neighbours
    }

    /// From absolute positions: the centre at `centrePositionBohr`, other atoms at theirs; an atom
    /// at the centre position (to 1e-10 bohr) is skipped (it is the centre itself).
    public init(centre: Element, centrePositionBohr c: Vector3, atoms: [(element: Element, positionBohr: Vector3)]) {
        self.centre = centre
        neighbours = atoms.compactMap { atom in
            let v = atom.positionBohr - c
            return length(v) < 1e-10 ? nil : Neighbour(element: atom.element, positionBohr: v)
        }
    }

    /// The environment with every relative position mapped r ↦ R r (R orthogonal; proper or improper).
    public func rotated(by r: Matrix3) -> AtomicEnvironment {
        AtomicEnvironment(centre: centre, neighbours: neighbours.map {
            Neighbour(element: $0.element, positionBohr: r * $0.positionBohr)
        })
    }
}

/// The impurity problem of KKR_NOTES §9: an elemental host crystal with one substitutional
/// impurity on site 0, and the cluster of the impurity plus its first `shellCount` neighbour shells
/// (fcc: 13 sites for one shell, bcc: 9), in the site order of `Lattice.Cluster` (impurity first).
///
/// Each cluster site's environment contains *all* crystal sites within the descriptor cutoff,
/// not only cluster sites: the host continues outside the cluster. For a neighbour site at
/// position p the impurity appears at −p; every other neighbour is a host atom.
public struct ImpurityCluster: Sendable {
    public let lattice: CrystalLattice
    public let host: Element
    public let impurity: Element
    public let cluster: Cluster

    public init(lattice: CrystalLattice, host: Element, impurity: Element, shellCount: Int) throws {
        guard lattice.sitesPerCell == 1 else {
            throw DescriptorError.invalidInput("impurity clusters need a one-site (Bravais) host lattice; "
                + "\(lattice.type.rawValue) has \(lattice.sitesPerCell) sites per cell")
        }
        self.lattice = lattice
        self.host = host
        self.impurity = impurity
        cluster = try Cluster(lattice: lattice, shellCount: shellCount)
    }

    public var siteCount: Int { cluster.count }
    /// Site positions relative to the impurity (bohr).
    public var positionsBohr: [Vector3] { cluster.positionsBohr }
    /// Neighbour-shell index of every site (0 = the impurity).
    public var shellIndices: [Int] { cluster.sites.map(\.shellIndex) }

    /// Element on cluster site i (impurity on site 0, host elsewhere).
    public func element(ofSite i: Int) -> Element { i == 0 ? impurity : host }

    /// Environments of all cluster sites: all crystal sites within `cutoffBohr` of each site.
    public func environments(cutoffBohr: Double) throws -> [AtomicEnvironment] {
        let vectors = try lattice.neighbourSites(around: 0, withinBohr: cutoffBohr).dropFirst().map(\.positionBohr)
        let tolerance = 1e-8 * lattice.latticeConstantBohr
        return positionsBohr.enumerated().map { (i, p) in
            // Neighbour at p + v; it is the impurity when p + v = 0.
            let neighbours = vectors.map { v in
                AtomicEnvironment.Neighbour(element: length(p + v) < tolerance ? impurity : host, positionBohr: v)
            }
            return AtomicEnvironment(centre: element(ofSite: i), neighbours: neighbours)
        }
    }
}

/// Host descriptors: lattice type, lattice constant and selected (absolute) element features of
/// the host element. The nearest-neighbour distance (a/√2 fcc, a√3/2 bcc) is kept as a property
/// but not put into the vector: it is a function of (type, a), and a collinear column would make
/// the regression weights non-identifiable.
///
///     values = [isBCC, a (bohr), f_1(host), …, f_k(host)]
public struct HostDescriptor: Sendable, Equatable {
    public let latticeType: LatticeType
    public let latticeConstantBohr: Double
    public let nearestNeighbourDistanceBohr: Double
    public let host: Element

    public init(lattice: CrystalLattice, host: Element) {
        latticeType = lattice.type
        latticeConstantBohr = lattice.latticeConstantBohr
        nearestNeighbourDistanceBohr = lattice.nearestNeighbourDistanceBohr
        self.host = host
    }

    /// Names of `values(elementFeatures:provider:)`.
    public static func names(elementFeatures: [String]) -> [String] {
        ["isBCC", "latticeConstantBohr"] + elementFeatures.map { "host." + $0 }
    }

    public func values(elementFeatures: [String], provider: any ElementFeatureProvider) throws -> [Double] {
        var v = [latticeType == .bcc ? 1.0 : 0.0, latticeConstantBohr]
        for name in elementFeatures { v.append(try provider.value(name, of: host)) }
        return v
    }
}
