import Testing
@testable import ExchangeCorrelation

@Suite struct ExchangeCorrelationPlaceholderTests {
    @Test func moduleBuilds() { #expect(String(describing: ExchangeCorrelationModule.self) == "ExchangeCorrelationModule") }
}
