import Foundation
import Testing
@testable import PotentialIO

@Suite struct RoundTripTests {
    /// Every potential fixture reads and writes back byte for byte (they were all written by
    /// JuKKR's own writers or assembled from such blocks by line copies; docs/formats.md §2).
    @Test(arguments: Fixture.potentials)
    func byteIdenticalRoundTrip(_ name: String) throws {
        let original = try Fixture.bytes(name)
        let file = try PotentialFile(bytes: original, path: name)
        let written = try file.serialized()
        if written != original {
            let a = String(decoding: original, as: UTF8.self).split(separator: "\n", omittingEmptySubsequences: false)
            let b = String(decoding: written, as: UTF8.self).split(separator: "\n", omittingEmptySubsequences: false)
            if let i = (0..<min(a.count, b.count)).first(where: { a[$0] != b[$0] }) {
                Issue.record("first difference at line \(i + 1):\n\(a[i])\n\(b[i])")
            }
        }
        #expect(written == original)
    }
}
