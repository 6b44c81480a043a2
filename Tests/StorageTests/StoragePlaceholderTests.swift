import Testing
@testable import Storage

@Suite struct StoragePlaceholderTests {
    @Test func moduleBuilds() { #expect(String(describing: StorageModule.self) == "StorageModule") }
}
