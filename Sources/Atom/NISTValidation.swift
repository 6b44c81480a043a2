import Elements
import Foundation
import Radial

/// Errors of the reference-table reader.
public enum NISTReferenceError: Error, CustomStringConvertible {
    case malformedLine(line: Int, text: String)
    case unknownMethod(String)

    public var description: String {
        switch self {
        case .malformedLine(let n, let t):
            return "NIST reference file line \(n): expected 'Z,symbol,method,quantity,value_hartree,source', found '\(t)'"
        case .unknownMethod(let m):
            return "unknown NIST method '\(m)': use LDA, LSD or ScRLDA"
        }
    }
}

/// One reference value (Hartree) of the NIST atomic LDA tables (S. Kotochigova, Z. H. Levine,
/// E. L. Shirley, M. D. Stiles, C. W. Clark, Phys. Rev. A 55, 191 (1997),
/// doi:10.1103/PhysRevA.55.191) in the CSV layout of `../shared/reference/nist_lda_atoms.csv`
/// (columns Z, symbol, method, quantity, value_hartree, source).
public struct NISTReferenceValue: Sendable, Equatable {
    public let atomicNumber: Int
    public let symbol: String
    /// "LDA", "LSD", "RLDA" or "ScRLDA".
    public let method: String
    /// "Etot", "Ekin", "Ecoul", "Eenuc", "Exc", "eps_1s", "eps_2p_dn", …
    public let quantity: String
    public let valueHa: Double
    public let source: String
}

/// The parsed reference table.
public struct NISTReference: Sendable {
    public let values: [NISTReferenceValue]

    public init(csv text: String) throws {
        var out: [NISTReferenceValue] = []
        for (k, raw) in text.split(omittingEmptySubsequences: false, whereSeparator: \.isNewline).enumerated() {
            let line = raw.trimmingCharacters(in: .whitespacesAndNewlines)
            if line.isEmpty || line.hasPrefix("#") || (k == 0 && line.hasPrefix("Z,")) { continue }
            let f = line.split(separator: ",", maxSplits: 5, omittingEmptySubsequences: false).map(String.init)
            guard f.count >= 5, let z = Int(f[0]), let v = Double(f[4]) else {
                throw NISTReferenceError.malformedLine(line: k + 1, text: line)
            }
            out.append(NISTReferenceValue(atomicNumber: z, symbol: f[1], method: f[2], quantity: f[3], valueHa: v,
                                          source: f.count > 5 ? f[5] : ""))
        }
        values = out
    }

    public init(contentsOf url: URL) throws {
        try self.init(csv: String(contentsOf: url, encoding: .utf8))
    }

    /// Atomic numbers that have a total energy for `method`.
    public func elements(method: String) -> [Int] {
        Array(Set(values.filter { $0.method == method && $0.quantity == "Etot" }.map(\.atomicNumber))).sorted()
    }

    public func values(atomicNumber z: Int, method: String) -> [NISTReferenceValue] {
        values.filter { $0.atomicNumber == z && $0.method == method }
    }
}

/// Comparison of one converged atom with the reference values of one method.
public struct NISTComparison: Sendable {
    public struct Row: Sendable {
        public let quantity: String
        public let computedHa: Double
        public let referenceHa: Double
        public let source: String
        public var deviationHa: Double { computedHa - referenceHa }
    }

    public let symbol: String
    public let method: String
    public let rows: [Row]
    public let iterations: Int
    public let wallSeconds: Double
    /// Quantities of the reference that the result does not provide.
    public let missing: [String]

    public var totalEnergyDeviationHa: Double {
        rows.filter { $0.quantity == "Etot" }.map { abs($0.deviationHa) }.max() ?? .nan
    }

    public var worstEigenvalueDeviationHa: Double {
        rows.filter { $0.quantity.hasPrefix("eps_") }.map { abs($0.deviationHa) }.max() ?? 0
    }

    /// Largest |deviation| over Etot and all eigenvalues (the acceptance quantities).
    public var worstDeviationHa: Double { max(totalEnergyDeviationHa, worstEigenvalueDeviationHa) }
}

/// Runs free-atom calculations with the NIST conventions and compares them with the tables.
public enum NISTValidation {
    /// Settings that correspond to a NIST method: "LDA" (non-relativistic), "LSD" (spin-polarised,
    /// non-relativistic) or "ScRLDA" (scalar-relativistic with MacDonald–Vosko exchange and a
    /// large-component density; `AtomSettings` documentation). VWN, c = 137.0359895 a.u.
    public static func settings(method: String, base: AtomSettings = AtomSettings()) throws -> AtomSettings {
        var s = base
        s.functional = .vwn
        s.speedOfLightRy = SpeedOfLight.nistRy
        s.relativisticExchange = .macDonaldVosko
        s.smallComponent = .largeOnly
        switch method {
        case "LDA": s.relativity = .nonRelativistic; s.spinPolarized = false
        case "LSD": s.relativity = .nonRelativistic; s.spinPolarized = true
        case "ScRLDA": s.relativity = .scalarRelativistic; s.spinPolarized = false
        default: throw NISTReferenceError.unknownMethod(method)
        }
        return s
    }

    /// Compares a converged result with reference values (Hartree). Eigenvalue labels
    /// `eps_<nl>` for unpolarised results; for spin-polarised ones `eps_<nl>_dn` is the
    /// majority (our `.up`) and `eps_<nl>_up` the minority channel (the NIST LSD tables print
    /// "down" = majority first; `../shared/reference/README.md`).
    public static func compare(_ result: AtomResult, with reference: [NISTReferenceValue], method: String) -> NISTComparison {
        var rows: [NISTComparison.Row] = []
        var missing: [String] = []
        let e = result.energies
        for ref in reference {
            let computed: Double?
            switch ref.quantity {
            case "Etot": computed = e.totalHa
            case "Ekin": computed = e.kineticHa
            case "Ecoul": computed = e.hartreeHa
            case "Eenuc": computed = e.electronNucleusHa
            case "Exc": computed = e.exchangeCorrelationHa
            default:
                computed = eigenvalue(result, label: ref.quantity)
            }
            if let c = computed {
                rows.append(.init(quantity: ref.quantity, computedHa: c, referenceHa: ref.valueHa, source: ref.source))
            } else {
                missing.append(ref.quantity)
            }
        }
        return NISTComparison(symbol: result.element.symbol, method: method, rows: rows, iterations: result.iterations,
                              wallSeconds: result.wallSeconds, missing: missing)
    }

    static func eigenvalue(_ result: AtomResult, label: String) -> Double? {
        guard label.hasPrefix("eps_") else { return nil }
        let parts = label.dropFirst(4).split(separator: "_")
        guard let nl = parts.first, nl.count >= 2, let n = Int(nl.dropLast()),
              let l = ["s", "p", "d", "f"].firstIndex(of: String(nl.last!)) else { return nil }
        var channel = 0
        if parts.count == 2 {
            guard result.channels.count == 2 else { return nil }
            channel = parts[1] == "dn" ? 0 : 1
        } else if result.channels.count != 1 {
            return nil
        }
        return result.eigenvalueRy(n: n, l: l, channel: channel).map { $0 / 2 }
    }

    /// Runs all reference elements of `method` (or the given subset) and compares.
    public static func run(reference: NISTReference, method: String, atomicNumbers: [Int]? = nil,
                           base: AtomSettings = AtomSettings(),
                           progress: ((NISTComparison) -> Void)? = nil) throws -> [NISTComparison] {
        let settings = try settings(method: method, base: base)
        var out: [NISTComparison] = []
        for z in atomicNumbers ?? reference.elements(method: method) {
            let element = try PeriodicTable.element(atomicNumber: z)
            let result = try FreeAtom.solve(element, settings: settings)
            let c = compare(result, with: reference.values(atomicNumber: z, method: method), method: method)
            progress?(c)
            out.append(c)
        }
        return out
    }
}
