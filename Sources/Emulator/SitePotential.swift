import Foundation
import KKRNumerics
import Radial

/// Collinear spin channel.
public enum Spin: Int, Sendable, CaseIterable {
    case up = 0, down = 1
}

/// The two learned spin combinations (emulator-model.md item 6):
///
///     charge   = (ΔV↑ + ΔV↓)/2,     magnetic = (ΔV↑ − ΔV↓)/2,
///     ΔV↑ = charge + magnetic,      ΔV↓ = charge − magnetic.
public enum SpinComponent: Int, Sendable, CaseIterable {
    case charge = 0, magnetic = 1

    public var name: String { self == .charge ? "charge" : "magnetic" }
}

/// The nuclear part of an impurity potential change and its separation
/// (emulator-model.md item 4). With V(r) = Σ_L V_L(r) Y_L(r̂) (real harmonics, all L including
/// L = 00), the change of the point-nucleus term −2Z/r (Ry, e² = 2) on the impurity site is
///
///     ΔV_00^nuc(r) = −2 (Z_imp − Z_host) √(4π) / r,
///
/// singular at r = 0. The model learns the smooth remainder ΔV − ΔV^nuc; this term is added back
/// analytically. Note that JuKKR potential files store vm2z = V + 2Z/r (FORMATS.md §1a), so a
/// difference of two files' spherical arrays is already the smooth part; a difference of total
/// potentials is not.
public enum NuclearTerm {
    /// ΔV_00^nuc(r); returns 0 at r = 0 only if ΔZ = 0 (otherwise −∞·sign).
    public static func l00(deltaZ: Int, radiusBohr r: Double) -> Double {
        if deltaZ == 0 { return 0 }
        return -2 * Double(deltaZ) * (4 * Double.pi).squareRoot() / r
    }

    /// Smooth L = 00 part of a total potential change: ΔV_00(r) − ΔV_00^nuc(r). The value at r = 0
    /// (where both terms diverge) is extrapolated linearly from the next two points.
    public static func smoothPart(ofTotalL00 v: [Double], deltaZ: Int, mesh: RadialMesh) throws -> [Double] {
        guard v.count == mesh.count else {
            throw EmulatorError.shapeMismatch("potential has \(v.count) values, the mesh has \(mesh.count) points")
        }
        var out = v
        for i in 0..<mesh.count where mesh.r[i] > 0 { out[i] = v[i] - l00(deltaZ: deltaZ, radiusBohr: mesh.r[i]) }
        if mesh.r[0] == 0 {
            let (r1, r2) = (mesh.r[1], mesh.r[2])
            out[0] = out[1] - (out[2] - out[1]) * r1 / (r2 - r1)
        }
        return out
    }

    /// The total L = 00 change from its smooth part: smooth + ΔV_00^nuc (−∞ at r = 0 when ΔZ ≠ 0).
    public static func totalL00(fromSmooth v: [Double], deltaZ: Int, mesh: RadialMesh) throws -> [Double] {
        guard v.count == mesh.count else {
            throw EmulatorError.shapeMismatch("potential has \(v.count) values, the mesh has \(mesh.count) points")
        }
        return zip(v, mesh.r).map { $0 + l00(deltaZ: deltaZ, radiusBohr: $1) }
    }

    /// √(4π): V_00 = √(4π) × spherical average (the JuKKR files store the spherical average for lm = 1).
    public static let sphericalAverageToL00 = (4 * Double.pi).squareRoot()
}

/// ΔV_L^σ(r) of one cluster site on its radial mesh: the smooth part (nuclear term removed),
/// real-harmonic coefficients V(r) = Σ_L V_L(r) Y_L(r̂) for all L with l ≤ lMax (L = 00 is
/// √(4π) × the spherical average), per spin. The sphere radius is `mesh.rmax`.
public struct SitePotentialChange: Sendable, Equatable {
    public let mesh: RadialMesh
    public let lMax: Int
    /// values[spin][lm][ir].
    public let up: [[Double]]
    public let down: [[Double]]

    public init(mesh: RadialMesh, lMax: Int, up: [[Double]], down: [[Double]]) throws {
        guard lMax >= 0 else { throw EmulatorError.invalidInput("lMax must be ≥ 0; got \(lMax)") }
        for (name, v) in [("up", up), ("down", down)] {
            guard v.count == lmCount(lMax) else {
                throw EmulatorError.shapeMismatch("spin-\(name) potential has \(v.count) lm components, lMax = \(lMax) needs \(lmCount(lMax))")
            }
            guard v.allSatisfy({ $0.count == mesh.count }) else {
                throw EmulatorError.shapeMismatch("spin-\(name) potential components must have \(mesh.count) radial values (the mesh)")
            }
        }
        self.mesh = mesh
        self.lMax = lMax
        self.up = up
        self.down = down
    }

    /// (ΔV↑ ± ΔV↓)/2 of component lm.
    public func component(_ c: SpinComponent, lm: Int) -> [Double] {
        zip(up[lm], down[lm]).map { c == .charge ? ($0 + $1) / 2 : ($0 - $1) / 2 }
    }

    /// Projection on a radial basis (docs/emulator.md §3), components up to `lMax`.
    public func projected(on basis: RadialTargetBasis, lMax targetLMax: Int) throws -> ProjectedSitePotential {
        try projected(with: try basis.projector(on: mesh), lMax: targetLMax)
    }

    /// Projection with a prebuilt projector (which must belong to this site's mesh).
    public func projected(with projector: RadialProjector, lMax targetLMax: Int) throws -> ProjectedSitePotential {
        guard projector.mesh == mesh else {
            throw EmulatorError.invalidInput("the radial projector was built for another mesh (N = \(projector.mesh.count), "
                + "R = \(projector.mesh.rmax)) than this potential's (N = \(mesh.count), R = \(mesh.rmax))")
        }
        let basis = projector.basis
        let nLM = lmCount(targetLMax)
        var c = [Double](repeating: 0, count: 2 * nLM * basis.count)
        for comp in SpinComponent.allCases {
            for lm in 0..<min(nLM, lmCount(lMax)) {
                let p = try projector.project(component(comp, lm: lm))
                for k in 0..<basis.count { c[(comp.rawValue * nLM + lm) * basis.count + k] = p[k] }
            }
        }
        return try ProjectedSitePotential(lMax: targetLMax, basisCount: basis.count, coefficients: c)
    }
}

/// Radial-basis coefficients of a site's smooth ΔV: c[component][lm][k] stored flat at
/// (component · (lMax+1)² + lm) · K + k, component 0 = charge, 1 = magnetic.
public struct ProjectedSitePotential: Sendable, Equatable {
    public let lMax: Int
    public let basisCount: Int
    public internal(set) var coefficients: [Double]

    public init(lMax: Int, basisCount: Int, coefficients: [Double]) throws {
        guard lMax >= 0, basisCount >= 1 else {
            throw EmulatorError.invalidInput("projected potential needs lMax ≥ 0 and ≥ 1 basis function")
        }
        guard coefficients.count == 2 * lmCount(lMax) * basisCount else {
            throw EmulatorError.shapeMismatch("projected potential has \(coefficients.count) coefficients; "
                + "2 components × \(lmCount(lMax)) lm × \(basisCount) radial functions = \(2 * lmCount(lMax) * basisCount) expected")
        }
        self.lMax = lMax
        self.basisCount = basisCount
        self.coefficients = coefficients
    }

    /// c_k (k = 0…K−1) for one component and lm.
    public func coefficients(_ c: SpinComponent, lm: Int) -> [Double] {
        let start = (c.rawValue * lmCount(lMax) + lm) * basisCount
        return Array(coefficients[start..<(start + basisCount)])
    }

    /// self − other; `other` may have a smaller lMax (its missing components count as zero).
    public func subtracting(_ other: ProjectedSitePotential) throws -> ProjectedSitePotential {
        guard other.basisCount == basisCount, other.lMax <= lMax else {
            throw EmulatorError.shapeMismatch("cannot subtract coefficients with lMax \(other.lMax), K = \(other.basisCount) "
                + "from lMax \(lMax), K = \(basisCount)")
        }
        var c = self
        let nIn = lmCount(other.lMax), nOut = lmCount(lMax)
        for comp in 0..<2 {
            for lm in 0..<nIn {
                for k in 0..<basisCount {
                    c.coefficients[(comp * nOut + lm) * basisCount + k] -= other.coefficients[(comp * nIn + lm) * basisCount + k]
                }
            }
        }
        return c
    }

    /// The same data with the magnetic part negated (the other collinear magnetic solution).
    public func withFlippedMagnetisation() -> ProjectedSitePotential {
        var c = self
        let half = lmCount(lMax) * basisCount
        for i in half..<(2 * half) { c.coefficients[i] = -c.coefficients[i] }
        return c
    }
}

/// The r²-weighted rms size of a potential change over the atomic sphere (the validation metric,
/// docs/emulator.md §12): with ΔV(r) = Σ_L ΔV_L(r) Y_L(r̂) and R the sphere radius,
///
///     e_c = [ 3/(4π R³) ∫_0^R Σ_L ΔV_{L,c}(r)² r² dr ]^{1/2}     (Ry)
///
/// for the charge (c = (↑+↓)/2) and magnetic (c = (↑−↓)/2) parts: the root of the volume
/// average of ΔV² over the sphere. For a spherical ΔV this is JuKKR's rms measure
/// sqrt((3/R³) ∫ ΔV_sph² r² dr) of the spherical average (`JuKKR:mixstr.f90`). `total` =
/// sqrt(e_charge² + e_magnetic²) = the rms over both spins of ΔV^σ.
public struct SitePotentialError: Sendable, Equatable {
    public var charge: Double
    public var magnetic: Double

    public init(charge: Double, magnetic: Double) {
        self.charge = charge
        self.magnetic = magnetic
    }

    public var total: Double { (charge * charge + magnetic * magnetic).squareRoot() }
}

extension SitePotentialChange {
    /// The rms size (`SitePotentialError`) of this change: all lm components up to lMax.
    public var rmsSize: SitePotentialError {
        var sums = [0.0, 0.0]
        var f = [Double](repeating: 0, count: mesh.count)
        for comp in SpinComponent.allCases {
            for lm in 0..<lmCount(lMax) {
                let v = component(comp, lm: lm)
                for i in 0..<mesh.count { f[i] = v[i] * v[i] * mesh.r[i] * mesh.r[i] }
                sums[comp.rawValue] += mesh.integrate(f)
            }
        }
        let norm = 3 / (4 * Double.pi * mesh.rmax * mesh.rmax * mesh.rmax)
        return SitePotentialError(charge: (max(sums[0], 0) * norm).squareRoot(), magnetic: (max(sums[1], 0) * norm).squareRoot())
    }

    /// The rms size of `self − other` (same mesh; lm components missing in one of them count as
    /// zero).
    public func rmsDifference(to other: SitePotentialChange) throws -> SitePotentialError {
        guard other.mesh == mesh else {
            throw EmulatorError.shapeMismatch("potential changes on different meshes (N = \(mesh.count), R = \(mesh.rmax) vs "
                + "N = \(other.mesh.count), R = \(other.mesh.rmax)); interpolate first")
        }
        return try difference(other).rmsSize
    }

    /// self − other on the common mesh, lMax = the larger of the two.
    public func difference(_ other: SitePotentialChange) throws -> SitePotentialChange {
        guard other.mesh == mesh else {
            throw EmulatorError.shapeMismatch("potential changes on different meshes (N = \(mesh.count) vs \(other.mesh.count))")
        }
        let l = max(lMax, other.lMax)
        let zero = [Double](repeating: 0, count: mesh.count)
        func pick(_ v: [[Double]], _ lm: Int) -> [Double] { lm < v.count ? v[lm] : zero }
        let up = (0..<lmCount(l)).map { lm in zip(pick(self.up, lm), pick(other.up, lm)).map { $0 - $1 } }
        let down = (0..<lmCount(l)).map { lm in zip(pick(self.down, lm), pick(other.down, lm)).map { $0 - $1 } }
        return try SitePotentialChange(mesh: mesh, lMax: l, up: up, down: down)
    }

    /// The change plus a constant c (Ry) over the sphere in both spins: ΔV_00 += √(4π) c, the
    /// other lm unchanged (e.g. the solver's semicore-guard shift of a start).
    public func addingConstant(_ ry: Double) -> SitePotentialChange {
        let c = ry * NuclearTerm.sphericalAverageToL00
        func shifted(_ v: [[Double]]) -> [[Double]] { v.enumerated().map { lm, f in lm == 0 ? f.map { $0 + c } : f } }
        // Same shapes: valid by construction.
        return try! SitePotentialChange(mesh: mesh, lMax: lMax, up: shifted(up), down: shifted(down))
    }

    /// The same change with the magnetic part negated (ΔV↑ ↔ ΔV↓).
    public func withFlippedMagnetisation() -> SitePotentialChange {
        // Same shapes: valid by construction.
        try! SitePotentialChange(mesh: mesh, lMax: lMax, up: down, down: up)
    }
}
