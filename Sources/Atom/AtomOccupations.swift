import Elements

/// Spin channel of a free-atom quantity.
public enum SpinChannel: String, Sendable, Codable, CaseIterable {
    /// Non-spin-polarised calculation: one channel holding both spins.
    case unpolarized
    case up
    case down
}

/// One sub-shell with its occupation per spin channel.
public struct OrbitalOccupation: Sendable, Hashable, Codable {
    public let n: Int
    public let l: Int
    /// Occupation in each channel of the calculation (one entry unpolarised; up, down with spin).
    public let occupations: [Double]

    public var total: Double { occupations.reduce(0, +) }
    public var label: String { "\(n)\(Orbital.letter(l))" }
}

/// Occupations of a free-atom calculation.
///
/// Unpolarised: the NIST configuration (spherically averaged, fractional m occupations; Kotochigova
/// et al., Phys. Rev. A 55, 191 (1997)). Spin-polarised: **Hund's first rule per sub-shell** —
/// every partially filled sub-shell puts min(f, 2l+1) electrons in the majority (up) channel and
/// the rest in the minority channel, all open sub-shells aligned parallel (maximal total spin),
/// e.g. Fe 3d⁶ → 5↑ 1↓, Cr 3d⁵ 4s¹ → 3d 5↑, 4s 1↑, Gd 4f⁷ 5d¹ 6s² → 4f 7↑, 5d 1↑. Closed sub-shells
/// are split equally. This is a spherical, collinear model of the ground-state multiplet, not
/// a minimisation over spin configurations.
public enum AtomOccupations {
    public static func make(configuration: [Orbital], spinPolarized: Bool) -> [OrbitalOccupation] {
        configuration.map { o in
            guard spinPolarized else { return OrbitalOccupation(n: o.n, l: o.l, occupations: [o.occupation]) }
            let half = Double(2 * o.l + 1)
            if o.occupation >= 2 * half || o.occupation == 0 {
                return OrbitalOccupation(n: o.n, l: o.l, occupations: [o.occupation / 2, o.occupation / 2])
            }
            let up = min(o.occupation, half)
            return OrbitalOccupation(n: o.n, l: o.l, occupations: [up, o.occupation - up])
        }
    }

    /// Spin moment Σ (f↑ − f↓) in μ_B.
    public static func moment(_ occupations: [OrbitalOccupation]) -> Double {
        occupations.reduce(0) { $0 + ($1.occupations.count == 2 ? $1.occupations[0] - $1.occupations[1] : 0) }
    }
}
