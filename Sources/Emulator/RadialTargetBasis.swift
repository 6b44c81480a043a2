import Foundation
import Descriptors
import KKRNumerics
import Radial

/// The orthonormal radial basis on which the targets ΔV_L(r) are expanded (emulator-model.md
/// item 5; docs/emulator.md §3). It lives on the reduced radius s = r/R ∈ [0, 1], R = the
/// sphere radius (the last point of the site's mesh), with the r²-weighted inner product
///
///     ⟨f, g⟩ = ∫_0^1 f(s) g(s) s² ds = R⁻³ ∫_0^R f(r) g(r) r² dr,      ⟨φ_j, φ_k⟩ = δ_jk,
///
/// so hosts with different meshes and sphere radii share one model.
///
/// Primitive functions: J_m(s) = √(2m+3) P_m^(0,2)(2s − 1), m = 0…M−1, orthonormal under this
/// inner product (x = 2s − 1 maps s² ds to (1+x)²/8 dx, and h_m^(0,2) = 8/(2m+3)).
/// The basis is φ_k = Σ_m U_mk J_m, k = 0…K−1, with U (M × K) having orthonormal columns:
/// U = the first K columns of the identity (plain Jacobi basis) or the principal components of
/// training targets (`principalComponents`). Storing U makes the basis storable and evaluable
/// exactly anywhere.
public struct RadialTargetBasis: Sendable, Equatable {
    public enum Kind: String, Sendable, Equatable {
        case jacobi, principalComponents
    }
    public let kind: Kind
    /// M.
    public let primitiveCount: Int
    /// U, M × K, column-major (element (m, k) at m + k·M).
    public let combination: [Double]
    /// K.
    public let count: Int
    private let jacobi: JacobiPolynomials
    private let primitiveNorms: [Double]
    /// U = 1 (M = K): φ_k = J_k.
    private let isIdentity: Bool

    /// The first `count` Jacobi functions J_0 … J_{K−1}.
    public static func jacobi(count: Int) throws -> RadialTargetBasis {
        guard count >= 1, count <= 60 else { throw EmulatorError.invalidInput("radial basis size must be in 1…60; got \(count)") }
        var u = [Double](repeating: 0, count: count * count)
        for k in 0..<count { u[k + k * count] = 1 }
        return try RadialTargetBasis(kind: .jacobi, primitiveCount: count, combination: u, count: count)
    }

    /// A basis from a stored combination matrix U (M × K, column-major); its columns must be
    /// orthonormal to 1e-10.
    public init(kind: Kind, primitiveCount m: Int, combination u: [Double], count k: Int) throws {
        guard m >= 1, m <= 60, k >= 1, k <= m else {
            throw EmulatorError.invalidInput("radial basis needs 1 ≤ K ≤ M ≤ 60; got M = \(m), K = \(k)")
        }
        guard u.count == m * k else {
            throw EmulatorError.shapeMismatch("radial basis combination has \(u.count) values, expected M·K = \(m * k)")
        }
        for i in 0..<k {
            for j in 0..<k {
                var s = 0.0
                for r in 0..<m { s += u[r + i * m] * u[r + j * m] }
                guard abs(s - (i == j ? 1 : 0)) < 1e-10 else {
                    throw EmulatorError.invalidInput("radial basis combination columns are not orthonormal (UᵀU[\(i),\(j)] = \(s))")
                }
            }
        }
        self.kind = kind
        primitiveCount = m
        combination = u
        count = k
        jacobi = try JacobiPolynomials(alpha: 0, beta: 2, maxDegree: m - 1)
        primitiveNorms = (0..<m).map { Double(2 * $0 + 3).squareRoot() }
        isIdentity = m == k && (0..<m).allSatisfy { r in (0..<k).allSatisfy { u[r + $0 * m] == (r == $0 ? 1 : 0) } }
    }

    /// J_0(s) … J_{M−1}(s).
    public func primitiveValues(at s: Double) -> [Double] {
        let p = jacobi.values(at: 2 * s - 1)
        return (0..<primitiveCount).map { primitiveNorms[$0] * p[$0] }
    }

    /// φ_0(s) … φ_{K−1}(s).
    public func values(at s: Double) -> [Double] {
        let j = primitiveValues(at: s)
        if isIdentity { return j }
        return (0..<count).map { k in (0..<primitiveCount).reduce(0.0) { $0 + combination[$1 + k * primitiveCount] * j[$1] } }
    }

    /// The table φ_k(r_i/R) for all mesh points, row-major [i · K + k].
    public func table(on mesh: RadialMesh, sphereRadiusBohr radius: Double) -> [Double] {
        var out = [Double](repeating: 0, count: mesh.count * count)
        for i in 0..<mesh.count {
            let v = values(at: mesh.r[i] / radius)
            for k in 0..<count { out[i * count + k] = v[k] }
        }
        return out
    }

    /// The projector onto this basis for functions tabulated on `mesh` (sphere radius R = mesh.rmax);
    /// build it once per mesh and reuse it for all lm, spins and sites.
    public func projector(on mesh: RadialMesh) throws -> RadialProjector {
        try RadialProjector(basis: self, mesh: mesh)
    }

    /// Coefficients of a function tabulated on `mesh` (see `RadialProjector`).
    public func project(_ f: [Double], on mesh: RadialMesh) throws -> [Double] {
        try projector(on: mesh).project(f)
    }

    /// f(r_i) = Σ_k c_k φ_k(r_i/R) on `mesh` with R = mesh.rmax.
    public func reconstruct(_ coefficients: [Double], on mesh: RadialMesh) throws -> [Double] {
        guard coefficients.count == count else {
            throw EmulatorError.shapeMismatch("\(coefficients.count) radial coefficients for a basis of \(count) functions")
        }
        let radius = mesh.rmax
        return mesh.r.map { r in
            let v = values(at: r / radius)
            var s = 0.0
            for k in 0..<count { s += coefficients[k] * v[k] }
            return s
        }
    }

    /// The K leading principal components of sample functions given by their coefficients on the
    /// first M primitives (each sample a vector of length M, e.g. training ΔV_L projected on
    /// `.jacobi(count: M)`, one sample per site, component and lm): the right singular vectors of the
    /// (uncentred) sample matrix, which maximise the captured r²-weighted norm Σ_j ‖P f_j‖²
    /// (Eckart–Young). Signs fixed so that the largest entry of each column is positive.
    public static func principalComponents(ofPrimitiveCoefficients samples: [[Double]], primitiveCount m: Int,
                                           count k: Int) throws -> RadialTargetBasis {
        guard samples.count >= k else {
            throw EmulatorError.invalidInput("PCA radial basis: \(samples.count) samples cannot define \(k) components")
        }
        guard samples.allSatisfy({ $0.count == m }) else {
            throw EmulatorError.shapeMismatch("PCA radial basis: every sample needs \(m) primitive coefficients")
        }
        let a = RealMatrix(samples)
        let (_, _, vt) = try a.svd()
        guard vt.rows >= k else { throw EmulatorError.invalidInput("PCA radial basis: rank too small for \(k) components") }
        var u = [Double](repeating: 0, count: m * k)
        for c in 0..<k {
            var col = (0..<m).map { vt[c, $0] }
            if let big = col.max(by: { abs($0) < abs($1) }), big < 0 { col = col.map { -$0 } }
            for r in 0..<m { u[r + c * m] = col[r] }
        }
        return try RadialTargetBasis(kind: .principalComponents, primitiveCount: m, combination: u, count: k)
    }

    public static func == (lhs: RadialTargetBasis, rhs: RadialTargetBasis) -> Bool {
        lhs.kind == rhs.kind && lhs.primitiveCount == rhs.primitiveCount && lhs.count == rhs.count
            && lhs.combination == rhs.combination
    }
}

/// Projection of functions tabulated on one radial mesh onto a `RadialTargetBasis`:
///
///     c = argmin Σ_i w_i (f(r_i) − Σ_k c_k φ_k(r_i/R))²,     w_i = ω_i r_i² / R³,
///
/// with ω_i the weights of `RadialMesh.integrate` (Simpson in the mesh index, KKR_NOTES §1), i.e.
/// the r²-weighted L² projection c_k = R⁻³ ∫_0^R f φ_k r² dr with the discrete inner product of
/// the mesh. Solving the weighted least-squares problem (QR/SVD, `dgelsd`) instead of evaluating
/// the integrals directly makes the projection exact for every function in the span of the basis,
/// although an exponential mesh has few points near R (a = 0.025: 28 points for r ∈ [R/2, R]),
/// where Simpson alone is inaccurate for high-degree φ_k (1e-1 for φ_9² on such a mesh). For
/// other smooth functions it approximates the continuous projection.
public struct RadialProjector: Sendable {
    public let basis: RadialTargetBasis
    public let mesh: RadialMesh
    /// P (K × N, column-major) with c = P f.
    private let matrix: RealMatrix

    public init(basis: RadialTargetBasis, mesh: RadialMesh) throws {
        let n = mesh.count, k = basis.count
        guard n >= 2 * k else {
            throw EmulatorError.invalidInput("radial mesh has \(n) points; projecting on \(k) functions needs at least \(2 * k)")
        }
        let radius = mesh.rmax
        let r3 = radius * radius * radius
        // Quadrature weights of RadialMesh.integrate, from its action on unit vectors (O(N²), once per mesh).
        let omega = (0..<n).map { j in mesh.integrate(upTo: n - 1) { $0 == j ? 1 : 0 } }
        let table = basis.table(on: mesh, sphereRadiusBohr: radius)
        var a = RealMatrix(rows: n, cols: k)
        var rhs = RealMatrix(rows: n, cols: n)
        for i in 0..<n {
            let sw = (max(omega[i], 0) * mesh.r[i] * mesh.r[i] / r3).squareRoot()
            for c in 0..<k { a[i, c] = sw * table[i * k + c] }
            rhs[i, i] = sw
        }
        // P = (√W Φ)⁺ √W.
        let (solution, rank) = try a.leastSquares(rhs)
        guard rank == k else {
            throw EmulatorError.invalidInput("radial basis of \(k) functions is rank-deficient (\(rank)) on a mesh of \(n) points")
        }
        self.basis = basis
        self.mesh = mesh
        matrix = solution
    }

    /// c = P f.
    public func project(_ f: [Double]) throws -> [Double] {
        guard f.count == mesh.count else {
            throw EmulatorError.shapeMismatch("radial function has \(f.count) values, the mesh has \(mesh.count) points")
        }
        guard f.allSatisfy(\.isFinite) else {
            throw EmulatorError.invalidInput("radial function contains non-finite values (remove the nuclear −2ΔZ/r term "
                + "before projecting; see NuclearTerm)")
        }
        return matrix.apply(f)
    }
}
