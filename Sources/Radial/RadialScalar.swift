import KKRNumerics
import Numerics

/// The scalar of the radial equations: `Double` for bound states (real E) and
/// `Complex<Double>` for scattering solutions at complex E (KKR contour points).
/// One generic implementation of the integrator serves both (`RadialEquation`).
///
/// Requirements beyond field arithmetic are the few mixed real operations the integrator
/// needs; all are `@inlinable` so that the generic code specialises in client modules.
public protocol RadialScalar: AlgebraicField, Sendable where Magnitude == Double {
    /// The scalar with real part x and zero imaginary part.
    static func fromReal(_ x: Double) -> Self
    /// self · x for real x (cheaper than a full complex product).
    func scaled(by x: Double) -> Self
    /// Real part.
    var realPart: Double { get }
    /// Modulus |z| (Euclidean, not swift-numerics' ∞-norm `magnitude`).
    var modulus: Double { get }
    /// Principal square root (branch cut along the negative real axis).
    static func squareRoot(_ z: Self) -> Self
    /// True when all parts are finite.
    var isFiniteScalar: Bool { get }
    /// 1/z without swift-numerics' overflow-safe rescaling (conj(z)/|z|² for complex z); valid
    /// for moderate |z| (1e-150 < |z| < 1e150), which holds for all radial-equation
    /// coefficients.
    var reciprocalFast: Self { get }
}

extension Double: RadialScalar {
    @inlinable public static func fromReal(_ x: Double) -> Double { x }
    @inlinable public func scaled(by x: Double) -> Double { self * x }
    @inlinable public var realPart: Double { self }
    @inlinable public var modulus: Double { Swift.abs(self) }
    @inlinable public static func squareRoot(_ z: Double) -> Double { z.squareRoot() }
    @inlinable public var isFiniteScalar: Bool { isFinite }
    @inlinable public var reciprocalFast: Double { 1 / self }
}

extension Complex: RadialScalar where RealType == Double {
    @inlinable public static func fromReal(_ x: Double) -> Complex<Double> { Complex(x, 0) }
    @inlinable public func scaled(by x: Double) -> Complex<Double> { Complex(real * x, imaginary * x) }
    @inlinable public var realPart: Double { real }
    @inlinable public var modulus: Double { length }
    @inlinable public static func squareRoot(_ z: Complex<Double>) -> Complex<Double> { Complex.sqrt(z) }
    @inlinable public var isFiniteScalar: Bool { isFinite }
    @inlinable public var reciprocalFast: Complex<Double> {
        let d = 1 / (real * real + imaginary * imaginary)
        return Complex(real * d, -imaginary * d)
    }
}
