import Testing
@testable import SCF

@Suite struct SCFPlaceholderTests {
    @Test func moduleBuilds() { #expect(String(describing: SCFModule.self) == "SCFModule") }
}
