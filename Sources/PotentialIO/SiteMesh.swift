import Foundation
import Radial

/// The radial mesh of one site as the JuKKR readers build it (`../shared/FORMATS.md` §1a
/// "Radial mesh"; `host/startb1.f90` 375-425, `imp/read_potential.f90` 392-438):
///
/// - spherical (INS = 0): NR points r_i = B(e^{A(i−1)} − 1), r(NR) = RWS;
/// - full potential: IMT exponential points ending at RMTNEW = SCALE·ALAT·xrn(1), with
///   IMT = nint(ln(RMTNEW/B + 1)/A) + 1 (must be odd) and B recomputed as
///   RMTNEW/(e^{A(IMT−1)} − 1), followed by the MESHN shapefun panel points
///   r = SCALE·ALAT·xrn, dr/di = SCALE·ALAT·drn; NR = IMT + MESHN. The first panel point
///   repeats r(IMT), and every panel boundary is a repeated radius.
///
/// Indices are 0-based: `r[0] = 0`.
public struct SiteMesh: Equatable, Sendable {
    /// Mesh parameter A.
    public let a: Double
    /// B of the exponential part as used by the readers (recomputed from RMTNEW for full
    /// potentials), bohr.
    public let b: Double
    /// Number of exponential points: IMT for full potentials, NR for spherical ones.
    public let exponentialPointCount: Int
    /// Points per shapefun panel (NM); empty for spherical meshes.
    public let panelPointCounts: [Int]
    /// Radii, bohr.
    public let r: [Double]
    /// dr/di, bohr.
    public let drdi: [Double]

    public var count: Int { r.count }
    public var rmax: Double { r[r.count - 1] }
    public var isFullPotential: Bool { !panelPointCounts.isEmpty }

    /// A spherical (ASA/MT) mesh from a `RadialMesh`.
    public init(exponential mesh: RadialMesh) {
        self.init(a: mesh.a, b: mesh.b, exponentialPointCount: mesh.count, panelPointCounts: [], r: mesh.r, drdi: mesh.drdi)
    }

    /// The exponential part as a `RadialMesh` (IMT points for full potentials).
    public var exponentialPart: RadialMesh {
        // a, b > 0 and IMT ≥ 5 are checked on construction.
        try! RadialMesh(a: a, b: b, count: exponentialPointCount)
    }

    /// Index ranges of the pieces on which the radius increases strictly: the exponential part,
    /// then one range per panel.
    public var segments: [Range<Int>] {
        var out = [0..<exponentialPointCount]
        var start = exponentialPointCount
        for n in panelPointCounts {
            out.append(start..<(start + n))
            start += n
        }
        return out
    }

    /// The mesh of a potential block. Full-potential blocks need their shapefun cell, which
    /// defines the radii beyond the muffin-tin sphere.
    public init(block: PotentialBlock, shape: ShapeCell? = nil) throws(PotentialFileError) {
        let path = block.source?.path ?? "<memory>"
        let line = block.source?.line
        func fail(_ m: String) -> PotentialFileError {
            PotentialFileError(path: path, line: line, message: "block \(block.label): " + m)
        }
        let a = block.meshA, nr = block.radialPointCount
        guard block.isFullPotential else {
            guard nr >= 5 else { throw fail("NR = \(nr): a radial mesh needs at least 5 points") }
            guard let m = try? RadialMesh(a: a, b: block.meshBBohr, count: nr) else {
                throw fail("invalid mesh parameters A = \(a), B = \(block.meshBBohr)")
            }
            self.init(exponential: m)
            return
        }
        guard let shape else {
            // This project's ASA files with lm components: the non-spherical part covers every
            // point (IRNS + 1 = NR) of a purely exponential mesh, so no shapefun is involved.
            if let fp = block.fullPotential, fp.irns + 1 == nr, nr >= 5,
               let m = try? RadialMesh(a: a, b: block.meshBBohr, count: nr),
               abs(m.rmax - block.wignerSeitzRadiusBohr) <= 1e-5 * block.wignerSeitzRadiusBohr {
                self.init(exponential: m)
                return
            }
            throw fail("a full-potential block needs its shapefun cell to build the radial mesh beyond IMT (pass the shapefun)")
        }
        guard let xrn1 = shape.radiiAlat.first, shape.drdiAlat.count == shape.radiiAlat.count,
              shape.panelPointCounts.reduce(0, +) == shape.meshPointCount, shape.panelPointCounts.allSatisfy({ $0 > 0 }) else {
            throw fail("the shapefun cell is inconsistent (XRN, DRN and the panel point counts NM disagree)")
        }
        // startb1.f90 375-389: RMTNEW from the shapefun, IMT from the file's A and B.
        let rmtnew = shape.scale * block.latticeConstantBohr * xrn1
        guard rmtnew > 0, rmtnew.isFinite else {
            throw fail("SCALE·ALAT·xrn(1) = \(rmtnew) must be a positive muffin-tin radius (ALAT = \(block.latticeConstantBohr))")
        }
        guard abs(rmtnew - block.adaptedMuffinTinRadiusBohr) <= 1e-7 else {
            throw fail("RMTNEW = \(block.adaptedMuffinTinRadiusBohr) on line 2 differs from SCALE·ALAT·xrn(1) = \(rmtnew) of the shapefun by more than 1e-7 (KKRimp check, read_potential.f90 392-397): wrong shapefun or ALAT?")
        }
        let x = log(rmtnew / block.meshBBohr + 1) / a
        guard x.isFinite, x >= 4, x < Double(nr) else {
            throw fail("IMT = nint(ln(RMTNEW/B+1)/A)+1 from RMTNEW = \(rmtnew), A = \(a), B = \(block.meshBBohr) is not in 5…NR = \(nr)")
        }
        let imt = Int(x.rounded()) + 1
        guard imt % 2 == 1 else {
            throw fail("IMT = nint(ln(RMTNEW/B+1)/A)+1 = \(imt) is even; KKRimp requires it odd (\"ICORE is not odd\", read_potential.f90 402-414)")
        }
        guard nr == imt + shape.meshPointCount else {
            throw fail("NR = \(nr) but IMT + MESHN = \(imt) + \(shape.meshPointCount) = \(imt + shape.meshPointCount) (startb1.f90 428-438 'IRT1P.NE.NR'): the shapefun does not belong to this potential")
        }
        let bEff = rmtnew / (exp(a * Double(imt - 1)) - 1)
        var r = [Double](repeating: 0, count: nr)
        var d = [Double](repeating: 0, count: nr)
        for i in 0..<imt {
            let e = exp(a * Double(i))
            r[i] = bEff * (e - 1)
            d[i] = a * bEff * e
        }
        let s = shape.scale * block.latticeConstantBohr
        for k in 0..<shape.meshPointCount {
            r[imt + k] = s * shape.radiiAlat[k]
            d[imt + k] = s * shape.drdiAlat[k]
        }
        self.init(a: a, b: bEff, exponentialPointCount: imt, panelPointCounts: shape.panelPointCounts, r: r, drdi: d)
    }

    private init(a: Double, b: Double, exponentialPointCount: Int, panelPointCounts: [Int], r: [Double], drdi: [Double]) {
        self.a = a
        self.b = b
        self.exponentialPointCount = exponentialPointCount
        self.panelPointCounts = panelPointCounts
        self.r = r
        self.drdi = drdi
    }

    /// IMT estimated from the block header alone (no shapefun): nint(ln(RMTNEW/B + 1)/A) + 1.
    public static func estimatedMuffinTinIndex(of block: PotentialBlock) -> Int? {
        guard block.adaptedMuffinTinRadiusBohr > 0, block.meshBBohr > 0, block.meshA > 0 else { return nil }
        let x = log(block.adaptedMuffinTinRadiusBohr / block.meshBBohr + 1) / block.meshA
        guard x.isFinite, abs(x) < 1e9 else { return nil }
        return Int(x.rounded()) + 1
    }
}
