// `ComplexDouble` (swift-numerics `Complex<Double>`) is part of this module's public API, so its
// operators must be visible wherever KKRNumerics is imported.
@_exported import Numerics
