import Foundation
import Testing
import Elements
import Emulator
import Impurity
@testable import Workflows

/// `StartGuardRecovery` and the plain prior (docs/emulator.md §15.2): the semicore-guard shift of
/// a stored start is recomputed from the host file and the free-atom table, checked against the
/// stored start, and removed from the prior of the plain-prior recipes. Host: the shipped Cu host
/// file (`Potentials/hostcache/`, provenance in Potentials/README.md); atoms: the shipped model's
/// free-atom table.
@Suite struct StartGuardRecoveryTests {
    static let potentials = PredictPotentialTests.potentials
    static let hostDirectory = potentials + "/hostcache"

    struct Setup {
        var table: EmulatorAtomTable
        var host: EmulatorHost
        var builder: SuperpositionStartBuilder
    }

    func setup() throws -> Setup {
        let predictor = try EmulatorPredictor.load(Self.potentials + "/model.h5")
        let table = try #require(predictor.atoms)
        let file = try #require(try FileManager.default.contentsOfDirectory(atPath: Self.hostDirectory).first { $0.hasSuffix(".h5") })
        let host = try EmulatorHost(try HostFile.readHost(path: Self.hostDirectory + "/" + file))
        return Setup(table: table, host: host, builder: try SuperpositionStartBuilder(table: table, host: host))
    }

    /// A record of `impurity` in Cu whose stored start is `start` on the impurity site (the
    /// converged potential is irrelevant here and set to the start).
    func record(_ impurity: Element, start: SitePotentialChange, shiftRy: Double?) throws -> EmulatorTrainingRecord {
        let cu = try PeriodicTable.element(symbol: "Cu")
        let site = ImpuritySiteRecord(element: impurity, positionInUnitsOfA: .zero, momentBohrMagneton: 0, netChargeElectrons: 0,
                                      potential: .onMesh(start))
        let r = ImpurityRecord(host: cu, impurity: impurity, lattice: .fcc, latticeConstantBohr: 6.82, sites: [site])
        return EmulatorTrainingRecord(record: r, start: [start], startGuardShiftRy: shiftRy)
    }

    /// Y in Cu: the superposition puts Y 4p inside the valence contour, so the solver's start is
    /// lowered (−1.42 Ry in the stop-17 database, docs/results/emulator.md); a record that did not
    /// store the shift gets it back from the host, and its plain prior is the superposition again.
    /// Fe has no shallow semicore shell: shift 0.
    @Test func recoversTheGuardShiftOfOldRecords() throws {
        let s = try setup()
        let y = try PeriodicTable.element(symbol: "Y"), fe = try PeriodicTable.element(symbol: "Fe")
        let plainY = try s.builder.impurityChange(y, spinCount: 2)
        let guardY = try #require(try s.host.semicoreGuard?.shift(for: plainY, impurity: y, host: s.host))
        #expect(guardY < -0.5, "Y in Cu should be guarded; shift \(guardY) Ry")
        let plainFe = try s.builder.impurityChange(fe, spinCount: 2)
        var records = [try record(y, start: plainY.addingConstant(guardY), shiftRy: nil),
                       try record(fe, start: plainFe, shiftRy: nil)]
        #expect(throws: EmulatorError.self) { _ = try records[0].prior(removingGuard: true) }
        let report = try StartGuardRecovery.recover(&records, hostDirectory: Self.hostDirectory, table: s.table)
        #expect(report.recovered.count == 2 && report.guarded.count == 1)
        #expect(report.largestMismatchRy < 1e-9)
        let recovered = try #require(records[0].startGuardShiftRy)
        #expect(abs(recovered - guardY) < 1e-12)
        #expect(records[1].startGuardShiftRy == 0)
        // the plain prior is the superposition; the stored start (the baseline) keeps the guard
        let prior = try #require(try records[0].prior(removingGuard: true))[0]
        #expect(zip(prior.up[0], plainY.up[0]).allSatisfy { abs($0 - $1) < 1e-9 })
        let stored = try #require(try records[0].prior(removingGuard: false))[0]
        #expect(abs((stored.up[0][0] - plainY.up[0][0]) / (4 * Double.pi).squareRoot() - guardY) < 1e-9)
    }

    /// A stored start that is not the superposition of this host and table (here shifted by
    /// 0.1 Ry), or a stored shift that the host does not give, is an error, not a wrong prior.
    @Test func aStartThatIsNotTheSuperpositionIsAnError() throws {
        let s = try setup()
        let fe = try PeriodicTable.element(symbol: "Fe")
        let plainFe = try s.builder.impurityChange(fe, spinCount: 2)
        var wrongStart = [try record(fe, start: plainFe.addingConstant(0.1), shiftRy: nil)]
        do {
            _ = try StartGuardRecovery.recover(&wrongStart, hostDirectory: Self.hostDirectory, table: s.table)
            Issue.record("no error for a start 0.1 Ry away from the superposition")
        } catch let e as EmulatorError {
            #expect("\(e)".contains("differs from the stored one"))
        }
        var wrongShift = [try record(fe, start: plainFe, shiftRy: -0.5)]
        #expect(throws: EmulatorError.self) {
            _ = try StartGuardRecovery.recover(&wrongShift, hostDirectory: Self.hostDirectory, table: s.table)
        }
        var missingHost = [try record(fe, start: plainFe, shiftRy: nil)]
        missingHost[0].record.latticeConstantBohr = 7.0
        #expect(throws: EmulatorError.self) {
            _ = try StartGuardRecovery.recover(&missingHost, hostDirectory: Self.hostDirectory, table: s.table)
        }
    }

    /// An `ImpurityDataset` export keeps the guard's constant of each start (record provenance),
    /// so that the read-back plain prior is still the superposition; a record whose constant is
    /// unknown is refused rather than exported as if its start were plain.
    @Test func exportKeepsTheGuardShift() throws {
        let s = try setup()
        let y = try PeriodicTable.element(symbol: "Y")
        let plainY = try s.builder.impurityChange(y, spinCount: 2)
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("guard-\(UUID().uuidString).h5").path
        defer { try? FileManager.default.removeItem(atPath: path) }
        try EmulatorDataLoader.write([try record(y, start: plainY.addingConstant(-1.25), shiftRy: -1.25)], to: path)
        let back = try EmulatorDataLoader.load(path: path).records
        #expect(back.count == 1 && back[0].startGuardShiftRy == -1.25)
        let prior = try #require(try back[0].prior(removingGuard: true))[0]
        #expect(try prior.rmsDifference(to: plainY).total < 1e-12)
        #expect(throws: EmulatorError.self) {
            try EmulatorDataLoader.write([try record(y, start: plainY, shiftRy: nil)], to: path, overwrite: true)
        }
    }
}
