import Foundation
import Testing
@testable import Elements

@Suite struct ElementsTests {
    /// The configurations for Z ≤ 92 equal the NIST table copied into Fixtures/ (provenance there).
    @Test func configurationsMatchNISTTable() throws {
        let url = try #require(Bundle.module.url(forResource: "atomic_configurations", withExtension: "csv", subdirectory: "Fixtures"))
        let lines = try String(contentsOf: url, encoding: .utf8).split(whereSeparator: \.isNewline).dropFirst()
        #expect(lines.count == 92)
        for line in lines {
            let f = line.split(separator: ",", omittingEmptySubsequences: false)
            let z = Int(f[0])!
            let e = try PeriodicTable.element(atomicNumber: z)
            #expect(e.symbol == String(f[1]))
            #expect(e.configuration.map(\.description).joined(separator: " ") == String(f[2]))
            #expect(e.electronCount == Double(z))
        }
    }

    @Test func neutralForAll103() throws {
        for z in 1...103 { #expect(try PeriodicTable.element(atomicNumber: z).electronCount == Double(z)) }
    }

    @Test func lookupAndErrors() throws {
        #expect(try PeriodicTable.element(symbol: "fe").atomicNumber == 26)
        #expect(try PeriodicTable.element(symbol: " Cu ").name == "Copper")
        #expect(throws: ElementError.unknownSymbol("Xx")) { try PeriodicTable.element(symbol: "Xx") }
        #expect(throws: ElementError.atomicNumberOutOfRange(104)) { try PeriodicTable.element(atomicNumber: 104) }
        let err = ElementError.unknownSymbol("Xx").description
        #expect(err.contains("Xx") && err.contains("Fe"))
    }

    @Test func lists() throws {
        let l = try PeriodicTable.elements(inList: "Sc-Zn,Ag, Au")
        #expect(l.map(\.symbol) == ["Sc", "Ti", "V", "Cr", "Mn", "Fe", "Co", "Ni", "Cu", "Zn", "Ag", "Au"])
        #expect(throws: ElementError.self) { try PeriodicTable.elements(inList: "Zn-Sc") }
    }

    /// Groups and periods of a few landmarks (IUPAC table).
    @Test func groupsAndPeriods() throws {
        let cases: [(String, Int, Int)] = [("H", 1, 1), ("He", 1, 18), ("B", 2, 13), ("Fe", 4, 8), ("Cu", 4, 11),
                                           ("Ag", 5, 11), ("La", 6, 3), ("Hf", 6, 4), ("Au", 6, 11), ("Rn", 6, 18), ("U", 7, 3)]
        for (s, p, g) in cases {
            let e = try PeriodicTable.element(symbol: s)
            #expect(e.period == p && e.group == g, "\(s)")
        }
        let fe = try PeriodicTable.element(symbol: "Fe")
        #expect(fe.propertyVector == [26, 4, 8, 8, 2, 0, 6, 0])
        #expect(fe.propertyVector.count == Element.propertyNames.count)
    }

    @Test func orbitalParsing() throws {
        let o = try Orbital(parsing: "4f14")
        #expect(o.n == 4 && o.l == 3 && o.occupation == 14)
        #expect(throws: ElementError.self) { try Orbital(parsing: "2d1") }
        #expect(throws: ElementError.self) { try Orbital(parsing: "3p7") }
    }
}
