import Foundation
import Testing
@testable import Plotting

@Suite struct FigureTests {
    /// Path coordinates map data to pixels: x = left + (v − lo)/(hi − lo)·width,
    /// y = bottom − (v − lo)/(hi − lo)·height (computed here from the plot area only).
    @Test func linePathMapsDataToPixels() throws {
        var fig = try Figure(width: 600, height: 400)
        fig.axes.xLimits = 0...10
        fig.axes.yLimits = 0...100
        let x: [Double] = [0, 2.5, 7, 10], y: [Double] = [0, 50, 12.5, 100]
        try fig.axes.plot(x, y, label: "data")
        let area = try fig.layout()[0].plotArea
        let svg = try fig.svg()
        let inspector = SVGInspector(svg)
        #expect(inspector.parseError == nil)
        let d = try #require(inspector.element(id: "axes0-series0")?.attributes["d"])
        let paths = SVGInspector.subpaths(d)
        #expect(paths.count == 1)
        #expect(paths[0].count == 4)
        for (p, (vx, vy)) in zip(paths[0], zip(x, y)) {
            let ex = area.x + vx / 10 * area.width
            let ey = area.y + area.height - vy / 100 * area.height
            #expect(abs(p.0 - ex) <= 0.006 && abs(p.1 - ey) <= 0.006, "\(p) vs (\(ex), \(ey))")
        }
    }

    /// On a log y axis 10^-4 between automatic limits 10^-8 … 1 sits at half height; decade
    /// labels are 10 with a superscript exponent.
    @Test func logAxisMapping() throws {
        var fig = try Figure()
        fig.axes.yScale = .log
        try fig.axes.plot([3e-8, 1e-4, 0.7])
        let l = try fig.layout()[0]
        #expect(abs(l.y.lower - 1e-8) < 1e-22 && l.y.upper == 1)
        let d = try #require(SVGInspector(try fig.svg()).element(id: "axes0-series0")?.attributes["d"])
        let mid = SVGInspector.subpaths(d)[0][1]
        #expect(abs(mid.1 - (l.plotArea.y + l.plotArea.height / 2)) <= 0.006)
        #expect(abs(mid.0 - l.x.pixel(2)!) <= 0.006)
        let texts = SVGInspector(try fig.svg()).texts
        #expect(texts.contains("10-8") && texts.contains("100"))   // "10" + tspan "-8", "10" + "0"
    }

    /// NaN and ±∞ (and non-positive values on a log axis) are skipped and break the line.
    @Test func nonFinitePointsBreakTheLine() throws {
        var fig = try Figure()
        try fig.axes.plot([1, 2, 3, 4, 5, 6], [1, 2, .nan, 4, .infinity, 6])
        var d = try #require(SVGInspector(try fig.svg()).element(id: "axes0-series0")?.attributes["d"])
        #expect(SVGInspector.subpaths(d).map(\.count) == [2, 1, 1])
        #expect(!d.contains("nan") && !d.contains("inf"))
        var logFig = try Figure()
        logFig.axes.yScale = .log
        try logFig.axes.plot([1, 2, 3, 4], [1e-3, -1, 0, 1e-1])
        d = try #require(SVGInspector(try logFig.svg()).element(id: "axes0-series0")?.attributes["d"])
        #expect(SVGInspector.subpaths(d).map(\.count) == [1, 1])
        #expect(try logFig.layout()[0].y.lower == 1e-3)
    }

    /// <, & and > in titles and labels are escaped; the parsed text equals the original.
    @Test func escaping() throws {
        var fig = try Figure(title: "ΔV <model> & \"host\"")
        fig.axes.xLabel = "E − E_F (Ry) <0"
        try fig.axes.plot([0, 1], [1, 2], label: "a<b & c>d")
        let svg = try fig.svg()
        #expect(svg.contains("a&lt;b &amp; c&gt;d"))
        #expect(!svg.contains("a<b"))
        let inspector = SVGInspector(svg)
        #expect(inspector.parseError == nil)
        #expect(inspector.texts.contains("ΔV <model> & \"host\""))
        #expect(inspector.texts.contains("a<b & c>d"))
        #expect(inspector.texts.contains("E − E_F (Ry) <0"))
    }

    /// A figure with every element type in a 2×2 grid parses as XML without error.
    @Test func validXMLForAllElementTypes() throws {
        var fig = try Figure(width: 900, height: 700, rows: 2, columns: 2, title: "Benchmark")
        var conv = Axes(title: "SCF convergence", xLabel: "iteration", yLabel: "rms (Ry)")
        conv.yScale = .log
        try conv.plot((0..<30).map { 0.3 * pow(0.55, Double($0)) }, label: "host start",
                      style: LineStyle(marker: .circle))
        try conv.plot((0..<12).map { 1e-3 * pow(0.3, Double($0)) }, label: "ML start", style: LineStyle(dash: .dashed, marker: .square))
        try conv.horizontalLine(1e-8, label: "threshold")
        fig[0, 0] = conv
        var dos = Axes(title: "DOS", xLabel: "E (Ry)", yLabel: "states/Ry")
        let e = (0..<200).map { -0.8 + Double($0) * 0.006 }
        try dos.plot(e, e.map { 5 / (1 + pow(($0 + 0.3) / 0.05, 2)) }, label: "d")
        try dos.step(e, e.map { 0.5 + $0 }, label: "N(E)", style: LineStyle(dash: .dotted))
        try dos.verticalLine(0, label: "E_F")
        dos.legend = .topLeft
        fig[0, 1] = dos
        var parity = Axes(title: "parity", xLabel: "true", yLabel: "predicted")
        try parity.scatter([0.1, 0.5, 0.9, -0.2], [0.12, 0.45, 0.95, -0.25], label: "test",
                           style: LineStyle(marker: .triangle, opacity: 0.7))
        try parity.scatter([0.3], [0.2], label: "outlier", style: LineStyle(marker: .cross))
        parity.diagonal(label: "y = x")
        parity.legend = .bottomRight
        fig[1, 0] = parity
        var hist = Axes(title: "iterations saved", xLabel: "Δn", yLabel: "pairs")
        let binned = try hist.histogram([1, 3, 3, 4, 5, 5, 5, 6, 8, 12], bins: 6, label: "held-out")
        #expect(binned.counts == [1, 3, 4, 1, 0, 1])
        try hist.scatter([2], [1], style: LineStyle(marker: .diamond))
        hist.legend = .topLeft
        fig[1, 1] = hist
        let svg = try fig.svg()
        let inspector = SVGInspector(svg)
        #expect(inspector.parseError == nil)
        #expect(inspector.elements.first?.name == "svg")
        #expect(inspector.elements.filter { $0.attributes["id"]?.hasPrefix("axes") == true && $0.name == "g" &&
            !$0.attributes["id"]!.contains("series") }.count == 4)
        // Parity limits are square: x and y auto ranges agree.
        let l = try fig.layout()[2]
        #expect(l.x.lower == l.y.lower && l.x.upper == l.y.upper)
        // 6 histogram bins, one empty → 5 bars.
        let bars = try #require(inspector.elements.firstIndex { $0.attributes["id"] == "axes3-series0" })
        let rects = inspector.elements[(bars + 1)...].prefix { $0.name == "rect" }
        #expect(rects.count == 5)
        // Legend texts present.
        for label in ["host start", "ML start", "threshold", "E_F", "y = x", "held-out"] {
            #expect(inspector.texts.contains(label), "legend \(label)")
        }
    }

    /// Series without explicit colours take the Okabe–Ito cycle in order; explicit colours win.
    @Test func paletteCycle() throws {
        var fig = try Figure()
        try fig.axes.plot([0, 1], [0, 1])
        try fig.axes.horizontalLine(0.5)
        try fig.axes.plot([0, 1], [1, 0])
        try fig.axes.plot([0, 1], [1, 1], style: LineStyle(color: Color(hex: 0x123456)))
        let inspector = SVGInspector(try fig.svg())
        #expect(inspector.element(id: "axes0-series0")?.attributes["stroke"] == "#0072b2")
        #expect(inspector.element(id: "axes0-series1")?.attributes["stroke"] == Color.gray.svg)
        #expect(inspector.element(id: "axes0-series2")?.attributes["stroke"] == "#d55e00")
        #expect(inspector.element(id: "axes0-series3")?.attributes["stroke"] == "#123456")
    }

    /// Step "post": y_i holds from x_i to x_{i+1}.
    @Test func stepPath() throws {
        var fig = try Figure()
        fig.axes.xLimits = 0...3
        fig.axes.yLimits = 0...3
        try fig.axes.step([0, 1, 2], [1, 2, 3])
        let l = try fig.layout()[0]
        let d = try #require(SVGInspector(try fig.svg()).element(id: "axes0-series0")?.attributes["d"])
        let pts = SVGInspector.subpaths(d)[0]
        let expected: [(Double, Double)] = [(0, 1), (1, 1), (1, 2), (2, 2), (2, 3)]
        #expect(pts.count == expected.count)
        for (p, e) in zip(pts, expected) {
            let px = l.pixel(x: e.0, y: e.1)!
            #expect(abs(p.0 - px.x) <= 0.006 && abs(p.1 - px.y) <= 0.006)
        }
    }

    @Test func invalidInput() throws {
        var fig = try Figure()
        #expect(throws: PlotError.emptySeries("#0")) { try fig.axes.plot([], []) }
        #expect(throws: PlotError.emptySeries("rms")) { try fig.axes.plot([], label: "rms") }
        #expect(throws: PlotError.lengthMismatch(series: "x", x: 2, y: 3)) { try fig.axes.plot([1, 2], [1, 2, 3], label: "x") }
        #expect(throws: PlotError.self) { try fig.axes.scatter([], []) }
        #expect(throws: PlotError.self) { try fig.axes.histogram([]) }
        #expect(throws: PlotError.self) { try fig.axes.bars(edges: [0, 1], heights: [1, 2]) }
        #expect(throws: PlotError.self) { try fig.axes.horizontalLine(.nan) }
        #expect(throws: PlotError.self) { try Figure(rows: 0) }
        fig.axes.yScale = .log
        fig.axes.yLimits = -1...1
        try fig.axes.plot([1, 2], [1, 2])
        #expect(throws: PlotError.self) { try fig.svg() }
        #expect(fig.axes.elements.count == 1)   // failed calls add nothing
    }

    /// `write(to:)` replaces the file atomically and leaves no temporary file.
    @Test func atomicWrite() throws {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("plot-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: dir) }
        let path = dir.appendingPathComponent("rms.svg").path
        try "old".write(toFile: path, atomically: false, encoding: .utf8)
        var fig = try Figure()
        try fig.axes.plot([1, 2, 3])
        try fig.write(to: path)
        #expect(try String(contentsOfFile: path, encoding: .utf8) == fig.svg())
        #expect(try FileManager.default.contentsOfDirectory(atPath: dir.path) == ["rms.svg"])
        #expect(throws: PlotError.self) { try fig.write(to: dir.appendingPathComponent("missing/dir/x.svg").path) }
    }
}
