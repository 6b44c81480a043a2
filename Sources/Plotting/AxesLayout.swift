import Foundation

/// A rectangle in SVG pixel coordinates (y grows downwards).
public struct Rect: Equatable, Sendable {
    public var x: Double
    public var y: Double
    public var width: Double
    public var height: Double

    public init(x: Double, y: Double, width: Double, height: Double) {
        self.x = x
        self.y = y
        self.width = width
        self.height = height
    }

    public var maxX: Double { x + width }
    public var maxY: Double { y + height }
}

/// The map from data values to pixels along one axis:
/// linear p = p₀ + (v − lo)/(hi − lo)·(p₁ − p₀); log p = p₀ + (log v − log lo)/(log hi − log lo)·(p₁ − p₀).
public struct AxisMapping: Equatable, Sendable {
    public let scale: AxisScale
    public let lower: Double
    public let upper: Double
    /// Pixel coordinate of `lower` (left edge for x, bottom edge for y).
    public let pixelAtLower: Double
    /// Pixel coordinate of `upper`.
    public let pixelAtUpper: Double

    /// The pixel of a data value, or nil if it cannot be drawn (NaN, ±∞, ≤ 0 on a log axis).
    public func pixel(_ v: Double) -> Double? {
        guard v.isFinite else { return nil }
        let t: Double
        switch scale {
        case .linear:
            t = (v - lower) / (upper - lower)
        case .log:
            guard v > 0 else { return nil }
            let lv: Double = log10(v), ll: Double = log10(lower), lu: Double = log10(upper)
            t = (lv - ll) / (lu - ll)
        }
        return pixelAtLower + t * (pixelAtUpper - pixelAtLower)
    }

    /// Whether v can be shown on this axis.
    func accepts(_ v: Double) -> Bool { v.isFinite && (scale == .linear || v > 0) }
}

/// Where an `Axes` ended up in a rendered figure: its plot area and data ↔ pixel maps.
public struct AxesLayout: Equatable, Sendable {
    public let plotArea: Rect
    public let x: AxisMapping
    public let y: AxisMapping

    /// Pixel position of a data point, or nil if either coordinate cannot be drawn.
    public func pixel(x vx: Double, y vy: Double) -> (x: Double, y: Double)? {
        guard let px = x.pixel(vx), let py = y.pixel(vy) else { return nil }
        return (px, py)
    }
}
