import Foundation
import KKR
import Testing
@testable import Workflows

/// The database preset's host potential zero (docs/dataset.md): new databases use the solver's
/// muffin-tin-shell zero; the settings string of a database made before stop 17 has no
/// `potentialZero` key and must keep meaning the electrostatic zero, so that such a database
/// still resumes and its hosts are looked up under their old cache names.
@Suite struct DatasetPresetTests {
    @Test func newDatabasesUseTheMuffinTinShellZero() {
        let s = DatasetPreset.standard.hostSettings(element: "Cu", lattice: "fcc", latticeConstantBohr: 6.82, spinPolarized: false)
        #expect(s.resolvedPotentialZero == .muffinTinShell)
        #expect(DatasetPreset.standard.json.contains("\"potentialZero\":\"muffinTinShell\""))
    }

    @Test func oldSettingsStringsDecodeAsElectrostatic() throws {
        var old = DatasetPreset.standard
        old.potentialZero = nil
        #expect(!old.json.contains("potentialZero"))
        let decoded = try JSONDecoder().decode(DatasetPreset.self, from: Data(old.json.utf8))
        #expect(decoded.potentialZero == nil)
        let s = decoded.hostSettings(element: "Cu", lattice: "fcc", latticeConstantBohr: 6.82, spinPolarized: false)
        #expect(s.potentialZero == .electrostatic)
        #expect(decoded.json == old.json)
    }
}
