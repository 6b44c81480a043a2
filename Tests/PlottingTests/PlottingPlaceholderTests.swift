import Testing
@testable import Plotting

@Suite struct PlottingPlaceholderTests {
    @Test func moduleBuilds() { #expect(String(describing: PlottingModule.self) == "PlottingModule") }
}
