import Testing
@testable import Lattice

@Suite struct LatticePlaceholderTests {
    @Test func moduleBuilds() { #expect(String(describing: LatticeModule.self) == "LatticeModule") }
}
