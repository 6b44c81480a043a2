/// Errors from lattice construction, cluster and k-mesh generation and symmetry operations.
public enum LatticeError: Error, Equatable, CustomStringConvertible {
    /// A lattice constant, radius or other length that must be positive and finite is not.
    case invalidLength(name: String, value: Double)
    /// A count (mesh divisions, number of shells, lmax) is out of its allowed range.
    case invalidCount(name: String, value: Int, allowed: String)
    /// A 3×3 matrix that must be orthogonal (RᵀR = 1) is not.
    case notOrthogonal(maxDeviation: Double)
    /// A symmetry operation does not map the lattice (or k-mesh) onto itself.
    case notALatticeSymmetry(String)
    /// Inconsistent input, with an explanation.
    case invalidInput(String)

    public var description: String {
        switch self {
        case .invalidLength(let name, let value):
            return "\(name) must be positive and finite (bohr), got \(value)"
        case .invalidCount(let name, let value, let allowed):
            return "\(name) = \(value) is not allowed (\(allowed))"
        case .notOrthogonal(let dev):
            return "rotation matrix is not orthogonal: max |RᵀR − 1| = \(dev) (expected ≤ 1e-10)"
        case .notALatticeSymmetry(let s):
            return "not a symmetry of the lattice: \(s)"
        case .invalidInput(let s):
            return s
        }
    }
}
