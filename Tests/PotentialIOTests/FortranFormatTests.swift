import Foundation
import Testing
@testable import PotentialIO

/// The Fortran edit descriptors against text written by the JuKKR codes (expected strings are
/// copied from the fixture lines cited) and against gfortran's documented behaviour.
@Suite struct FortranFormatTests {
    private func f(_ x: Double, _ e: FortranEdit) throws -> String {
        try FortranRecordFormat([e]).format([.real(x)])
    }

    @Test func exponentialFieldsOfTheFixtures() throws {
        // Cu_fcc_FP_lmax2_VWN.potential line 14, field 1: (1p,4d20.13)
        #expect(try f(217.58650615899, .d(20, 13)) == " 2.1758650615899D+02")
        // Fe_bcc_FP_lmax3_spinpol.potential line 289: negative values fill the whole field
        #expect(try f(-1.0293944962073e-4, .d(20, 13)) == "-1.0293944962073D-04")
        #expect(try f(-6.5671061451472e-15, .d(20, 13)) == "-6.5671061451472D-15")
        // Au_fcc_ASA_spherical.potential line 20: (1p,4d20.12)
        #expect(try f(843.4362489256, .d(20, 12)) == "  8.434362489256D+02")
        // Cu line 6: (2d15.8) without scale factor
        #expect(try f(0.025, .d(15, 8, scale: 0)) == " 0.25000000D-01")
        #expect(try f(3.9831005e-4, .d(15, 8, scale: 0)) == " 0.39831005D-03")
        // Cu_fcc.shapefun lines 5 and 109: (4d20.12) without scale factor, zero
        #expect(try f(0.495, .d(20, 12, scale: 0)) == "  0.495000000000D+00")
        #expect(try f(0, .d(20, 12, scale: 0)) == "  0.000000000000D+00")
        #expect(try f(-0.256054734277e-13, .d(20, 12, scale: 0)) == " -0.256054734277D-13")
        #expect(try f(0, .d(20, 13)) == " 0.0000000000000D+00")
    }

    @Test func recordsOfTheFixtures() throws {
        // Cu line 8: (i5,1p,d20.11)
        #expect(try BlockLineStyles.coreFormat.format([.int(0), .real(-648.348121093)]) == "    0  -6.48348121093D+02")
        // Cu line 2: (3f20.15)
        #expect(try BlockLineStyles.radiiKKRhost.format([.real(2.390621961174540), .real(4.829539315504120),
                                                         .real(2.390621961174539)])
                == "   2.390621961174540   4.829539315504120   2.390621961174539")
        // Au line 2: (3f12.8)
        #expect(try BlockLineStyles.radiiOld.format([.real(2.72695730), .real(7.713), .real(2.72732406)])
                == "  2.72695730  7.71300000  2.72732406")
        // Cu lines 3-4: (f10.5,/,f10.5,2f20.15)
        #expect(try BlockLineStyles.chargeFormat.format([.real(29)]) == "  29.00000")
        #expect(try BlockLineStyles.energiesKKRhost.format([.real(3.415), .real(0.639303926975325), .real(0.717130568775404)])
                == "   3.41500   0.639303926975325   0.717130568775404")
        // AgCu startpot line 4 (voronoi): (f10.5,2f15.10)
        #expect(try BlockLineStyles.energiesVoronoi.format([.real(3.415), .real(0.409241), .real(0.5)])
                == "   3.41500   0.4092410000   0.5000000000")
        // Cu line 7 and Au line 7: (2i2)
        #expect(try BlockLineStyles.coreCountFormat.format([.int(5), .int(1)]) == " 5 1")
        #expect(try BlockLineStyles.coreCountFormat.format([.int(12), .int(1)]) == "12 1")
        // Cu line 13: (10i5)
        #expect(try BlockLineStyles.fullPotentialFormat.format([.int(484), .int(199), .int(25), .int(1)])
                == "  484  199   25    1")
    }

    @Test func exponentRangeAndFlushToZero() throws {
        // |x| < 1e-99 would need a three-digit exponent: written as zero (FORMATS.md §1a).
        #expect(try f(1e-120, .d(20, 13)) == " 0.0000000000000D+00")
        #expect(try f(-3e-100, .d(20, 13)) == " 0.0000000000000D+00")
        #expect(try f(1.5e-99, .d(20, 13)) == " 1.5000000000000D-99")
        // Fortran drops the letter for exponents > 99.
        #expect(try f(1e120, .d(20, 13)) == " 1.0000000000000+120")
        // A mantissa that rounds up moves the exponent (9.99…→10.0).
        #expect(try f(9.99999999999999e2, .d(20, 12)) == "  1.000000000000D+03")
    }

    /// gfortran rounds through snprintf: round-half-even on the exact binary value
    /// (libgfortran write_float.def, determine_precision, default ROUND mode).
    @Test func roundingOfExactTies() throws {
        #expect(try f(0.125, .fixed(width: 5, decimals: 2)) == " 0.12")   // 0.125 is exact: tie → even
        #expect(try f(0.375, .fixed(width: 5, decimals: 2)) == " 0.38")
        #expect(try f(0.125, .d(9, 1)) == "  1.2D-01")
        #expect(try f(0.15, .fixed(width: 4, decimals: 1)) == " 0.1")    // 0.15 is 0.1499999… in binary
    }

    @Test func fieldOverflowThrowsInsteadOfAsterisks() throws {
        #expect(throws: FortranFormatError.self) { try FortranRecordFormat([.integer(width: 3)]).format([.int(1000)]) }
        #expect(throws: FortranFormatError.self) { try f(1e6, .fixed(width: 10, decimals: 5)) }
        #expect(throws: FortranFormatError.self) { try f(.nan, .d(20, 13)) }
        #expect(throws: FortranFormatError.self) { try f(.infinity, .fixed(width: 20, decimals: 15)) }
        // the optional leading zero is dropped when the field is full (Fortran rule)
        #expect(try f(0.5, .fixed(width: 4, decimals: 3)) == ".500")
        #expect(try f(-0.5, .fixed(width: 5, decimals: 3)) == "-.500")
    }

    @Test func parsingFortranReals() {
        func p(_ s: String) -> Double? { FortranNumber.parseReal(Array(s.utf8)) }
        #expect(p(" 2.1758650615899D+02") == 217.58650615899)
        #expect(p("-4.5631185736868D-03") == -4.5631185736868e-3)
        #expect(p("0.25000000D-01") == 0.025)
        #expect(p("1.0000000000000-120") == 1e-120)   // letterless three-digit exponent
        #expect(p("1.0+120") == 1e120)
        #expect(p("2.5d0") == 2.5)
        #expect(p(".5") == 0.5)
        #expect(p("5.") == 5)
        #expect(p("  29.00000  ") == 29)
        #expect(p("1E5") == 1e5)
        for bad in ["NaN", "nan", "Inf", "-Infinity", "0x1p3", "1.2.3", "", "   ", "1D", "D5", "1 2", "+", "1e+999", "1,5", "--1"] {
            #expect(p(bad) == nil, "'\(bad)' must not parse")
        }
        #expect(FortranNumber.parseInt(Array("  484".utf8)) == 484)
        #expect(FortranNumber.parseInt(Array("-3".utf8)) == -3)
        #expect(FortranNumber.parseInt(Array("4.0".utf8)) == nil)
        #expect(FortranNumber.parseInt(Array("99999999999999999999999".utf8)) == nil)
    }

    /// The Float80 fast path of the digit generation against the exact printf conversion:
    /// random magnitudes over the whole exponent range, 14-digit decimals with a trailing 5
    /// (near-ties after rounding to 13 digits) and exact binary ties.
    @Test func fastDigitsAgreeWithPrintf() {
        var rng = FuzzTests.SplitMix64(state: 2024)
        var values: [Double] = []
        for _ in 0..<10_000 {
            values.append(Double.random(in: 1..<10, using: &rng) * pow(10, Double(Int.random(in: -110...110, using: &rng))))
        }
        for _ in 0..<3_000 {
            let digits = (0..<12).map { _ in String(Int.random(in: 0...9, using: &rng)) }.joined()
            values.append(Double("\(Int.random(in: 1...9, using: &rng)).\(digits)5E\(Int.random(in: -20...20, using: &rng))")!)
        }
        values += [0.125, 0.375, 2.5, 1234.5, 1.5, 9.5, 0.5, 1e-99, 9.999999999999995e2, 217.58650615899, 4.829539315504120]
        var fastCount = 0, total = 0
        for p in [8, 12, 13, 14, 15] {
            for a in values {
                total += 1
                guard let fast = DecimalDigits.fast(a, p) else { continue }
                fastCount += 1
                let exact = DecimalDigits.viaPrintf(a, p)
                if fast.digits != exact.digits || fast.exponent != exact.exponent {
                    Issue.record("\(a) with \(p) digits: fast \(String(decoding: fast.digits, as: UTF8.self))e\(fast.exponent), printf \(String(decoding: exact.digits, as: UTF8.self))e\(exact.exponent)")
                    return
                }
            }
        }
        #if arch(x86_64)
        #expect(fastCount > total * 9 / 10, "the fast path must carry most values (\(fastCount) of \(total))")
        #endif
    }
}
