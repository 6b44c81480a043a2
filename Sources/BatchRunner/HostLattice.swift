import Elements

/// The crystal lattice of a host (one atom per cell). Adding a structure (hcp, diamond) is one
/// new case here; the batch runner treats it as an identifier only.
public enum HostLattice: String, Sendable, Hashable, CaseIterable, Comparable, Codable {
    case fcc, bcc

    public static func < (a: HostLattice, b: HostLattice) -> Bool {
        allCases.firstIndex(of: a)! < allCases.firstIndex(of: b)!
    }

    /// Parses "fcc"/"bcc" (case-insensitive).
    public init(parsing text: String) throws {
        guard let lattice = HostLattice(rawValue: text.lowercased()) else {
            throw BatchError(.invalidArgument, "unknown lattice '\(text)': use one of \(HostLattice.allCases.map(\.rawValue).joined(separator: ", "))")
        }
        self = lattice
    }

    /// The room-temperature structure of the elemental solid, for the elements whose structure
    /// is fcc or bcc (Kittel, *Introduction to Solid State Physics*, 8th ed., table "Crystal
    /// structures of the elements"); nil for all others (hcp, complex, molecular), which need an
    /// explicit lattice ("Co:fcc").
    public static func groundState(of element: Element) -> HostLattice? {
        groundStates[element.atomicNumber]
    }

    private static let groundStates: [Int: HostLattice] = {
        var table: [Int: HostLattice] = [:]
        // fcc: Al Ca Ni Cu Sr Rh Pd Ag Ce Yb Ir Pt Au Pb Th
        for z in [13, 20, 28, 29, 38, 45, 46, 47, 58, 70, 77, 78, 79, 82, 90] { table[z] = .fcc }
        // bcc: Li Na K V Cr Fe Rb Nb Mo Cs Ba Eu Ta W
        for z in [3, 11, 19, 23, 24, 26, 37, 41, 42, 55, 56, 63, 73, 74] { table[z] = .bcc }
        return table
    }()
}
