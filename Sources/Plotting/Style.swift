/// Dash pattern of a line.
public enum Dash: Sendable, Equatable {
    case solid, dashed, dotted, dashDot

    /// SVG `stroke-dasharray` value, nil for solid lines (scaled with the line width).
    func dashArray(width: Double) -> String? {
        let w = max(1, width)
        switch self {
        case .solid: return nil
        case .dashed: return "\(SVG.number(5 * w)) \(SVG.number(3 * w))"
        case .dotted: return "\(SVG.number(w)) \(SVG.number(2 * w))"
        case .dashDot: return "\(SVG.number(6 * w)) \(SVG.number(2.5 * w)) \(SVG.number(w)) \(SVG.number(2.5 * w))"
        }
    }
}

/// Marker symbol drawn at data points.
public enum Marker: Sendable, Equatable {
    case circle, square, triangle, diamond, cross
}

/// How a line, step or reference line is drawn. A nil colour takes the next palette colour
/// (reference lines: gray).
public struct LineStyle: Sendable, Equatable {
    public var color: Color?
    public var width: Double
    public var dash: Dash
    public var marker: Marker?
    /// Marker radius in pixels.
    public var markerSize: Double
    public var opacity: Double

    public init(color: Color? = nil, width: Double = 1.5, dash: Dash = .solid, marker: Marker? = nil,
                markerSize: Double = 3.5, opacity: Double = 1) {
        self.color = color
        self.width = width
        self.dash = dash
        self.marker = marker
        self.markerSize = markerSize
        self.opacity = opacity
    }

    public static let `default` = LineStyle()
    public static let dashed = LineStyle(dash: .dashed)
}

/// How the value of a step plot is held between x values (matplotlib's `where=`).
public enum StepMode: Sendable, Equatable {
    /// y_i holds on [x_i, x_{i+1}) ("post").
    case post
    /// y_i holds on (x_{i−1}, x_i] ("pre").
    case pre
}

/// Where the legend box sits inside the plot area.
public enum LegendPosition: Sendable, Equatable {
    case topRight, topLeft, bottomRight, bottomLeft, hidden
}

/// Axis scale.
public enum AxisScale: Sendable, Equatable {
    case linear
    /// Base-10 logarithmic; points with value ≤ 0 are skipped like NaN.
    case log
}
