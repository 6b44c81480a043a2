/// Bravais lattice types supported by the KKR host solver.
///
/// Every type is described by primitive vectors and a *basis* of sites per primitive cell (in
/// units of the cubic lattice constant a), so that lattices with more than one site per cell
/// (hcp, diamond: phase 2 of DESIGN.md) can be added as new cases without changing
/// `CrystalLattice`, `Cluster` or `KMesh`.
public enum LatticeType: String, CaseIterable, Sendable, Codable {
    /// Face-centred cubic: a₁ = a/2 (0, 1, 1), a₂ = a/2 (1, 0, 1), a₃ = a/2 (1, 1, 0).
    case fcc
    /// Body-centred cubic: a₁ = a/2 (−1, 1, 1), a₂ = a/2 (1, −1, 1), a₃ = a/2 (1, 1, −1).
    case bcc
    /// Simple cubic: a₁ = a x̂, a₂ = a ŷ, a₃ = a ẑ.
    case sc

    /// Primitive vectors in units of a (Cartesian), the standard choice of
    /// Ashcroft & Mermin, *Solid State Physics* (1976), ch. 4.
    public var primitiveVectorsInUnitsOfA: [Vector3] {
        switch self {
        case .fcc: return [Vector3(0, 0.5, 0.5), Vector3(0.5, 0, 0.5), Vector3(0.5, 0.5, 0)]
        case .bcc: return [Vector3(-0.5, 0.5, 0.5), Vector3(0.5, -0.5, 0.5), Vector3(0.5, 0.5, -0.5)]
        case .sc: return [Vector3(1, 0, 0), Vector3(0, 1, 0), Vector3(0, 0, 1)]
        }
    }

    /// Positions of the sites of one primitive cell in units of a (Cartesian). One site at the
    /// origin for the cubic Bravais lattices.
    public var basisInUnitsOfA: [Vector3] { [Vector3(0, 0, 0)] }

    /// The point group of the crystal (all operations map the lattice with its basis onto itself).
    public var pointGroup: PointGroup { .cubicOh }
}
