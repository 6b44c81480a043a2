import Foundation

/// Draws one `Axes` into a cell of the figure (internal; `Figure.svg()` is the entry point).
struct AxesRenderer {
    let axes: Axes
    let index: Int
    let layout: AxesLayout

    static let fontSize = 12.0
    static let margins = (left: 74.0, right: 18.0, top: 16.0, titleExtra: 20.0, bottom: 52.0)

    /// The plot area and data ↔ pixel maps of `axes` drawn in `cell`.
    static func layout(of axes: Axes, in cell: Rect) throws -> AxesLayout {
        let m = margins
        let top = cell.y + m.top + (axes.title == nil ? 0 : m.titleExtra)
        let area = Rect(x: cell.x + m.left, y: top, width: max(10, cell.width - m.left - m.right),
                        height: max(10, cell.maxY - m.bottom - top))
        let (xr, yr) = try axes.resolvedLimits()
        let x = AxisMapping(scale: axes.xScale, lower: xr.lowerBound, upper: xr.upperBound,
                            pixelAtLower: area.x, pixelAtUpper: area.maxX)
        let y = AxisMapping(scale: axes.yScale, lower: yr.lowerBound, upper: yr.upperBound,
                            pixelAtLower: area.maxY, pixelAtUpper: area.y)
        return AxesLayout(plotArea: area, x: x, y: y)
    }

    func render(into out: inout [String]) {
        let area = layout.plotArea
        let clipID = "clip-axes\(index)"
        out.append("<g id=\"axes\(index)\">")
        out.append("<clipPath id=\"\(clipID)\"><rect x=\"\(SVG.number(area.x))\" y=\"\(SVG.number(area.y))\" width=\"\(SVG.number(area.width))\" height=\"\(SVG.number(area.height))\"/></clipPath>")
        let xTicks = ticks(layout.x)
        let yTicks = ticks(layout.y)
        if axes.showGrid { renderGrid(xTicks: xTicks, yTicks: yTicks, into: &out) }

        out.append("<g clip-path=\"url(#\(clipID))\">")
        var paletteIndex = 0
        for (i, element) in axes.elements.enumerated() {
            var fallback = Color.gray
            if element.usesPalette {
                fallback = Palette.color(paletteIndex)
                paletteIndex += 1
            }
            renderElement(element, id: "axes\(index)-series\(i)", fallback: fallback, into: &out)
        }
        out.append("</g>")

        out.append("<rect x=\"\(SVG.number(area.x))\" y=\"\(SVG.number(area.y))\" width=\"\(SVG.number(area.width))\" height=\"\(SVG.number(area.height))\" fill=\"none\" stroke=\"#000000\" stroke-width=\"1\"/>")
        renderTicks(xTicks: xTicks, yTicks: yTicks, into: &out)
        renderLabels(into: &out)
        renderLegend(into: &out)
        out.append("</g>")
    }

    // MARK: Ticks

    struct Tick {
        let value: Double
        let label: String?
        let major: Bool
    }

    /// Ticks inside the axis limits: nice linear ticks, or decades (+ unlabeled 2…9 minor ticks)
    /// on log axes; a log range without a decade inside labels its minor ticks.
    func ticks(_ axis: AxisMapping) -> [Tick] {
        switch axis.scale {
        case .linear:
            let step = Ticks.nice(lower: axis.lower, upper: axis.upper).step
            return Ticks.ticks(from: axis.lower, to: axis.upper, step: step).map {
                Tick(value: $0, label: Ticks.label($0, step: step), major: true)
            }
        case .log:
            let (major, minor) = Ticks.logarithmic(lower: axis.lower, upper: axis.upper)
            if major.isEmpty {
                return minor.map { Tick(value: $0, label: Ticks.label($0, step: $0 / 10), major: true) }
            }
            let every = max(1, Int((Double(major.count) / 8).rounded(.up)))
            var out: [Tick] = []
            for (i, v) in major.enumerated() {
                let exponent = Int(log10(v).rounded())
                out.append(Tick(value: v, label: i % every == 0 ? "10^\(exponent)" : nil, major: true))
            }
            if major.count <= 12 { out += minor.map { Tick(value: $0, label: nil, major: false) } }
            return out
        }
    }

    private func renderGrid(xTicks: [Tick], yTicks: [Tick], into out: inout [String]) {
        let a = layout.plotArea
        var d = ""
        for t in xTicks where t.major {
            guard let px = layout.x.pixel(t.value) else { continue }
            d += "M\(SVG.number(px)) \(SVG.number(a.y))V\(SVG.number(a.maxY))"
        }
        for t in yTicks where t.major {
            guard let py = layout.y.pixel(t.value) else { continue }
            d += "M\(SVG.number(a.x)) \(SVG.number(py))H\(SVG.number(a.maxX))"
        }
        if !d.isEmpty {
            out.append("<path class=\"grid\" d=\"\(d)\" stroke=\"\(Color.lightGray.svg)\" stroke-width=\"0.8\" fill=\"none\"/>")
        }
    }

    private func renderTicks(xTicks: [Tick], yTicks: [Tick], into out: inout [String]) {
        let a = layout.plotArea
        let fs = AxesRenderer.fontSize
        var d = ""
        var labels: [String] = []
        for t in xTicks {
            guard let px = layout.x.pixel(t.value) else { continue }
            let len = t.major ? 5.0 : 3.0
            d += "M\(SVG.number(px)) \(SVG.number(a.maxY))v\(SVG.number(len))"
            if let l = t.label { labels.append(tickLabel(l, x: px, y: a.maxY + 8 + fs, anchor: "middle")) }
        }
        for t in yTicks {
            guard let py = layout.y.pixel(t.value) else { continue }
            let len = t.major ? 5.0 : 3.0
            d += "M\(SVG.number(a.x)) \(SVG.number(py))h\(SVG.number(-len))"
            if let l = t.label { labels.append(tickLabel(l, x: a.x - 8, y: py + fs * 0.35, anchor: "end")) }
        }
        if !d.isEmpty { out.append("<path class=\"ticks\" d=\"\(d)\" stroke=\"#000000\" stroke-width=\"1\" fill=\"none\"/>") }
        out.append(contentsOf: labels)
    }

    /// A tick label; "10^k" becomes 10 with a superscript k.
    private func tickLabel(_ text: String, x: Double, y: Double, anchor: String) -> String {
        let fs = AxesRenderer.fontSize
        if text.hasPrefix("10^") {
            let exponent = String(text.dropFirst(3))
            return "<text class=\"tick-label\" x=\"\(SVG.number(x))\" y=\"\(SVG.number(y))\" font-size=\"\(SVG.number(fs))\" text-anchor=\"\(anchor)\">10<tspan dy=\"-5\" font-size=\"\(SVG.number(fs * 0.75))\">\(SVG.escape(exponent))</tspan></text>"
        }
        return "<text class=\"tick-label\" x=\"\(SVG.number(x))\" y=\"\(SVG.number(y))\" font-size=\"\(SVG.number(fs))\" text-anchor=\"\(anchor)\">\(SVG.escape(text))</text>"
    }

    private func renderLabels(into out: inout [String]) {
        let a = layout.plotArea
        let fs = AxesRenderer.fontSize
        if let t = axes.title {
            out.append(SVG.text(t, x: a.x + a.width / 2, y: a.y - 8, size: fs + 2, weight: "bold"))
        }
        if let l = axes.xLabel {
            out.append(SVG.text(l, x: a.x + a.width / 2, y: a.maxY + 2 * fs + 18, size: fs + 1))
        }
        if let l = axes.yLabel {
            let x = a.x - 58, y = a.y + a.height / 2
            out.append(SVG.text(l, x: x, y: y, size: fs + 1, rotate: -90))
        }
    }

    // MARK: Elements

    private func renderElement(_ e: PlotElement, id: String, fallback: Color, into out: inout [String]) {
        switch e {
        case .line(let x, let y, _, let style):
            let pts = zip(x, y).map { layout.pixel(x: $0, y: $1) }
            out.append(pathElement(polyline(pts), id: id, style: style, color: style.color ?? fallback))
            if let m = style.marker { out.append(markers(pts, marker: m, style: style, color: style.color ?? fallback, id: id + "-markers")) }
        case .scatter(let x, let y, _, let style):
            let pts = zip(x, y).map { layout.pixel(x: $0, y: $1) }
            out.append(markers(pts, marker: style.marker ?? .circle, style: style, color: style.color ?? fallback, id: id))
        case .step(let x, let y, let mode, _, let style):
            var sx: [Double] = [], sy: [Double] = []
            for i in 0..<x.count {
                if i > 0 {
                    switch mode {
                    case .post: sx.append(x[i]); sy.append(y[i - 1])
                    case .pre: sx.append(x[i - 1]); sy.append(y[i])
                    }
                }
                sx.append(x[i]); sy.append(y[i])
            }
            let pts = zip(sx, sy).map { layout.pixel(x: $0, y: $1) }
            out.append(pathElement(polyline(pts), id: id, style: style, color: style.color ?? fallback))
        case .bars(let edges, let heights, _, let color, let opacity):
            out.append(barsElement(edges: edges, heights: heights, color: color ?? fallback, opacity: opacity, id: id))
        case .horizontalLine(let y, _, let style):
            guard let py = layout.y.pixel(y) else { return }
            let a = layout.plotArea
            out.append(pathElement("M\(SVG.number(a.x)) \(SVG.number(py))H\(SVG.number(a.maxX))", id: id, style: style,
                                   color: style.color ?? fallback))
        case .verticalLine(let x, _, let style):
            guard let px = layout.x.pixel(x) else { return }
            let a = layout.plotArea
            out.append(pathElement("M\(SVG.number(px)) \(SVG.number(a.y))V\(SVG.number(a.maxY))", id: id, style: style,
                                   color: style.color ?? fallback))
        case .diagonal(_, let style):
            out.append(pathElement(polyline(diagonalPoints()), id: id, style: style, color: style.color ?? fallback))
        }
    }

    /// y = x over the overlap of the x and y ranges: two points on matching scales, else a sampled
    /// curve (straight lines are not straight on mixed linear/log axes).
    private func diagonalPoints() -> [(x: Double, y: Double)?] {
        let lo = max(layout.x.lower, layout.y.lower), hi = min(layout.x.upper, layout.y.upper)
        guard lo < hi else { return [] }
        if layout.x.scale == layout.y.scale { return [layout.pixel(x: lo, y: lo), layout.pixel(x: hi, y: hi)] }
        let n = 200
        let logSpaced = layout.x.scale == .log || layout.y.scale == .log
        return (0...n).map { i -> (x: Double, y: Double)? in
            let t = Double(i) / Double(n)
            let v: Double = logSpaced ? lo * pow(hi / lo, t) : lo + t * (hi - lo)
            return layout.pixel(x: v, y: v)
        }
    }

    /// "M x y L x y …", starting a new subpath after every point that cannot be drawn.
    private func polyline(_ points: [(x: Double, y: Double)?]) -> String {
        var d = ""
        var penDown = false
        for p in points {
            guard let p else { penDown = false; continue }
            d += (penDown ? "L" : "M") + SVG.number(p.x) + " " + SVG.number(p.y)
            penDown = true
        }
        return d
    }

    private func pathElement(_ d: String, id: String, style: LineStyle, color: Color) -> String {
        var attrs = "id=\"\(id)\" d=\"\(d)\" fill=\"none\" stroke=\"\(color.svg)\" stroke-width=\"\(SVG.number(style.width))\""
        attrs += " stroke-linejoin=\"round\" stroke-linecap=\"round\""
        if let dash = style.dash.dashArray(width: style.width) { attrs += " stroke-dasharray=\"\(dash)\"" }
        if style.opacity < 1 { attrs += " stroke-opacity=\"\(SVG.number(style.opacity))\"" }
        return "<path \(attrs)/>"
    }

    private func markers(_ points: [(x: Double, y: Double)?], marker: Marker, style: LineStyle, color: Color, id: String) -> String {
        var out = "<g id=\"\(id)\" fill=\"\(color.svg)\" stroke=\"\(color.svg)\""
        if style.opacity < 1 { out += " fill-opacity=\"\(SVG.number(style.opacity))\"" }
        out += ">"
        for p in points {
            guard let p else { continue }
            out += AxesRenderer.marker(marker, x: p.x, y: p.y, r: style.markerSize)
        }
        return out + "</g>"
    }

    static func marker(_ m: Marker, x: Double, y: Double, r: Double) -> String {
        let n = SVG.number
        switch m {
        case .circle:
            return "<circle cx=\"\(n(x))\" cy=\"\(n(y))\" r=\"\(n(r))\"/>"
        case .square:
            return "<rect x=\"\(n(x - r))\" y=\"\(n(y - r))\" width=\"\(n(2 * r))\" height=\"\(n(2 * r))\"/>"
        case .triangle:
            let h = r * 1.15
            return "<path d=\"M\(n(x)) \(n(y - h))L\(n(x + h)) \(n(y + h * 0.75))L\(n(x - h)) \(n(y + h * 0.75))Z\"/>"
        case .diamond:
            let h = r * 1.3
            return "<path d=\"M\(n(x)) \(n(y - h))L\(n(x + h)) \(n(y))L\(n(x)) \(n(y + h))L\(n(x - h)) \(n(y))Z\"/>"
        case .cross:
            return "<path d=\"M\(n(x - r)) \(n(y - r))L\(n(x + r)) \(n(y + r))M\(n(x - r)) \(n(y + r))L\(n(x + r)) \(n(y - r))\" fill=\"none\" stroke-width=\"1.5\"/>"
        }
    }

    private func barsElement(edges: [Double], heights: [Double], color: Color, opacity: Double, id: String) -> String {
        var out = "<g id=\"\(id)\" fill=\"\(color.svg)\" fill-opacity=\"\(SVG.number(opacity))\" stroke=\"#ffffff\" stroke-width=\"0.5\">"
        let base: Double = layout.y.scale == .log ? layout.y.lower : 0
        for (i, h) in heights.enumerated() {
            guard let x0 = layout.x.pixel(edges[i]), let x1 = layout.x.pixel(edges[i + 1]),
                  let y0 = layout.y.pixel(base), let y1 = layout.y.pixel(h) else { continue }
            let top = min(y0, y1), height = abs(y1 - y0)
            if height == 0 { continue }
            out += "<rect x=\"\(SVG.number(min(x0, x1)))\" y=\"\(SVG.number(top))\" width=\"\(SVG.number(abs(x1 - x0)))\" height=\"\(SVG.number(height))\"/>"
        }
        return out + "</g>"
    }

    // MARK: Legend

    private func renderLegend(into out: inout [String]) {
        guard axes.legend != .hidden else { return }
        var entries: [(PlotElement, Color)] = []
        var paletteIndex = 0
        for e in axes.elements {
            var fallback = Color.gray
            if e.usesPalette { fallback = Palette.color(paletteIndex); paletteIndex += 1 }
            if e.label != nil { entries.append((e, fallback)) }
        }
        guard !entries.isEmpty else { return }
        let fs = AxesRenderer.fontSize
        let rowHeight = fs + 6
        let longest = entries.map { $0.0.label!.count }.max()!
        let width = 40 + Double(longest) * fs * 0.6
        let height = Double(entries.count) * rowHeight + 8
        let a = layout.plotArea
        let pad = 8.0
        let left: Double, top: Double
        switch axes.legend {
        case .topLeft: left = a.x + pad; top = a.y + pad
        case .bottomLeft: left = a.x + pad; top = a.maxY - pad - height
        case .bottomRight: left = a.maxX - pad - width; top = a.maxY - pad - height
        default: left = a.maxX - pad - width; top = a.y + pad
        }
        out.append("<g class=\"legend\">")
        out.append("<rect x=\"\(SVG.number(left))\" y=\"\(SVG.number(top))\" width=\"\(SVG.number(width))\" height=\"\(SVG.number(height))\" fill=\"#ffffff\" fill-opacity=\"0.85\" stroke=\"#aaaaaa\" stroke-width=\"0.8\"/>")
        for (row, (e, fallback)) in entries.enumerated() {
            let cy = top + 4 + rowHeight * (Double(row) + 0.5)
            let x0 = left + 6, x1 = left + 30
            switch e {
            case .bars(_, _, _, let c, let opacity):
                out.append("<rect x=\"\(SVG.number(x0 + 4))\" y=\"\(SVG.number(cy - 5))\" width=\"16\" height=\"10\" fill=\"\((c ?? fallback).svg)\" fill-opacity=\"\(SVG.number(opacity))\"/>")
            case .scatter(_, _, _, let style):
                out.append("<g fill=\"\((style.color ?? fallback).svg)\" stroke=\"\((style.color ?? fallback).svg)\">" +
                           AxesRenderer.marker(style.marker ?? .circle, x: (x0 + x1) / 2, y: cy, r: style.markerSize) + "</g>")
            case .line(_, _, _, let style), .step(_, _, _, _, let style), .horizontalLine(_, _, let style),
                 .verticalLine(_, _, let style), .diagonal(_, let style):
                let color = style.color ?? fallback
                out.append(pathElement("M\(SVG.number(x0)) \(SVG.number(cy))H\(SVG.number(x1))", id: "axes\(index)-legend\(row)",
                                       style: style, color: color))
                if let m = style.marker {
                    out.append("<g fill=\"\(color.svg)\" stroke=\"\(color.svg)\">" +
                               AxesRenderer.marker(m, x: (x0 + x1) / 2, y: cy, r: style.markerSize) + "</g>")
                }
            }
            out.append(SVG.text(e.label!, x: x1 + 6, y: cy + fs * 0.35, size: fs, anchor: "start"))
        }
        out.append("</g>")
    }
}
