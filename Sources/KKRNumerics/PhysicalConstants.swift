/// Physical constants in Rydberg atomic units (ħ = 1, 2m = 1, e² = 2; energies in Ry, lengths
/// in bohr), `../shared/KKR_NOTES.md` header.
public enum PhysicalConstants {
    // The speed of light lives with the radial equations: `Radial.SpeedOfLight`.
    /// Boltzmann constant in Ry/K (JuKKR `kb`).
    public static let boltzmannRyPerK = 6.33362e-6
    /// 1 Ry in eV.
    public static let rydbergInEV = 13.605693
    /// 1 Hartree in Ry.
    public static let hartreeInRy = 2.0
}
