import Foundation
import Testing
import Elements
import Emulator
import PotentialIO
@testable import Workflows

/// `predict-potential` on the shipped model and host potentials (`Potentials/`, provenance in
/// Potentials/README.md): the written file is a valid KKRimp cluster potential, and bad input
/// gives clear errors (issue 8).
@Suite struct PredictPotentialTests {
    static let potentials: String = {
        URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
            .appendingPathComponent("Potentials").path
    }()

    func options(host: String, impurity: String, dir: String) -> PredictPotentialOptions {
        var o = PredictPotentialOptions(host: host, impurity: impurity, outputPath: dir + "/potential")
        o.modelPath = Self.potentials + "/model.h5"
        o.hostPotentialPath = Self.potentials + "/hosts/\(host).potential"
        return o
    }

    func withTemporaryDirectory(_ body: (String) throws -> Void) throws {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("predict-\(UUID().uuidString)").path
        try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: dir) }
        try body(dir)
    }

    @Test func writesAKKRimpClusterPotential() throws {
        try withTemporaryDirectory { dir in
            let r = try PredictPotential.run(options(host: "Cu", impurity: "Fe", dir: dir))
            let file = try PotentialFile.read(path: r.outputPath, spinCount: 2)
            // fcc: impurity + 12 nearest neighbours (one shell), two spins each
            #expect(r.sites == 13)
            #expect(file.blocks.count == 26)
            #expect(file.blocks[0].nuclearCharge == 26)
            #expect(file.blocks[2].nuclearCharge == 29)
            #expect(file.kkrimpCompatibilityProblems().isEmpty)
            // the predicted ΔV is finite and the host part is kept: a first-shell Cu site differs
            // from the host potential by less than the impurity site does
            #expect(r.impurityDeltaV.total.isFinite && r.impurityDeltaV.total > 0)
            let cluster = try ImpurityCluster.read(path: r.scoefPath)
            #expect(cluster.sites.count == 13)
        }
    }

    /// The predictor's prior follows the model's prior name (docs/emulator.md §15.2). For Y in Cu
    /// the superposition puts the 4p shell inside the valence contour, and the solver's semicore
    /// guard lowers its start until the highest such level lies `semicoreStartMarginRy` below the
    /// contour bottom. A model of the plain prior (the shipped one) learned the converged potential
    /// relative to the superposition without that guard and predicts from it; a model of the
    /// guarded prior (`EmulatorPredictor.priorName`, models before stop 18) was trained on the
    /// guarded stored starts and gets the same guard. Fe has no shallow semicore shell and keeps
    /// the plain superposition with either.
    @Test func priorFollowsTheModelsPriorName() throws {
        let cu = try PeriodicTable.element(symbol: "Cu")
        let input = try PredictPotential.readHost(path: Self.potentials + "/hosts/Cu.potential", shapefun: nil, host: cu,
                                                  latticeName: "fcc")
        let plainModel = try EmulatorPredictor.load(Self.potentials + "/model.h5")
        #expect(plainModel.model.configuration.priorName == EmulatorPredictor.plainPriorName)
        let m = plainModel.model
        var c = m.configuration
        c.priorName = EmulatorPredictor.priorName
        let guardedModel = try EmulatorPredictor(model: try EmulatorModel(
            configuration: c, fits: m.fits, elementFeatures: m.elementFeatures, trainingPairs: m.trainingPairs,
            provenance: m.provenance, attachments: m.attachments, propertyFits: m.propertyFits))
        let host = input.emulatorHost
        let g = try #require(host.semicoreGuard)
        for (symbol, guarded) in [("Y", true), ("Fe", false)] {
            let impurity = try PeriodicTable.element(symbol: symbol)
            let start = try #require(try guardedModel.predict(host: host, impurity: impurity).start)
            let plain = try #require(try plainModel.predict(host: host, impurity: impurity).start)
            let shift = (start.up[0][0] - plain.up[0][0]) / (4 * Double.pi).squareRoot()
            #expect((shift < -0.05) == guarded, "\(symbol): guard shift \(shift) Ry")
            #expect(abs(try g.shift(for: start, impurity: impurity, host: host)) < 1e-6, "\(symbol): guarded start not stable")
            // the guarded prior is the plain one plus the guard's shift of the plain one
            #expect(abs(try g.shift(for: plain, impurity: impurity, host: host) - shift) < 1e-9)
        }
    }

    @Test func refusesToOverwriteWithoutForce() throws {
        try withTemporaryDirectory { dir in
            _ = try PredictPotential.run(options(host: "Cu", impurity: "Co", dir: dir))
            #expect(throws: PredictPotentialError.self) { try PredictPotential.run(options(host: "Cu", impurity: "Co", dir: dir)) }
        }
    }

    @Test func unknownElementIsAClearError() throws {
        try withTemporaryDirectory { dir in
            do {
                _ = try PredictPotential.run(options(host: "Cu", impurity: "Xx", dir: dir))
                Issue.record("no error for an unknown element")
            } catch let e as PredictPotentialError {
                #expect(e.message.contains("unknown impurity element 'Xx'"))
            }
            #expect(!FileManager.default.fileExists(atPath: dir + "/potential"))
        }
    }

    @Test func hostFileOfAnotherElementIsRejected() throws {
        try withTemporaryDirectory { dir in
            var o = options(host: "Al", impurity: "Fe", dir: dir)
            o.hostPotentialPath = Self.potentials + "/hosts/Cu.potential"
            do {
                _ = try PredictPotential.run(o)
                Issue.record("no error for a Cu host file given as Al")
            } catch let e as PredictPotentialError {
                #expect(e.message.contains("not the host Al"))
            }
            #expect(!FileManager.default.fileExists(atPath: dir + "/potential"))
        }
    }

    @Test func outsideTheTrainedChemistryWarns() throws {
        try withTemporaryDirectory { dir in
            // barium is not among the training impurities (3d/4d/5d transition metals, Al, Ga, In, Sn)
            let r = try PredictPotential.run(options(host: "Cu", impurity: "Ba", dir: dir))
            #expect(!r.insideChemicalSpace)
            #expect(r.warnings.contains { $0.contains("outside the trained chemical space") })
        }
    }

    @Test func elementBeyondTheFreeAtomTableIsAClearError() throws {
        try withTemporaryDirectory { dir in
            do {
                _ = try PredictPotential.run(options(host: "Cu", impurity: "U", dir: dir))
                Issue.record("no error for U (Z = 92 beyond the model's free-atom table)")
            } catch let e as PredictPotentialError {
                #expect(e.message.contains("cannot predict U in Cu") && e.message.contains("free-atom table"))
            }
            #expect(!FileManager.default.fileExists(atPath: dir + "/potential"))
        }
    }
}
