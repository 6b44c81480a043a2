/// A Cartesian 3-vector (bohr for positions, bohr⁻¹ for wave vectors).
public typealias Vector3 = SIMD3<Double>

/// Scalar product u·v.
@inlinable public func dot(_ u: Vector3, _ v: Vector3) -> Double { (u * v).sum() }

/// Vector product u × v.
@inlinable public func cross(_ u: Vector3, _ v: Vector3) -> Vector3 {
    Vector3(u.y * v.z - u.z * v.y, u.z * v.x - u.x * v.z, u.x * v.y - u.y * v.x)
}

/// Euclidean length |v|.
@inlinable public func length(_ v: Vector3) -> Double { dot(v, v).squareRoot() }

/// A real 3×3 matrix stored by rows; acts on column vectors, `(A v)_i = Σ_j A_ij v_j`.
/// Used for Cartesian point-group operations and basis changes.
public struct Matrix3: Hashable, Sendable, CustomStringConvertible {
    public var row0: Vector3
    public var row1: Vector3
    public var row2: Vector3

    public init(rows r0: Vector3, _ r1: Vector3, _ r2: Vector3) {
        row0 = r0; row1 = r1; row2 = r2
    }

    /// The matrix whose columns are c0, c1, c2.
    public init(columns c0: Vector3, _ c1: Vector3, _ c2: Vector3) {
        row0 = Vector3(c0.x, c1.x, c2.x)
        row1 = Vector3(c0.y, c1.y, c2.y)
        row2 = Vector3(c0.z, c1.z, c2.z)
    }

    /// From nested rows `[[a00, a01, a02], [a10, …], …]`.
    public init(_ rows: [[Double]]) {
        precondition(rows.count == 3 && rows.allSatisfy { $0.count == 3 }, "Matrix3 needs 3×3 elements")
        self.init(rows: Vector3(rows[0][0], rows[0][1], rows[0][2]),
                  Vector3(rows[1][0], rows[1][1], rows[1][2]),
                  Vector3(rows[2][0], rows[2][1], rows[2][2]))
    }

    public static let identity = Matrix3(rows: Vector3(1, 0, 0), Vector3(0, 1, 0), Vector3(0, 0, 1))

    /// Element (i, j), 0-based.
    public subscript(i: Int, j: Int) -> Double {
        get {
            switch i {
            case 0: return row0[j]
            case 1: return row1[j]
            default: return row2[j]
            }
        }
        set {
            switch i {
            case 0: row0[j] = newValue
            case 1: row1[j] = newValue
            default: row2[j] = newValue
            }
        }
    }

    public func column(_ j: Int) -> Vector3 { Vector3(row0[j], row1[j], row2[j]) }

    public var transpose: Matrix3 { Matrix3(columns: row0, row1, row2) }

    public var determinant: Double { dot(row0, cross(row1, row2)) }

    /// Inverse by the adjugate, A⁻¹ = adj(A)/det A; `nil` if |det A| is below 1e-300.
    public var inverse: Matrix3? {
        let det = determinant
        guard abs(det) > 1e-300 else { return nil }
        // Columns of A⁻¹ are (r1×r2, r2×r0, r0×r1)/det.
        let c0 = cross(row1, row2), c1 = cross(row2, row0), c2 = cross(row0, row1)
        return Matrix3(columns: c0 / det, c1 / det, c2 / det)
    }

    /// Largest |A_ij − B_ij|.
    public func maxDifference(_ other: Matrix3) -> Double {
        var d = 0.0
        for i in 0..<3 {
            for j in 0..<3 { d = Swift.max(d, Swift.abs(self[i, j] - other[i, j])) }
        }
        return d
    }

    /// True if AᵀA = 1 to `tolerance` (element-wise).
    public func isOrthogonal(tolerance: Double = 1e-10) -> Bool {
        (transpose * self).maxDifference(.identity) <= tolerance
    }

    public static func * (a: Matrix3, v: Vector3) -> Vector3 {
        Vector3(dot(a.row0, v), dot(a.row1, v), dot(a.row2, v))
    }

    public static func * (a: Matrix3, b: Matrix3) -> Matrix3 {
        let bt = b.transpose
        return Matrix3(rows: bt * a.row0, bt * a.row1, bt * a.row2)
    }

    public static func * (s: Double, a: Matrix3) -> Matrix3 {
        Matrix3(rows: s * a.row0, s * a.row1, s * a.row2)
    }

    public var description: String { "[\(row0.x), \(row0.y), \(row0.z); \(row1.x), \(row1.y), \(row1.z); \(row2.x), \(row2.y), \(row2.z)]" }
}

/// An integer 3×3 matrix stored by rows: cubic point-group operations in Cartesian axes and
/// lattice symmetries in reduced (lattice) coordinates.
public struct IntMatrix3: Hashable, Sendable, CustomStringConvertible {
    public var row0: SIMD3<Int>
    public var row1: SIMD3<Int>
    public var row2: SIMD3<Int>

    public init(rows r0: SIMD3<Int>, _ r1: SIMD3<Int>, _ r2: SIMD3<Int>) {
        row0 = r0; row1 = r1; row2 = r2
    }

    public static let identity = IntMatrix3(rows: SIMD3(1, 0, 0), SIMD3(0, 1, 0), SIMD3(0, 0, 1))

    public subscript(i: Int, j: Int) -> Int {
        switch i {
        case 0: return row0[j]
        case 1: return row1[j]
        default: return row2[j]
        }
    }

    public var transpose: IntMatrix3 {
        IntMatrix3(rows: SIMD3(row0.x, row1.x, row2.x), SIMD3(row0.y, row1.y, row2.y), SIMD3(row0.z, row1.z, row2.z))
    }

    public var determinant: Int {
        let c = SIMD3(row1.y * row2.z - row1.z * row2.y, row1.z * row2.x - row1.x * row2.z, row1.x * row2.y - row1.y * row2.x)
        return (row0 &* c).wrappedSum()
    }

    /// The same matrix with Double elements.
    public var real: Matrix3 {
        Matrix3(rows: Vector3(row0), Vector3(row1), Vector3(row2))
    }

    public static func * (a: IntMatrix3, v: SIMD3<Int>) -> SIMD3<Int> {
        SIMD3((a.row0 &* v).wrappedSum(), (a.row1 &* v).wrappedSum(), (a.row2 &* v).wrappedSum())
    }

    public static func * (a: IntMatrix3, b: IntMatrix3) -> IntMatrix3 {
        let bt = b.transpose
        return IntMatrix3(rows: bt * a.row0, bt * a.row1, bt * a.row2)
    }

    public var description: String { "[\(row0.x) \(row0.y) \(row0.z); \(row1.x) \(row1.y) \(row1.z); \(row2.x) \(row2.y) \(row2.z)]" }
}
