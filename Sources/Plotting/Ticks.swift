import Foundation

/// A linear axis range with "nice" tick marks (multiples of 1, 2 or 5 × 10^k).
public struct NiceScale: Equatable, Sendable {
    public let lower: Double
    public let upper: Double
    /// Distance between ticks.
    public let step: Double
    public let ticks: [Double]
}

/// Tick selection for linear and logarithmic axes.
public enum Ticks {
    /// Heckbert's "nice number": a number of the form {1, 2, 5, 10} × 10^k close to x
    /// (rounded if `round`, else the smallest such number ≥ x). P. S. Heckbert, "Nice numbers for
    /// graph labels", in *Graphics Gems*, Academic Press (1990), pp. 61–63.
    public static func niceNumber(_ x: Double, round: Bool) -> Double {
        precondition(x > 0 && x.isFinite)
        let exponent = floor(log10(x))
        let f = x / pow(10, exponent)
        let nice: Double
        if round {
            nice = f < 1.5 ? 1 : (f < 3 ? 2 : (f < 7 ? 5 : 10))
        } else {
            nice = f <= 1 ? 1 : (f <= 2 ? 2 : (f <= 5 ? 5 : 10))
        }
        return nice * pow(10, exponent)
    }

    /// Loose labelling with nice numbers: the enclosing range [⌊lo/d⌋d, ⌈hi/d⌉d] for the smallest
    /// step d ∈ {1, 2, 5} × 10^k that needs at most `maxTicks` − 1 intervals (Heckbert 1990's nice
    /// numbers with the step choice of matplotlib's `MaxNLocator`). Degenerate ranges (lo = hi)
    /// are widened by ±1 (or ±10 % of |lo|).
    public static func nice(lower: Double, upper: Double, maxTicks: Int = 8) -> NiceScale {
        var lo = min(lower, upper), hi = max(lower, upper)
        if hi - lo <= 1e-12 * max(abs(lo), abs(hi)) {
            let pad = lo == 0 ? 1 : 0.1 * abs(lo)
            lo -= pad
            hi += pad
        }
        let maxIntervals = Double(max(2, maxTicks) - 1)
        var step = niceNumber((hi - lo) / maxIntervals, round: false)
        var kLo = floor(lo / step + 1e-9), kHi = ceil(hi / step - 1e-9)
        while kHi - kLo > maxIntervals {
            step = niceNumber(step * 1.01, round: false)   // next of 1, 2, 5, 10
            kLo = floor(lo / step + 1e-9)
            kHi = ceil(hi / step - 1e-9)
        }
        let lowerTick = multiple(kLo, step), upperTick = multiple(kHi, step)
        return NiceScale(lower: lowerTick, upper: upperTick, step: step,
                         ticks: ticks(from: lowerTick, to: upperTick, step: step))
    }

    /// The multiples of `step` inside [lower, upper] (inclusive to 1e-9 of a step), computed as
    /// k × mantissa / 10^e so that labels such as 0.3 are exact decimals.
    public static func ticks(from lower: Double, to upper: Double, step: Double) -> [Double] {
        guard step > 0, step.isFinite, lower <= upper else { return [] }
        let kMin = ceil(lower / step - 1e-9), kMax = floor(upper / step + 1e-9)
        guard kMax - kMin < 10_000 else { return [] }
        var out: [Double] = []
        var k = kMin
        while k <= kMax {
            out.append(multiple(k, step))
            k += 1
        }
        return out
    }

    /// k·step, rounded to the step's decimal precision (avoids 0.30000000000000004).
    static func multiple(_ k: Double, _ step: Double) -> Double {
        let e = floor(log10(step))
        if e < 0 {
            let scale = pow(10, -e)
            let mantissa = (step * scale).rounded()
            let v = k * mantissa / scale
            return v == 0 ? 0 : v
        }
        let v = k * step
        return v == 0 ? 0 : v
    }

    /// Logarithmic ticks in [lower, upper] (both > 0): decades 10^k as major ticks and
    /// m·10^k (m = 2…9) as minor ticks.
    public static func logarithmic(lower: Double, upper: Double) -> (major: [Double], minor: [Double]) {
        guard lower > 0, upper >= lower, lower.isFinite, upper.isFinite else { return ([], []) }
        let eLo = Int(floor(log10(lower) + 1e-12)), eHi = Int(ceil(log10(upper) - 1e-12))
        var major: [Double] = [], minor: [Double] = []
        for e in eLo...max(eLo, eHi) {
            let decade = pow(10, Double(e))
            if decade >= lower * (1 - 1e-12), decade <= upper * (1 + 1e-12) { major.append(decade) }
            for m in 2...9 {
                let v = Double(m) * decade
                if v >= lower * (1 - 1e-12), v <= upper * (1 + 1e-12) { minor.append(v) }
            }
        }
        return (major, minor)
    }

    /// Decade-aligned limits [10^⌊log lo⌋, 10^⌈log hi⌉] enclosing a positive range.
    public static func logLimits(lower: Double, upper: Double) -> (Double, Double) {
        var eLo = floor(log10(lower) + 1e-12), eHi = ceil(log10(upper) - 1e-12)
        if eHi <= eLo { eHi = eLo + 1 }
        return (pow(10, eLo), pow(10, eHi))
    }

    /// Tick label for a value on a linear axis with tick spacing `step`: fixed-point with just
    /// enough decimals for the step ("0.25", "1500"), scientific ("2.5e-05") for very small or
    /// large magnitudes. Never "-0".
    public static func label(_ value: Double, step: Double) -> String {
        if abs(value) < 1e-12 * max(step, 1e-300) || value == 0 { return "0" }
        let magnitude = abs(value)
        if magnitude >= 1e6 || step < 1e-4 {
            let digits = max(0, Int(floor(log10(magnitude))) - Int(floor(log10(step))))
            return String(format: "%.\(min(digits, 15))e", value)
        }
        let decimals = max(0, -Int(floor(log10(step) + 1e-9)))
        return String(format: "%.\(decimals)f", value)
    }
}
