/// Errors from building or writing a figure.
public enum PlotError: Error, Equatable, CustomStringConvertible {
    /// A series with no points was added.
    case emptySeries(String)
    /// x and y of a series have different lengths.
    case lengthMismatch(series: String, x: Int, y: Int)
    /// Invalid argument (limits, bins, grid size, …), with an explanation.
    case invalidArgument(String)
    /// Writing the SVG file failed.
    case writeFailed(path: String, reason: String)

    public var description: String {
        switch self {
        case .emptySeries(let s): return "series \(s) has no points (pass at least one point)"
        case .lengthMismatch(let s, let x, let y): return "series \(s): x has \(x) values but y has \(y)"
        case .invalidArgument(let s): return s
        case .writeFailed(let p, let r): return "cannot write plot to \(p): \(r)"
        }
    }
}
