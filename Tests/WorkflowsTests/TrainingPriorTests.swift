import BatchRunner
import Foundation
import Testing
@testable import Workflows

/// The prior of a training record is the stored start without the semicore guard's constant
/// (`EmulatorTrainingRecord.prior`), because `EmulatorPredictor` rebuilds the plain
/// superposition: a guarded Y start (s = −0.8 Ry) kept as the prior would put every prediction
/// for Y 0.8 Ry too high. The baseline stays the start the run used.
@Suite struct TrainingPriorTests {
    /// A two-site payload (Y in Cu, 21-point mesh) whose stored iteration-1 start is `start`
    /// on both sites, with the guard constant `shift` (Ry) recorded, or no attribute.
    func payload(start: Double, shift: Double?) -> RecordPayload {
        var p = RecordPayload()
        p.stringAttributes["host"] = "Cu"; p.stringAttributes["impurity"] = "Y"; p.stringAttributes["lattice"] = "fcc"
        p.doubleAttributes["latticeConstantBohr"] = 6.82
        if let shift { p.doubleAttributes["semicoreStartShiftRy"] = shift }
        let nr = 21
        p.setArray("mesh", [0.05, 0, Double(nr), 2.6], shape: [4])
        p.setArray("positionsInUnitsOfA", [0, 0, 0, 0.5, 0.5, 0], shape: [2, 3])
        p.setArray("atomicNumbers", [39, 29], shape: [2])
        p.setArray("moments", [0, 0], shape: [2])
        p.setArray("charges", [1.2, -0.1], shape: [2])
        p.setArray("deltaV", [Double](repeating: 0.1, count: 2 * 2 * nr), shape: [2, 2, 1, nr])
        p.setArray("scf/rms", [1, 0.1], shape: [2])
        p.setArray("scf/iterateIndices", [1], shape: [1])
        p.setArray("scf/iterates", [Double](repeating: start, count: 2 * 2 * nr), shape: [1, 2, 2, nr])
        return p
    }

    @Test func guardConstantIsRemovedFromTheImpuritySiteOfThePrior() throws {
        let s4p = (4 * Double.pi).squareRoot()
        let t = try EmulatorDataLoader.trainingRecord(payload: payload(start: 2.0, shift: -0.8))
        #expect(abs(t.startGuardShift - (-0.8 * s4p)) < 1e-12)
        let prior = try #require(try t.prior), start = try #require(t.start)
        #expect(prior[0].up[0].allSatisfy { abs($0 - (2.0 + 0.8 * s4p)) < 1e-12 })
        #expect(prior[0].down[0].allSatisfy { abs($0 - (2.0 + 0.8 * s4p)) < 1e-12 })
        #expect(prior[1].up[0] == start[1].up[0])          // neighbours: no guard
        #expect(start[0].up[0].allSatisfy { $0 == 2.0 })    // the baseline keeps the run's start
    }

    @Test func recordsWithoutTheAttributeKeepTheirStart() throws {
        let t = try EmulatorDataLoader.trainingRecord(payload: payload(start: 2.0, shift: nil))
        #expect(t.startGuardShift == 0)
        #expect(try t.prior?[0].up[0] == t.start?[0].up[0])
    }
}
