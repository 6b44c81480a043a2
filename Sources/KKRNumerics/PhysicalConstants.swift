/// Physical constants in Rydberg atomic units (ħ = 1, 2m = 1, e² = 2; energies in Ry, lengths
/// in bohr), `../shared/KKR_NOTES.md` header.
public enum PhysicalConstants {
    /// Speed of light c = 2/α in Ry units, JuKKR's `cvlight` = 274.0720442.
    public static let speedOfLightJuKKR = 274.0720442
    /// Speed of light used by the NIST atomic tables: 137.0359895 a.u. (Hartree) = 274.071979 Ry units.
    public static let speedOfLightNIST = 2 * 137.0359895
    /// Boltzmann constant in Ry/K (JuKKR `kb`).
    public static let boltzmannRyPerK = 6.33362e-6
    /// 1 Ry in eV.
    public static let rydbergInEV = 13.605693
    /// 1 Hartree in Ry.
    public static let hartreeInRy = 2.0
}
