import Testing
@testable import PotentialIO

@Suite struct PotentialIOPlaceholderTests {
    @Test func moduleBuilds() { #expect(String(describing: PotentialIOModule.self) == "PotentialIOModule") }
}
