import Foundation
import Testing

/// Access to the copied JuKKR fixtures (Fixtures/PROVENANCE.md).
enum Fixture {
    static let cu = "Cu_fcc_FP_lmax2_VWN.potential"
    static let au = "Au_fcc_ASA_spherical.potential"
    static let fe = "Fe_bcc_FP_lmax3_spinpol.potential"
    static let agcu = "AgCu_kkrimp/potential_startpot_AgCu13"
    static let shapefun = "Cu_fcc.shapefun"
    static let scoef = "AgCu_kkrimp/scoef"
    static let potentials = [cu, au, fe, agcu]

    static func path(_ name: String) -> String {
        guard let base = Bundle.module.resourceURL else { fatalError("test bundle has no resources") }
        return base.appendingPathComponent("Fixtures").appendingPathComponent(name).path
    }

    static func bytes(_ name: String) throws -> [UInt8] {
        Array(try Data(contentsOf: URL(fileURLWithPath: path(name))))
    }

    /// Lines of the fixture (without newline), 1-based access via `line(_:)`.
    static func lines(_ name: String) throws -> [String] {
        String(decoding: try bytes(name), as: UTF8.self).split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
    }
}

/// A fresh temporary directory, removed by the caller.
func makeTemporaryDirectory() throws -> URL {
    let url = FileManager.default.temporaryDirectory.appendingPathComponent("potentialio-\(UUID().uuidString)")
    try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
    return url
}
