import Foundation

/// One atomic sub-shell (n, l) with its occupation (fractional allowed).
public struct Orbital: Hashable, Sendable, CustomStringConvertible {
    public let n: Int
    public let l: Int
    public var occupation: Double

    public init(n: Int, l: Int, occupation: Double) {
        precondition(n >= 1 && l >= 0 && l < n, "invalid orbital n=\(n) l=\(l)")
        self.n = n
        self.l = l
        self.occupation = occupation
    }

    /// Spectroscopic letter of l (s, p, d, f, g, …).
    public static func letter(_ l: Int) -> String {
        let letters = ["s", "p", "d", "f", "g", "h", "i"]
        return l < letters.count ? letters[l] : "l\(l)"
    }

    /// "3d", "4f", …
    public var label: String { "\(n)\(Orbital.letter(l))" }

    /// Maximal occupation 2(2l+1).
    public var capacity: Int { 2 * (2 * l + 1) }

    public var description: String {
        let occ = occupation == occupation.rounded() ? String(Int(occupation)) : String(occupation)
        return "\(label)\(occ)"
    }

    /// Parses "3d10", "4f14", "2p6", "5f2.5".
    public init(parsing token: Substring) throws {
        let chars = Array(token)
        var i = 0
        while i < chars.count, chars[i].isNumber { i += 1 }
        guard i > 0, i < chars.count, let n = Int(String(chars[0..<i])) else {
            throw ElementError.malformedConfiguration(String(token))
        }
        let letters: [Character: Int] = ["s": 0, "p": 1, "d": 2, "f": 3, "g": 4]
        guard let l = letters[chars[i]], l < n else { throw ElementError.malformedConfiguration(String(token)) }
        guard let occ = Double(String(chars[(i + 1)...])), occ >= 0, occ <= Double(2 * (2 * l + 1)) else {
            throw ElementError.malformedConfiguration(String(token))
        }
        self.init(n: n, l: l, occupation: occ)
    }
}

/// Errors of the element lookup.
public enum ElementError: Error, Equatable, CustomStringConvertible {
    case unknownSymbol(String)
    case atomicNumberOutOfRange(Int)
    case malformedConfiguration(String)

    public var description: String {
        switch self {
        case .unknownSymbol(let s):
            return "unknown element symbol '\(s)': use a chemical symbol such as Fe, Cu or Ag (Z = 1…103)"
        case .atomicNumberOutOfRange(let z):
            return "atomic number \(z) is outside the supported range 1…103"
        case .malformedConfiguration(let s):
            return "malformed orbital '\(s)' in an electron configuration (expected e.g. '3d10')"
        }
    }
}

/// A chemical element with its ground-state configuration as used by the NIST atomic LDA
/// tables (Kotochigova et al., Phys. Rev. A 55, 191 (1997)) for Z ≤ 92.
public struct Element: Hashable, Sendable, CustomStringConvertible {
    public let atomicNumber: Int
    public let symbol: String
    public let name: String
    /// Sub-shells in the NIST order (by n, then l).
    public let configuration: [Orbital]

    public var description: String { symbol }

    /// Total number of electrons of the neutral atom (= Z).
    public var electronCount: Double { configuration.reduce(0) { $0 + $1.occupation } }

    /// Period (row) of the periodic table.
    public var period: Int {
        let z = atomicNumber
        switch z {
        case ...2: return 1
        case ...10: return 2
        case ...18: return 3
        case ...36: return 4
        case ...54: return 5
        case ...86: return 6
        default: return 7
        }
    }

    /// Group 1…18 (IUPAC); lanthanides and actinides (La–Yb, Ac–No) are assigned group 3.
    public var group: Int {
        let z = atomicNumber
        if z == 1 { return 1 }
        if z == 2 { return 18 }
        let starts = [3, 11, 19, 37, 55, 87]   // first element of periods 2…7
        let p = period
        let offset = z - starts[p - 2]
        switch p {
        case 2, 3: return offset < 2 ? offset + 1 : offset + 11
        case 4, 5: return offset + 1
        default:
            // periods 6, 7: offset 0,1 → groups 1,2; offsets 2…16 (La…Yb / Ac…No) → 3; then 3…
            if offset < 2 { return offset + 1 }
            if offset <= 16 { return 3 }
            return offset - 13
        }
    }

    /// Atomic number of the noble gas that closes the preceding period (0 for H, He).
    public var nobleGasCore: Int {
        let nobles = [0, 2, 10, 18, 36, 54, 86]
        return nobles.last(where: { $0 < atomicNumber }) ?? 0
    }

    /// Electrons outside the preceding noble-gas core (e.g. Cu: 11, Ga: 13).
    public var electronsOutsideNobleGasCore: Double { Double(atomicNumber - nobleGasCore) }

    /// Occupation of the outermost s, p, d, f sub-shells (highest n with that l occupied
    /// outside the noble-gas core), e.g. Fe: (2, 0, 6, 0).
    public var outerOccupations: (s: Double, p: Double, d: Double, f: Double) {
        let coreOrbitals = nobleGasCore == 0 ? [] : PeriodicTable.shellLabels(ofNobleGas: nobleGasCore)
        var occ = [0.0, 0.0, 0.0, 0.0]
        for o in configuration where o.l < 4 && !coreOrbitals.contains(o.label) { occ[o.l] += o.occupation }
        return (occ[0], occ[1], occ[2], occ[3])
    }

    /// Element descriptor built from tabulated data only: [Z, period, group,
    /// electrons outside the noble-gas core, outer s, p, d, f occupations].
    /// Computed free-atom quantities (orbital energies, radii) are appended by the `Atom`
    /// module's feature builder.
    public var propertyVector: [Double] {
        let o = outerOccupations
        return [Double(atomicNumber), Double(period), Double(group), electronsOutsideNobleGasCore, o.s, o.p, o.d, o.f]
    }

    /// Names of the entries of `propertyVector`.
    public static let propertyNames = ["Z", "period", "group", "valenceElectrons", "outerS", "outerP", "outerD", "outerF"]
}

/// The periodic table Z = 1…103.
public enum PeriodicTable {
    /// All elements, index Z − 1.
    public static let elements: [Element] = rawTable.map { (z, sym, name, conf) in
        let orbitals = conf.split(separator: " ").map { try! Orbital(parsing: $0) }
        return Element(atomicNumber: z, symbol: sym, name: name, configuration: orbitals)
    }

    private static let bySymbol: [String: Element] = {
        var d: [String: Element] = [:]
        for e in elements { d[e.symbol.lowercased()] = e }
        return d
    }()

    /// Element by atomic number.
    public static func element(atomicNumber z: Int) throws -> Element {
        guard z >= 1 && z <= elements.count else { throw ElementError.atomicNumberOutOfRange(z) }
        return elements[z - 1]
    }

    /// Element by symbol, case-insensitive ("Fe", "fe", "FE").
    public static func element(symbol: String) throws -> Element {
        let key = symbol.trimmingCharacters(in: .whitespaces).lowercased()
        guard let e = bySymbol[key] else { throw ElementError.unknownSymbol(symbol) }
        return e
    }

    /// Elements named by a list like "Sc-Zn,Ag,Au" (ranges by atomic number, inclusive).
    public static func elements(inList list: String) throws -> [Element] {
        var out: [Element] = []
        for part in list.split(separator: ",").map({ $0.trimmingCharacters(in: .whitespaces) }) where !part.isEmpty {
            let ends = part.split(separator: "-").map(String.init)
            if ends.count == 2 {
                let a = try element(symbol: ends[0]), b = try element(symbol: ends[1])
                guard a.atomicNumber <= b.atomicNumber else { throw ElementError.unknownSymbol(part) }
                out += elements[(a.atomicNumber - 1)..<b.atomicNumber]
            } else if ends.count == 1 {
                out.append(try element(symbol: ends[0]))
            } else {
                throw ElementError.unknownSymbol(part)
            }
        }
        return out
    }

    /// Sub-shell labels of a noble-gas configuration (e.g. 18 → 1s 2s 2p 3s 3p).
    static func shellLabels(ofNobleGas z: Int) -> Set<String> {
        Set(elements[z - 1].configuration.map(\.label))
    }
}
