import Foundation

/// A figure: a grid of `Axes` (rows × columns, row-major), an optional overall title, rendered
/// as a standalone SVG 1.1 document.
///
///     var fig = try Figure(width: 640, height: 420)
///     fig.axes.yScale = .log
///     try fig.axes.plot(rms, label: "Broyden")          // y against iteration 1…n
///     try fig.axes.horizontalLine(1e-8, label: "target")
///     try fig.write(to: "convergence.svg")
public struct Figure: Sendable {
    public var width: Double
    public var height: Double
    public let rows: Int
    public let columns: Int
    public var title: String?
    private var panels: [Axes]

    public init(width: Double = 640, height: Double = 480, rows: Int = 1, columns: Int = 1, title: String? = nil) throws {
        guard rows >= 1, columns >= 1, rows * columns <= 100 else {
            throw PlotError.invalidArgument("subplot grid \(rows)×\(columns) must have 1…100 panels")
        }
        guard width.isFinite, height.isFinite, width >= 50, height >= 50 else {
            throw PlotError.invalidArgument("figure size \(width)×\(height) px must be at least 50×50")
        }
        self.width = width
        self.height = height
        self.rows = rows
        self.columns = columns
        self.title = title
        panels = [Axes](repeating: Axes(), count: rows * columns)
    }

    /// The panel at (row, column), both 0-based.
    public subscript(row: Int, column: Int) -> Axes {
        get {
            precondition((0..<rows).contains(row) && (0..<columns).contains(column), "no panel (\(row), \(column))")
            return panels[row * columns + column]
        }
        set {
            precondition((0..<rows).contains(row) && (0..<columns).contains(column), "no panel (\(row), \(column))")
            panels[row * columns + column] = newValue
        }
    }

    /// The first (top-left) panel; the only one of a 1×1 figure.
    public var axes: Axes {
        get { panels[0] }
        set { panels[0] = newValue }
    }

    /// Plot areas and data ↔ pixel maps of all panels (row-major), as drawn by `svg()`.
    public func layout() throws -> [AxesLayout] {
        let top = title == nil ? 0.0 : 28.0
        let cellWidth = width / Double(columns)
        let cellHeight = (height - top) / Double(rows)
        return try panels.indices.map { i in
            let cell = Rect(x: Double(i % columns) * cellWidth, y: top + Double(i / columns) * cellHeight,
                            width: cellWidth, height: cellHeight)
            return try AxesRenderer.layout(of: panels[i], in: cell)
        }
    }

    /// The SVG document.
    public func svg() throws -> String {
        let layouts = try layout()
        var out: [String] = []
        out.append("<?xml version=\"1.0\" encoding=\"UTF-8\"?>")
        out.append("<svg xmlns=\"http://www.w3.org/2000/svg\" version=\"1.1\" width=\"\(SVG.number(width))\" height=\"\(SVG.number(height))\" viewBox=\"0 0 \(SVG.number(width)) \(SVG.number(height))\" font-family=\"DejaVu Sans, Helvetica, Arial, sans-serif\">")
        out.append("<rect width=\"100%\" height=\"100%\" fill=\"#ffffff\"/>")
        if let title {
            out.append(SVG.text(title, x: width / 2, y: 20, size: 16, weight: "bold"))
        }
        for (i, l) in layouts.enumerated() {
            AxesRenderer(axes: panels[i], index: i, layout: l).render(into: &out)
        }
        out.append("</svg>")
        return out.joined(separator: "\n") + "\n"
    }

    /// Writes the SVG atomically: to `<path>.tmp-<pid>`, then `rename(2)` over `path` (replacing
    /// an existing plot), so readers never see a half-written file.
    public func write(to path: String) throws {
        let text = try svg()
        let tmp = "\(path).tmp-\(getpid())"
        do {
            try Data(text.utf8).write(to: URL(fileURLWithPath: tmp))
        } catch {
            unlink(tmp)
            throw PlotError.writeFailed(path: path, reason: "\(error.localizedDescription)")
        }
        guard rename(tmp, path) == 0 else {
            let reason = String(cString: strerror(errno))
            unlink(tmp)
            throw PlotError.writeFailed(path: path, reason: reason)
        }
    }
}
