/// One thing drawn in an `Axes`.
public enum PlotElement: Sendable, Equatable {
    /// Connected line through (x_i, y_i), optionally with markers; non-finite points break the line.
    case line(x: [Double], y: [Double], label: String?, style: LineStyle)
    /// Markers only.
    case scatter(x: [Double], y: [Double], label: String?, style: LineStyle)
    /// Staircase through the points.
    case step(x: [Double], y: [Double], mode: StepMode, label: String?, style: LineStyle)
    /// Bars between consecutive `edges` with heights `heights` (a histogram).
    case bars(edges: [Double], heights: [Double], label: String?, color: Color?, opacity: Double)
    /// y = value across the plot.
    case horizontalLine(y: Double, label: String?, style: LineStyle)
    /// x = value across the plot.
    case verticalLine(x: Double, label: String?, style: LineStyle)
    /// The diagonal y = x (parity plots).
    case diagonal(label: String?, style: LineStyle)

    var label: String? {
        switch self {
        case .line(_, _, let l, _), .scatter(_, _, let l, _), .step(_, _, _, let l, _), .bars(_, _, let l, _, _),
             .horizontalLine(_, let l, _), .verticalLine(_, let l, _), .diagonal(let l, _):
            return l
        }
    }

    /// Whether the element takes a colour from the palette cycle when it has none.
    var usesPalette: Bool {
        switch self {
        case .line, .scatter, .step, .bars: return true
        default: return false
        }
    }
}
