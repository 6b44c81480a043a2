/// Equal-width binning of values (numpy.histogram convention).
public struct Histogram: Sendable, Equatable {
    /// bins + 1 increasing edges.
    public let edges: [Double]
    public let counts: [Int]

    /// Bins `values` into `bins` equal bins over `range` (default: the finite values' min…max).
    /// Bins are half-open [e_i, e_{i+1}) except the last, which includes its right edge; values
    /// outside the range and non-finite values are ignored (Harris et al., numpy.histogram,
    /// https://numpy.org/doc/stable/reference/generated/numpy.histogram.html).
    public init(values: [Double], bins: Int = 10, range: ClosedRange<Double>? = nil) throws {
        guard bins >= 1 else { throw PlotError.invalidArgument("histogram needs at least one bin, got \(bins)") }
        let finite = values.filter(\.isFinite)
        var lo: Double, hi: Double
        if let range {
            guard range.lowerBound.isFinite, range.upperBound.isFinite else {
                throw PlotError.invalidArgument("histogram range must be finite")
            }
            lo = range.lowerBound
            hi = range.upperBound
        } else {
            guard let mn = finite.min(), let mx = finite.max() else {
                throw PlotError.emptySeries("histogram (no finite values)")
            }
            lo = mn
            hi = mx
        }
        if hi == lo { lo -= 0.5; hi += 0.5 }
        let width = (hi - lo) / Double(bins)
        edges = (0...bins).map { $0 == bins ? hi : lo + Double($0) * width }
        var c = [Int](repeating: 0, count: bins)
        for v in finite where v >= lo && v <= hi {
            var i = Int(((v - lo) / width).rounded(.down))
            if i >= bins { i = bins - 1 }
            // Guard the rounding of (v − lo)/width against the stored edges.
            while i > 0 && v < edges[i] { i -= 1 }
            while i < bins - 1 && v >= edges[i + 1] { i += 1 }
            c[i] += 1
        }
        counts = c
    }
}
