import Numerics

// Mixed complex–real arithmetic (swift-numerics only offers `multiplied(by:)` / `divided(by:)`).
// The operators are generic on purpose: Swift ranks generic overloads below concrete ones, so
// expressions such as `1 / x` with `x: Double` stay unambiguous (concrete Double arithmetic wins).

@inlinable public func * <T: Real>(z: Complex<T>, x: T) -> Complex<T> { z.multiplied(by: x) }
@inlinable public func * <T: Real>(x: T, z: Complex<T>) -> Complex<T> { z.multiplied(by: x) }
@inlinable public func / <T: Real>(z: Complex<T>, x: T) -> Complex<T> { z.divided(by: x) }
@inlinable public func / <T: Real>(x: T, z: Complex<T>) -> Complex<T> { Complex(x, 0) / z }
@inlinable public func + <T: Real>(z: Complex<T>, x: T) -> Complex<T> { Complex(z.real + x, z.imaginary) }
@inlinable public func + <T: Real>(x: T, z: Complex<T>) -> Complex<T> { Complex(z.real + x, z.imaginary) }
@inlinable public func - <T: Real>(z: Complex<T>, x: T) -> Complex<T> { Complex(z.real - x, z.imaginary) }
@inlinable public func - <T: Real>(x: T, z: Complex<T>) -> Complex<T> { Complex(x - z.real, -z.imaginary) }

extension Complex where RealType == Double {
    /// The imaginary unit.
    @inlinable public static var imaginaryUnit: Complex<Double> { Complex(0, 1) }

    /// Square root on the branch with Im ≥ 0 (the physical sheet for κ = √E,
    /// `../shared/KKR_NOTES.md` pitfall 1: the principal root picks the wrong sign at
    /// E = −|E| − i0).
    @inlinable public static func sqrtUpper(_ z: Complex<Double>) -> Complex<Double> {
        var s = Complex<Double>.sqrt(z)
        if s.imaginary < 0 || (s.imaginary == 0 && s.real < 0) { s = Complex(-s.real, -s.imaginary) }
        return s
    }
}
