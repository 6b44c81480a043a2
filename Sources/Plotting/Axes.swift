import Foundation

/// One plot panel: data elements, axis scales and limits, labels, title and legend.
/// Colours of lines, scatter, steps and bars without an explicit colour follow `Palette.cycle`
/// in the order the elements were added.
public struct Axes: Sendable {
    public var title: String?
    public var xLabel: String?
    public var yLabel: String?
    public var xScale: AxisScale = .linear
    public var yScale: AxisScale = .linear
    /// Explicit limits; nil for automatic "nice" limits (linear) or whole decades (log).
    public var xLimits: ClosedRange<Double>?
    public var yLimits: ClosedRange<Double>?
    public var legend: LegendPosition = .topRight
    public var showGrid = true
    /// Use the same automatic range on x and y (set by `diagonal`, for parity plots).
    public var squareLimits = false
    public private(set) var elements: [PlotElement] = []

    public init(title: String? = nil, xLabel: String? = nil, yLabel: String? = nil) {
        self.title = title
        self.xLabel = xLabel
        self.yLabel = yLabel
    }

    // MARK: Adding elements

    /// A line through (x_i, y_i). NaN/±∞ points (and non-positive values on a log axis) are
    /// skipped and break the line.
    public mutating func plot(_ x: [Double], _ y: [Double], label: String? = nil, style: LineStyle = .default) throws {
        try Axes.validate(x, y, name: label ?? "#\(elements.count)")
        elements.append(.line(x: x, y: y, label: label, style: style))
    }

    /// A line with y plotted against 1, 2, …, n (e.g. an SCF convergence curve vs iteration).
    public mutating func plot(_ y: [Double], label: String? = nil, style: LineStyle = .default) throws {
        try plot(y.indices.map { Double($0 + 1) }, y, label: label, style: style)
    }

    /// Markers at (x_i, y_i).
    public mutating func scatter(_ x: [Double], _ y: [Double], label: String? = nil,
                                 style: LineStyle = LineStyle(marker: .circle, opacity: 0.75)) throws {
        try Axes.validate(x, y, name: label ?? "#\(elements.count)")
        var s = style
        if s.marker == nil { s.marker = .circle }
        elements.append(.scatter(x: x, y: y, label: label, style: s))
    }

    /// A staircase through (x_i, y_i).
    public mutating func step(_ x: [Double], _ y: [Double], mode: StepMode = .post, label: String? = nil,
                              style: LineStyle = .default) throws {
        try Axes.validate(x, y, name: label ?? "#\(elements.count)")
        elements.append(.step(x: x, y: y, mode: mode, label: label, style: style))
    }

    /// A histogram of `values` with equal-width bins; returns the binning that is drawn.
    @discardableResult
    public mutating func histogram(_ values: [Double], bins: Int = 10, range: ClosedRange<Double>? = nil,
                                   label: String? = nil, color: Color? = nil, opacity: Double = 0.8) throws -> Histogram {
        guard !values.isEmpty else { throw PlotError.emptySeries(label ?? "histogram") }
        let h = try Histogram(values: values, bins: bins, range: range)
        try bars(edges: h.edges, heights: h.counts.map(Double.init), label: label, color: color, opacity: opacity)
        return h
    }

    /// Bars between consecutive edges (n + 1 increasing edges, n heights).
    public mutating func bars(edges: [Double], heights: [Double], label: String? = nil, color: Color? = nil,
                              opacity: Double = 0.8) throws {
        guard !heights.isEmpty else { throw PlotError.emptySeries(label ?? "bars") }
        guard edges.count == heights.count + 1 else {
            throw PlotError.lengthMismatch(series: label ?? "bars", x: edges.count, y: heights.count + 1)
        }
        guard zip(edges, edges.dropFirst()).allSatisfy({ $0 < $1 }) else {
            throw PlotError.invalidArgument("bar edges must be finite and strictly increasing")
        }
        elements.append(.bars(edges: edges, heights: heights, label: label, color: color, opacity: opacity))
    }

    /// A horizontal reference line y = value (e.g. a convergence threshold).
    public mutating func horizontalLine(_ y: Double, label: String? = nil,
                                        style: LineStyle = LineStyle(color: .gray, width: 1, dash: .dashed)) throws {
        guard y.isFinite else { throw PlotError.invalidArgument("reference line at non-finite y = \(y)") }
        elements.append(.horizontalLine(y: y, label: label, style: style))
    }

    /// A vertical reference line x = value (e.g. the Fermi energy).
    public mutating func verticalLine(_ x: Double, label: String? = nil,
                                      style: LineStyle = LineStyle(color: .gray, width: 1, dash: .dashed)) throws {
        guard x.isFinite else { throw PlotError.invalidArgument("reference line at non-finite x = \(x)") }
        elements.append(.verticalLine(x: x, label: label, style: style))
    }

    /// The diagonal y = x for parity plots (predicted vs true). With `squareLimits` the automatic
    /// x and y ranges are made equal so the diagonal runs corner to corner.
    public mutating func diagonal(label: String? = nil, style: LineStyle = LineStyle(color: .gray, width: 1, dash: .dashed),
                                  squareLimits: Bool = true) {
        elements.append(.diagonal(label: label, style: style))
        if squareLimits { self.squareLimits = true }
    }

    private static func validate(_ x: [Double], _ y: [Double], name: String) throws {
        guard x.count == y.count else { throw PlotError.lengthMismatch(series: name, x: x.count, y: y.count) }
        guard !x.isEmpty else { throw PlotError.emptySeries(name) }
    }

    // MARK: Limits

    /// The data ranges that the axes will show: explicit limits if set, else automatic ones from
    /// the finite (and, on log axes, positive) data.
    public func resolvedLimits() throws -> (x: ClosedRange<Double>, y: ClosedRange<Double>) {
        var xs: [Double] = [], ys: [Double] = []
        let xOK = { (v: Double) in v.isFinite && (self.xScale == .linear || v > 0) }
        let yOK = { (v: Double) in v.isFinite && (self.yScale == .linear || v > 0) }
        for e in elements {
            switch e {
            case .line(let x, let y, _, _), .scatter(let x, let y, _, _), .step(let x, let y, _, _, _):
                for (a, b) in zip(x, y) where xOK(a) && yOK(b) { xs.append(a); ys.append(b) }
            case .bars(let edges, let heights, _, _, _):
                xs += edges.filter(xOK)
                ys += heights.filter(yOK)
                if yScale == .linear { ys.append(0) }
            case .horizontalLine(let y, _, _): if yOK(y) { ys.append(y) }
            case .verticalLine(let x, _, _): if xOK(x) { xs.append(x) }
            case .diagonal: break
            }
        }
        if squareLimits && xScale == yScale {
            let all = xs + ys
            xs = all
            ys = all
        }
        let x = try Axes.limits(explicit: xLimits, data: xs, scale: xScale, axis: "x")
        let y = try Axes.limits(explicit: yLimits, data: ys, scale: yScale, axis: "y")
        return (x, y)
    }

    private static func limits(explicit: ClosedRange<Double>?, data: [Double], scale: AxisScale,
                               axis: String) throws -> ClosedRange<Double> {
        if let r = explicit {
            guard r.lowerBound.isFinite, r.upperBound.isFinite, r.lowerBound < r.upperBound else {
                throw PlotError.invalidArgument("\(axis) limits \(r) must be finite with lower < upper")
            }
            guard scale == .linear || r.lowerBound > 0 else {
                throw PlotError.invalidArgument("\(axis) limits \(r) of a log axis must be positive")
            }
            return r
        }
        guard let lo = data.min(), let hi = data.max() else { return scale == .linear ? 0...1 : 1...10 }
        switch scale {
        case .linear:
            let s = Ticks.nice(lower: lo, upper: hi)
            return s.lower...s.upper
        case .log:
            let (a, b) = Ticks.logLimits(lower: lo, upper: hi)
            return a...b
        }
    }
}
