import Testing
@testable import Atom

@Suite struct AtomPlaceholderTests {
    @Test func moduleBuilds() { #expect(String(describing: AtomModule.self) == "AtomModule") }
}
