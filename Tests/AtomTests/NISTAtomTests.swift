import Elements
import Foundation
import Radial
import Testing
@testable import Atom

/// The NIST atomic LDA tables (Kotochigova et al., Phys. Rev. A 55, 191 (1997)) and dftatom's
/// converged eigenvalues, from Fixtures/nist_lda_atoms.csv (provenance in Fixtures/PROVENANCE.md).
/// Acceptance (issue 4): |ΔE_tot| ≤ 1e-5 Ha and every eigenvalue within 1e-5 Ha. The tests use
/// tighter bounds that follow from the reference precision and our measured accuracy
/// (docs/atom.md): E_tot within 2e-6 Ha (NIST prints 6 decimals; measured ≤ 6.3e-7) and the
/// dftatom eigenvalues (precision ~2e-9 Ha) within 5e-8 Ha (measured ≤ 1e-8).
@Suite struct NISTAtomTests {
    static let reference: NISTReference = {
        let url = Bundle.module.url(forResource: "nist_lda_atoms", withExtension: "csv", subdirectory: "Fixtures")!
        return try! NISTReference(contentsOf: url)
    }()

    static let etotTolerance = 2e-6
    static let dftatomEigenvalueTolerance = 5e-8
    static let nistPageTolerance = 2e-6

    func check(_ c: NISTComparison) {
        for row in c.rows {
            let tol: Double
            if row.quantity == "Etot" {
                tol = Self.etotTolerance
            } else if row.source.hasPrefix("dftatom") {
                tol = Self.dftatomEigenvalueTolerance
            } else {
                tol = Self.nistPageTolerance
            }
            #expect(abs(row.deviationHa) <= tol,
                    "\(c.symbol) \(c.method) \(row.quantity): computed \(row.computedHa) Ha, reference \(row.referenceHa) Ha (\(row.source))")
        }
        #expect(c.missing.isEmpty, "\(c.symbol) \(c.method): quantities not computed: \(c.missing)")
    }

    /// Representative subset of the LDA table in the default (debug) test run: light atoms, the
    /// 3d metals of the KKR work, a 4d and 5d metal and the heaviest element.
    @Test(arguments: [1, 2, 4, 7, 10, 19, 26, 29, 47, 79, 92])
    func ldaSubset(z: Int) throws {
        let c = try NISTValidation.run(reference: Self.reference, method: "LDA", atomicNumbers: [z])[0]
        check(c)
        print(String(format: "NIST LDA %@: |ΔEtot| %.2e Ha, max|Δε| %.2e Ha, %d iterations", c.symbol,
                     c.totalEnergyDeviationHa, c.worstEigenvalueDeviationHa, c.iterations))
    }

    /// Mg, the element with the full NIST page: LDA, LSD and ScRLDA total energies, all four
    /// energy parts and all eigenvalues. ScRLDA reproduces NIST only with MacDonald–Vosko exchange
    /// and a large-component density (`SmallComponentConvention.largeOnly`).
    @Test(arguments: ["LDA", "LSD", "ScRLDA"])
    func magnesiumAllMethods(method: String) throws {
        let c = try NISTValidation.run(reference: Self.reference, method: method, atomicNumbers: [12])[0]
        #expect(c.rows.count >= (method == "LDA" ? 13 : 9))
        check(c)
        let all = c.rows.map { abs($0.deviationHa) }.max() ?? 0
        print(String(format: "NIST %@ Mg: worst deviation over %d quantities %.2e Ha", method, c.rows.count, all))
    }

    /// With the KKR code's conventions (P² + Q²/c² densities, no relativistic exchange) the Mg
    /// ScRLDA eigenvalues differ from NIST by ~1e-3 Ha: the convention matters, and the test
    /// above is sensitive to it.
    @Test func scalarRelativisticConventionMatters() throws {
        let mg = try PeriodicTable.element(symbol: "Mg")
        let s = try NISTValidation.settings(method: "ScRLDA").jukkrConventions
        let r = try FreeAtom.solve(mg, settings: s)
        let c = NISTValidation.compare(r, with: Self.reference.values(atomicNumber: 12, method: "ScRLDA"), method: "ScRLDA")
        #expect(c.worstEigenvalueDeviationHa > 1e-4)
    }

    /// Full LDA table (63 elements) and every Z = 1…92 in LDA and ScRLDA: run with
    /// KKR_FULL_VALIDATION=1 (slow in a debug build; results and the release command in docs/atom.md).
    @Test(.enabled(if: ProcessInfo.processInfo.environment["KKR_FULL_VALIDATION"] == "1"))
    func fullTable() throws {
        var worst = 0.0, worstSymbol = ""
        for m in ["LDA", "LSD", "ScRLDA"] {
            for c in try NISTValidation.run(reference: Self.reference, method: m) {
                check(c)
                if c.worstDeviationHa > worst { worst = c.worstDeviationHa; worstSymbol = "\(c.symbol) \(m)" }
            }
        }
        print(String(format: "NIST full table: worst deviation (Etot, eigenvalues) %.2e Ha (%@)", worst, worstSymbol))
        #expect(worst <= 1e-5)
    }

    @Test(.enabled(if: ProcessInfo.processInfo.environment["KKR_FULL_VALIDATION"] == "1"),
          arguments: [Relativity.nonRelativistic, .scalarRelativistic])
    func convergesForAllElements(relativity: Relativity) throws {
        var settings = AtomSettings()
        settings.relativity = relativity
        for z in 1...92 {
            let r = try FreeAtom.solve(PeriodicTable.element(atomicNumber: z), settings: settings)
            #expect(r.orbitals.allSatisfy { $0.isBound || $0.occupation == 0 }, "Z=\(z)")
            #expect(r.finalRMS < settings.potentialTolerance)
        }
    }
}
