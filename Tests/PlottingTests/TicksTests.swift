import Foundation
import Testing
@testable import Plotting

@Suite struct TicksTests {
    /// Heckbert (1990): nice numbers are {1, 2, 5, 10} × 10^k.
    @Test func niceNumbers() {
        #expect(Ticks.niceNumber(0.0085, round: false) == 0.01)
        #expect(Ticks.niceNumber(15.8, round: false) == 20)
        #expect(Ticks.niceNumber(4, round: true) == 5)
        #expect(Ticks.niceNumber(1.2, round: true) == 1)
        #expect(Ticks.niceNumber(2.9e-7, round: true) == 2e-7)
        #expect(Ticks.niceNumber(7.5, round: true) == 10)
    }

    /// Loose labelling of known ranges with at most 8 ticks; tick values are exact decimals
    /// (0.3, not 0.30000000000000004).
    @Test func linearTicksOnKnownRanges() {
        let unit = Ticks.nice(lower: 0, upper: 1)
        #expect(unit.step == 0.2)
        #expect(unit.ticks == [0, 0.2, 0.4, 0.6, 0.8, 1])
        let hundred = Ticks.nice(lower: 3, upper: 97)
        #expect(hundred.lower == 0 && hundred.upper == 100 && hundred.step == 20)
        let mixed = Ticks.nice(lower: -3.7, upper: 12.1)
        #expect(mixed.ticks == [-5, 0, 5, 10, 15])
        let small = Ticks.nice(lower: 0.0012, upper: 0.0097)
        #expect(small.step == 0.002)
        #expect(small.ticks == [0, 0.002, 0.004, 0.006, 0.008, 0.01])
        let peak = Ticks.nice(lower: -0.3, upper: 5)          // a DOS: not −2…6
        #expect(peak.ticks == [-1, 0, 1, 2, 3, 4, 5])
        #expect(Ticks.nice(lower: -0.8, upper: 0.394).ticks == [-0.8, -0.6, -0.4, -0.2, 0, 0.2, 0.4])
        #expect(Ticks.nice(lower: 0, upper: 1, maxTicks: 3).ticks == [0, 0.5, 1])
        let flat = Ticks.nice(lower: 5, upper: 5)
        #expect(flat.lower < 5 && flat.upper > 5)
        #expect(Ticks.ticks(from: 0, to: 1, step: 0.1).contains(0.3))
        #expect(Ticks.ticks(from: 0.05, to: 0.95, step: 0.1) == [0.1, 0.2, 0.3, 0.4, 0.5, 0.6, 0.7, 0.8, 0.9])
        let negative = Ticks.nice(lower: -0.93, upper: -0.11)
        #expect(negative.ticks.first! <= -0.93 && negative.ticks.last! >= -0.11)
    }

    @Test func labels() {
        #expect(Ticks.label(0.3, step: 0.1) == "0.3")
        #expect(Ticks.label(1500, step: 500) == "1500")
        #expect(Ticks.label(-0.0, step: 0.5) == "0")
        #expect(Ticks.label(1e-17, step: 0.2) == "0")
        #expect(Ticks.label(2.5e-5, step: 5e-6) == "2.5e-05")
        #expect(Ticks.label(0.25, step: 0.05) == "0.25")
        #expect(Ticks.label(2e7, step: 5e6) == "2.0e+07")   // as precise as its neighbour 2.5e+07
        #expect(Ticks.label(2.5e7, step: 5e6) == "2.5e+07")
    }

    /// Decades as major ticks, 2…9 × 10^k as minor ticks; decade-aligned automatic limits.
    @Test func logTicks() {
        let (major, minor) = Ticks.logarithmic(lower: 1e-8, upper: 1)
        #expect(major.count == 9)
        for (v, e) in zip(major, -8...0) { #expect(abs(v / pow(10, Double(e)) - 1) < 1e-14) }
        #expect(minor.count == 64)
        let (m2, n2) = Ticks.logarithmic(lower: 2, upper: 50)
        #expect(m2 == [10])
        #expect(n2 == [2, 3, 4, 5, 6, 7, 8, 9, 20, 30, 40, 50])
        let limits = Ticks.logLimits(lower: 3e-9, upper: 0.5)
        #expect(abs(limits.0 / 1e-9 - 1) < 1e-14 && limits.1 == 1)
        #expect(Ticks.logLimits(lower: 100, upper: 100) == (100, 1000))
        #expect(Ticks.logarithmic(lower: -1, upper: 10).major.isEmpty)
    }
}

@Suite struct HistogramTests {
    /// numpy.histogram convention: half-open bins, last bin closed, out-of-range and NaN ignored.
    @Test func binning() throws {
        let h = try Histogram(values: [0, 1, 1, 2, 3, 3, 3, .nan, -1, 4], bins: 3, range: 0...3)
        #expect(h.edges == [0, 1, 2, 3])
        #expect(h.counts == [1, 2, 4])
        let auto = try Histogram(values: [0.5, 0.1, 0.9, 0.3], bins: 4)
        #expect(auto.counts.reduce(0, +) == 4)
        #expect(auto.edges.first == 0.1 && auto.edges.last == 0.9)
        let single = try Histogram(values: [2, 2, 2], bins: 2)
        #expect(single.counts == [0, 3])   // range widened to 1.5…2.5; 2 falls on the middle edge
        #expect(throws: PlotError.self) { try Histogram(values: [1], bins: 0) }
        #expect(throws: PlotError.self) { try Histogram(values: [.nan], bins: 3) }
    }
}
