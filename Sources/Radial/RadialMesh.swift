import Foundation

/// Errors of radial-mesh construction and use.
public enum RadialMeshError: Error, Equatable, CustomStringConvertible {
    case invalidParameters(String)
    case lengthMismatch(expected: Int, found: Int)
    case outsideMesh(r: Double, rmax: Double)

    public var description: String {
        switch self {
        case .invalidParameters(let s): return "invalid radial mesh: \(s)"
        case .lengthMismatch(let e, let f): return "radial function has \(f) values, the mesh has \(e) points"
        case .outsideMesh(let r, let rmax):
            return "r = \(r) bohr lies outside the source mesh (r_max = \(rmax) bohr); refusing to extrapolate"
        }
    }
}

/// The JuKKR exponential radial mesh (`../shared/KKR_NOTES.md` §1; `JuKKR:source/KKRhost/startb1.f90`):
///
///     r_i = b (e^{a(i−1)} − 1),  i = 1…N,   dr/di = a (r_i + b),
///
/// so r_1 = 0 exactly, the mesh is nearly linear near the nucleus (spacing ≈ a·b) and
/// logarithmic outside (Δr/r ≈ a). Indices in Swift are 0-based: `r[0] = 0`.
public struct RadialMesh: Equatable, Sendable {
    /// Logarithmic step a.
    public let a: Double
    /// Scale b in bohr.
    public let b: Double
    /// Radii r_i in bohr (r[0] = 0).
    public let r: [Double]
    /// Jacobian dr/di in bohr.
    public let drdi: [Double]

    public var count: Int { r.count }
    public var rmax: Double { r[r.count - 1] }

    /// Mesh from the file parameters a, b and the number of points N.
    public init(a: Double, b: Double, count n: Int) throws {
        guard a > 0, a.isFinite else { throw RadialMeshError.invalidParameters("a = \(a) must be positive") }
        guard b > 0, b.isFinite else { throw RadialMeshError.invalidParameters("b = \(b) must be positive") }
        guard n >= 5 else { throw RadialMeshError.invalidParameters("N = \(n) points; at least 5 are needed") }
        self.a = a
        self.b = b
        var rr = [Double](repeating: 0, count: n)
        var dd = [Double](repeating: 0, count: n)
        for i in 0..<n {
            let e = exp(a * Double(i))
            rr[i] = b * (e - 1)
            dd[i] = a * b * e
        }
        r = rr
        drdi = dd
    }

    /// Mesh that ends exactly at `rmax`: b = rmax / (e^{a(N−1)} − 1), and r[N−1] is set to
    /// `rmax` bit-exactly (the t-matrix is matched there; KKR_NOTES pitfall 11).
    public init(rmax: Double, a: Double, count n: Int) throws {
        guard rmax > 0, rmax.isFinite else { throw RadialMeshError.invalidParameters("r_max = \(rmax) must be positive") }
        guard a > 0, n >= 5 else { throw RadialMeshError.invalidParameters("a = \(a), N = \(n)") }
        let b = rmax / (exp(a * Double(n - 1)) - 1)
        let m = try RadialMesh(a: a, b: b, count: n)
        var rr = m.r
        rr[n - 1] = rmax
        self.init(a: a, b: b, r: rr, drdi: m.drdi)
    }

    private init(a: Double, b: Double, r: [Double], drdi: [Double]) {
        self.a = a; self.b = b; self.r = r; self.drdi = drdi
    }

    /// Mesh whose first point is `rmin` > 0 after the origin: chooses b from r_2 = b(e^a − 1)
    /// and N so that r_N ≥ rmax, then rescales b so that r_N = rmax exactly.
    public static func covering(rmax: Double, firstPoint rmin: Double, a: Double) throws -> RadialMesh {
        guard rmin > 0, rmax > rmin else { throw RadialMeshError.invalidParameters("need 0 < r_min < r_max") }
        let b0 = rmin / (exp(a) - 1)
        var n = Int((log(rmax / b0 + 1) / a).rounded(.up)) + 1
        if n % 2 == 0 { n += 1 }   // odd N: plain composite Simpson
        return try RadialMesh(rmax: rmax, a: a, count: n)
    }

    /// The first `n` points of this mesh.
    public func truncated(to n: Int) -> RadialMesh {
        precondition(n >= 5 && n <= count)
        return RadialMesh(a: a, b: b, r: Array(r.prefix(n)), drdi: Array(drdi.prefix(n)))
    }

    /// Index of the first point with r ≥ x (count − 1 if none).
    public func index(atOrAbove x: Double) -> Int {
        var lo = 0, hi = count - 1
        if x <= r[0] { return 0 }
        if x > r[hi] { return hi }
        while hi - lo > 1 {
            let mid = (lo + hi) / 2
            if r[mid] >= x { hi = mid } else { lo = mid }
        }
        return hi
    }
}
