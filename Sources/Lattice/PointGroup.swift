/// A crystallographic point group: a finite set of orthogonal 3×3 matrices (Cartesian axes)
/// closed under multiplication, acting on positions as r ↦ R r.
public struct PointGroup: Sendable {
    public let name: String
    /// The operations, identity first.
    public let operations: [Matrix3]

    /// A group from explicit Cartesian operations; each must be orthogonal (to 1e-10).
    public init(name: String, operations: [Matrix3]) throws {
        for r in operations where !r.isOrthogonal() {
            throw LatticeError.notOrthogonal(maxDeviation: (r.transpose * r).maxDifference(.identity))
        }
        self.name = name
        self.operations = operations
    }

    private init(uncheckedName name: String, operations: [Matrix3]) {
        self.name = name
        self.operations = operations
    }

    public var order: Int { operations.count }

    /// The 48 operations of the full cubic group O_h = O × {1, −1} as integer matrices in the
    /// cubic axes: all signed permutation matrices (R_ij = sᵢ δ_{j,π(i)}, sᵢ = ±1).
    /// Order: the 24 proper rotations (det = +1) first, the identity first among them, then the
    /// 24 improper operations in the same order, each the inversion times the corresponding
    /// proper rotation (International Tables for Crystallography Vol. A, point group m3̄m).
    public static let cubicIntegerOperations: [IntMatrix3] = {
        let permutations = [[0, 1, 2], [0, 2, 1], [1, 0, 2], [1, 2, 0], [2, 0, 1], [2, 1, 0]]
        var proper: [IntMatrix3] = []
        for p in permutations {
            for signBits in 0..<8 {
                var rows = [SIMD3<Int>](repeating: .zero, count: 3)
                for i in 0..<3 {
                    rows[i][p[i]] = (signBits >> i) & 1 == 0 ? 1 : -1
                }
                let m = IntMatrix3(rows: rows[0], rows[1], rows[2])
                if m.determinant == 1 { proper.append(m) }
            }
        }
        let minusOne = IntMatrix3(rows: SIMD3(-1, 0, 0), SIMD3(0, -1, 0), SIMD3(0, 0, -1))
        return proper + proper.map { minusOne * $0 }
    }()

    /// The full cubic point group O_h (m3̄m, 48 operations) in the cubic axes: the point group of
    /// the fcc, bcc and sc lattices.
    public static let cubicOh = PointGroup(uncheckedName: "Oh", operations: cubicIntegerOperations.map(\.real))

    /// The proper rotations only (O, 432, 24 operations).
    public var properSubgroup: PointGroup {
        PointGroup(uncheckedName: name + "-proper", operations: operations.filter { $0.determinant > 0 })
    }

    /// Index of the operation equal to `r` (to `tolerance`), if any.
    public func index(of r: Matrix3, tolerance: Double = 1e-8) -> Int? {
        operations.firstIndex { $0.maxDifference(r) <= tolerance }
    }

    /// True if every product of two operations is again in the group and the identity is in it.
    public func isClosed(tolerance: Double = 1e-8) -> Bool {
        guard index(of: .identity, tolerance: tolerance) != nil else { return false }
        for a in operations {
            for b in operations where index(of: a * b, tolerance: tolerance) == nil { return false }
        }
        return true
    }

    /// The operations written in reduced coordinates of a basis with columns `basis`
    /// (M = A⁻¹ R A), which must be integer matrices for lattice symmetries.
    /// Throws if an operation does not map the lattice spanned by the basis onto itself.
    public func reducedOperations(basis: Matrix3) throws -> [IntMatrix3] {
        guard let inv = basis.inverse else { throw LatticeError.invalidInput("singular lattice basis") }
        return try operations.map { r in
            let m = inv * r * basis
            var rows = [SIMD3<Int>](repeating: .zero, count: 3)
            for i in 0..<3 {
                for j in 0..<3 {
                    let v = m[i, j]
                    let n = v.rounded()
                    guard abs(v - n) < 1e-8 else {
                        throw LatticeError.notALatticeSymmetry("operation \(r) has non-integer element \(v) in reduced coordinates")
                    }
                    rows[i][j] = Int(n)
                }
            }
            return IntMatrix3(rows: rows[0], rows[1], rows[2])
        }
    }
}
