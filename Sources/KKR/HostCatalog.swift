import Elements

/// Default lattice and lattice constant of elemental hosts: the room-temperature structure and
/// lattice constant of the element (C. Kittel, *Introduction to Solid State Physics*, 8th ed.,
/// Wiley 2005, ch. 1, table 4 "Crystal structures of the elements"; Å converted with
/// 1 Å = 1.8897261 bohr), except Cu and Fe, which use the values of `../shared/KKR_NOTES.md` §10
/// (6.82 and 5.42 bohr). Users can always give the lattice constant explicitly.
public enum HostCatalog {
    public struct Entry: Sendable, Equatable {
        public var lattice: String
        public var latticeConstantBohr: Double
    }

    static let angstrom = 1.8897261
    static let table: [String: (String, Double)] = [
        // fcc
        "Al": ("fcc", 4.05), "Ca": ("fcc", 5.58), "Ni": ("fcc", 3.52), "Cu": ("fcc", 6.82 / angstrom),
        "Sr": ("fcc", 6.08), "Rh": ("fcc", 3.80), "Pd": ("fcc", 3.89), "Ag": ("fcc", 4.09), "Ce": ("fcc", 5.16),
        "Yb": ("fcc", 5.49), "Ir": ("fcc", 3.84), "Pt": ("fcc", 3.92), "Au": ("fcc", 4.08), "Pb": ("fcc", 4.95),
        "Th": ("fcc", 5.08),
        // bcc
        "Li": ("bcc", 3.49), "Na": ("bcc", 4.23), "K": ("bcc", 5.23), "V": ("bcc", 3.03), "Cr": ("bcc", 2.88),
        "Fe": ("bcc", 5.42 / angstrom), "Rb": ("bcc", 5.59), "Nb": ("bcc", 3.30), "Mo": ("bcc", 3.15), "Cs": ("bcc", 6.05),
        "Ba": ("bcc", 5.02), "Eu": ("bcc", 4.58), "Ta": ("bcc", 3.30), "W": ("bcc", 3.16),
    ]

    /// The default host entry of an element, or nil if its elemental solid is neither fcc nor bcc.
    public static func entry(for element: Element) -> Entry? {
        guard let (lat, aA) = table[element.symbol] else { return nil }
        return Entry(lattice: lat, latticeConstantBohr: (aA * angstrom * 1e4).rounded() / 1e4)
    }
}
