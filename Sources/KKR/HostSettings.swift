import Foundation
import KKRNumerics
import Radial

/// How the number of k-points follows the distance of an energy point from the real axis
/// (`../shared/notes/scf-practice.md`: dense meshes only for points near the real axis).
/// An energy point with Im E < `belowImaginaryPartRy[i]` uses `divisions[i]`³ (first match);
/// otherwise `coarseDivisions`³.
public struct KMeshSchedule: Sendable, Codable, Equatable {
    public var belowImaginaryPartRy: [Double]
    public var divisions: [Int]
    public var coarseDivisions: Int

    public init(belowImaginaryPartRy: [Double], divisions: [Int], coarseDivisions: Int) {
        precondition(belowImaginaryPartRy.count == divisions.count)
        self.belowImaginaryPartRy = belowImaginaryPartRy
        self.divisions = divisions
        self.coarseDivisions = coarseDivisions
    }

    /// Default: 30³ for Im E < 0.05 Ry (the first Matsubara poles at 800 K), 20³ below 0.12,
    /// 14³ below 0.3, 10³ above (scf-practice: a single 20³ mesh leaves E_F of Cu uncertain by
    /// ~3 mRy, 30³ by ~0.2 mRy).
    public static let standard = KMeshSchedule(belowImaginaryPartRy: [0.05, 0.12, 0.3], divisions: [30, 20, 14], coarseDivisions: 10)

    /// A cheap schedule for tests and quick looks.
    public static let coarse = KMeshSchedule(belowImaginaryPartRy: [0.05, 0.12], divisions: [16, 12], coarseDivisions: 8)

    /// About 1.5 times the standard divisions (≈ 3.4 times the k-points) — to measure the standard
    /// schedule's own error in convergence tables and to check k-sensitive quantities (the Ni moment).
    public static let fine = KMeshSchedule(belowImaginaryPartRy: [0.05, 0.12, 0.3], divisions: [44, 30, 20], coarseDivisions: 14)

    /// The schedules by the names the command-line tools accept.
    public static let named: [(name: String, schedule: KMeshSchedule)] = [("coarse", .coarse), ("standard", .standard), ("fine", .fine)]

    /// The schedule called `name` (coarse, standard, fine), or nil.
    public static func named(_ name: String) -> KMeshSchedule? {
        named.first { $0.name == name }?.schedule
    }

    public func divisions(forImaginaryPart im: Double) -> Int {
        for (limit, n) in zip(belowImaginaryPartRy, divisions) where im < limit { return n }
        return coarseDivisions
    }

    /// Every distinct division count used.
    public var allDivisions: [Int] { Array(Set(divisions + [coarseDivisions])).sorted() }
}

/// Mixing settings of an SCF run: straight mixing for `linearSteps` iterations, then Broyden-II
/// (`../shared/notes/scf-practice.md`; KKR_NOTES §8). The magnetic part V_m is mixed
/// `magneticFactor` (JuKKR FCM) times faster in the straight steps.
public struct MixingSettings: Sendable, Codable, Equatable {
    public var linearAlpha: Double = 0.05
    public var linearSteps: Int = 6
    public var broydenAlpha: Double = 0.1
    public var broydenHistory: Int = 20
    public var magneticFactor: Double = 5
    public init() {}
}

/// The energy zero of the ASA scattering problem: the constant potential that the free-space
/// structure constants assume between the atomic spheres (KKR_NOTES §4, §7). In the ASA the
/// spheres overlap and there is no interstitial, so the choice changes the result: the
/// free-electron-like s and p bands, whose kinetic energy in the overlap region is E − V_0,
/// move relative to the narrow d bands.
public enum PotentialZero: String, Sendable, Codable, CaseIterable {
    /// The electrostatic zero V_H(R_WS) = 0 of a neutral sphere (the potential near R_WS lies
    /// 0.5–0.8 Ry below this zero for transition metals).
    case electrostatic
    /// The muffin-tin zero of JuKKR's ASA: the potential is shifted by
    /// VBC = −⟨V⟩ (the r²-weighted average of the spin-averaged V over the shell
    /// R_MT < r < R_WS, R_MT = half the nearest-neighbour distance), so that it vanishes on
    /// average where the spheres overlap (`JuKKR:source/KKRhost/mtzero.f90`, IPAN = 1 branch;
    /// FORMATS.md "Energy zero"). VBC is written to potential files.
    case muffinTinShell
}

/// Everything that defines a host calculation (the defaults follow JuKKR's where they exist,
/// `JuKKR:rinput13.F90` via KKR_NOTES §6.2 and FORMATS.md §1d).
public struct HostSettings: Sendable, Codable, Equatable {
    public var elementSymbol: String
    public var lattice: String              // "fcc" | "bcc"
    public var latticeConstantBohr: Double
    public var lmax: Int = 3
    public var spinPolarized: Bool = false
    public var functional: String = "vwn"   // libxc VWN5 (JuKKR KEXCOR 2) or "pw92"
    public var relativity: Relativity = .scalarRelativistic
    public var speedOfLight: Double = SpeedOfLight.jukkrRy
    /// Contour: temperature, poles, points (NPT1/2/3).
    public var temperatureK: Double = 800
    public var poles: Int = 7
    public var verticalPoints: Int = 3
    public var horizontalPoints: Int = 24
    public var tailPoints: Int = 3
    /// Contour bottom relative to E_F (Ry); must lie below the valence band and above the cores.
    public var contourBottomBelowFermiRy: Double = 1.0
    public var kMesh: KMeshSchedule = .standard
    /// Screening: repulsive reference potential and its sphere radius (fraction of half the
    /// nearest-neighbour distance), real-space cluster radius.
    public var referencePotentialRy: Double = 8
    public var referenceRadiusFraction: Double = 0.99
    public var screeningClusterRadiusBohr: Double = 11
    /// Radial mesh: logarithmic step and first non-zero point.
    public var meshStep: Double = 0.02
    public var meshFirstPointBohr: Double = 1e-6
    /// Initial spin splitting (Ry) of a spin-polarised start and the number of iterations it is held.
    public var initialSpinSplittingRy: Double = 0.05
    public var mixing = MixingSettings()
    public var rmsTolerance: Double = 1e-8
    public var maxIterations: Int = 200
    /// Energy zero of the scattering problem. Optional so that settings stored before this field
    /// existed decode as what they were computed with (nil = `.electrostatic`).
    public var potentialZero: PotentialZero? = .muffinTinShell
    /// `potentialZero` with the stored-settings default resolved.
    public var resolvedPotentialZero: PotentialZero { potentialZero ?? .electrostatic }

    public init(elementSymbol: String, lattice: String, latticeConstantBohr: Double) {
        self.elementSymbol = elementSymbol
        self.lattice = lattice
        self.latticeConstantBohr = latticeConstantBohr
    }
}
