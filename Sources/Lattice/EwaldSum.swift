import Foundation
import KKRNumerics

/// Ewald summation of the electrostatic potential of periodic point charges in a uniform
/// neutralising background (Ewald, Ann. Phys. 369, 253 (1921), doi:10.1002/andp.19213690304;
/// the form used here is that of e.g. Frenkel & Smit, *Understanding Molecular Simulation*,
/// 2nd ed. (2002), §12.1).
///
/// Units: potentials in the convention "a unit charge at distance r gives 1/r" (bohr⁻¹). In
/// Rydberg units (e² = 2) the potential energy of an electron is −2× this; the ASA Madelung shift
/// of KKR_NOTES §7.2 is V^M_i = −2 Σ_j M_ij q_j with the `madelungMatrix` M.
///
/// With splitting parameter η (bohr⁻¹), for sites τ_i of a cell of volume V:
///
///     M_ij = Σ'_R erfc(η|τ_ij + R|)/|τ_ij + R|
///          + (4π/V) Σ_{G≠0} exp(−G²/4η²)/G² cos(G·τ_ij)
///          − π/(V η²)                      (neutralising background of charge −1 per cell)
///          − δ_ij 2η/√π                    (removes the self term),
///
/// τ_ij = τ_j − τ_i, Σ' omits |τ_ij + R| = 0. The G = 0 term is omitted: the cell average of the
/// potential of each charge plus its background is zero. M is symmetric and independent of η
/// (tested to 1e-10). Each sum is cut where its terms fall below ~1e-17 relative.
public struct EwaldSum: Sendable {
    public let primitiveVectorsBohr: [Vector3]
    public let positionsBohr: [Vector3]
    /// η (bohr⁻¹).
    public let splittingPerBohr: Double
    private let reciprocalVectors: [Vector3]
    private let volume: Double

    /// - Parameters:
    ///   - splittingPerBohr: η; default √π / V^{1/3}, which balances the real- and
    ///     reciprocal-space work.
    public init(primitiveVectorsBohr a: [Vector3], positionsBohr: [Vector3], splittingPerBohr: Double? = nil) throws {
        guard a.count == 3 else { throw LatticeError.invalidInput("Ewald sum needs 3 primitive vectors, got \(a.count)") }
        let v = dot(a[0], cross(a[1], a[2]))
        guard abs(v) > 1e-12 else { throw LatticeError.invalidInput("primitive vectors are linearly dependent") }
        guard !positionsBohr.isEmpty else { throw LatticeError.invalidInput("Ewald sum needs at least one site") }
        let eta = splittingPerBohr ?? Double.pi.squareRoot() / cbrt(abs(v))
        guard eta.isFinite, eta > 0 else { throw LatticeError.invalidLength(name: "Ewald splitting parameter", value: eta) }
        primitiveVectorsBohr = a
        self.positionsBohr = positionsBohr
        self.splittingPerBohr = eta
        volume = abs(v)
        let f = 2 * Double.pi / v
        reciprocalVectors = [f * cross(a[1], a[2]), f * cross(a[2], a[0]), f * cross(a[0], a[1])]
    }

    /// The Ewald sum for all sites of a crystal.
    public init(lattice: CrystalLattice, splittingPerBohr: Double? = nil) throws {
        try self.init(primitiveVectorsBohr: lattice.primitiveVectorsBohr, positionsBohr: lattice.basisBohr,
                      splittingPerBohr: splittingPerBohr)
    }

    /// The Madelung matrix M_ij (bohr⁻¹): potential at site i of a unit charge on site j, its
    /// periodic images and its neutralising background, excluding the self term for i = j.
    public func madelungMatrix() -> RealMatrix {
        let n = positionsBohr.count
        let eta = splittingPerBohr
        // Cut-offs: erfc(x) < 1e-17 for x > 6.0; exp(−x²) < 1e-17 for x > 6.3.
        let rCut = 6.2 / eta
        let gCut = 2 * eta * 6.4
        let realVectors = latticeVectors(basis: primitiveVectorsBohr, radius: rCut + maxSeparation())
        let recVectors = latticeVectors(basis: reciprocalVectors, radius: gCut).filter { dot($0, $0) > 0 }
        let background = -Double.pi / (volume * eta * eta)
        let selfTerm = -2 * eta / Double.pi.squareRoot()
        var m = RealMatrix(rows: n, cols: n)
        for i in 0..<n {
            for j in i..<n {
                let tau = positionsBohr[j] - positionsBohr[i]
                // Real-space part, summed from small to large terms' order of generation.
                var real = 0.0
                for r in realVectors {
                    let d = length(tau + r)
                    if d < 1e-12 || d > rCut { continue }
                    real += erfc(eta * d) / d
                }
                var rec = 0.0
                for g in recVectors {
                    let g2 = dot(g, g)
                    rec += exp(-g2 / (4 * eta * eta)) / g2 * cos(dot(g, tau))
                }
                rec *= 4 * Double.pi / volume
                var value = real + rec + background
                if i == j { value += selfTerm }
                m[i, j] = value
                m[j, i] = value
            }
        }
        return m
    }

    /// Potentials φ_i = Σ_j M_ij q_j (bohr⁻¹ per unit charge) of charges q_j on the sites.
    /// With Σ q_j ≠ 0 the compensating background of −Σ q_j per cell is included.
    public func potentials(charges: [Double]) -> [Double] {
        precondition(charges.count == positionsBohr.count, "need one charge per site")
        return madelungMatrix().apply(charges)
    }

    /// Electrostatic energy per cell E = ½ Σ_i q_i φ_i (charge²/bohr; ×2 for Rydberg).
    public func energy(charges: [Double]) -> Double {
        let phi = potentials(charges: charges)
        return 0.5 * zip(charges, phi).reduce(0) { $0 + $1.0 * $1.1 }
    }

    private func maxSeparation() -> Double {
        var d = 0.0
        for p in positionsBohr { for q in positionsBohr { d = max(d, length(p - q)) } }
        return d
    }

    /// All Σ nᵢ vᵢ with length ≤ radius (exact bound on nᵢ from the dual basis).
    private func latticeVectors(basis v: [Vector3], radius: Double) -> [Vector3] {
        let vol = dot(v[0], cross(v[1], v[2]))
        let dual = [cross(v[1], v[2]) / vol, cross(v[2], v[0]) / vol, cross(v[0], v[1]) / vol]
        let nMax = dual.map { Int((radius * length($0)).rounded(.up)) }
        var out: [Vector3] = []
        for n1 in -nMax[0]...nMax[0] {
            for n2 in -nMax[1]...nMax[1] {
                for n3 in -nMax[2]...nMax[2] {
                    let r = Double(n1) * v[0] + Double(n2) * v[1] + Double(n3) * v[2]
                    if dot(r, r) <= radius * radius { out.append(r) }
                }
            }
        }
        return out
    }
}

extension CrystalLattice {
    /// The Wigner–Seitz-radius Madelung constant α of a one-site lattice: the potential at a site
    /// of unit point charges on all other sites plus a uniform neutralising background is
    /// −α/R_WS (KKR_NOTES §7.2: α_fcc = 1.79174723, α_bcc = 1.79185851, α_sc = 1.76011888).
    /// For several sites per cell, α is defined with the potential at site 0 of equal unit charges.
    public func madelungConstant() throws -> Double {
        let m = try EwaldSum(lattice: self).madelungMatrix()
        let phi0 = (0..<sitesPerCell).reduce(0.0) { $0 + m[0, $1] }
        return -phi0 * wignerSeitzRadiusBohr
    }
}
