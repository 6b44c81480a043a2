import Foundation
import Descriptors
import Elements
import KKRNumerics
import Lattice
import Radial
import Testing
@testable import Emulator

/// Host-vanishing features (`EmulatorConfiguration.vanishingForHost`), the correction prior mode
/// and the error decomposition used by `kkr-emulator train --diagnose`.
@Suite struct EmulatorHostVanishingTests {
    static func configuration(prior: PriorMode = .none) throws -> EmulatorConfiguration {
        let d = try JacobiLegendreConfiguration(alpha: 0.5, beta: 0.5, nMax: 2, lMax: 2, lOutMax: 2, rMin: 0.5, rCut: 2.2,
                                                lengthUnit: .nearestNeighbourDistance, channels: [.constant, .substitution],
                                                includeTwoBody: false)
        return try EmulatorConfiguration(descriptor: d, hostElementFeatures: ["valenceElectrons"], targetLMax: 2,
                                         radialBasis: try .jacobi(count: 8), shellCount: 1,
                                         impurityFeatures: [try .relative("valenceElectrons", scale: 4), try .relative("period", scale: 1)],
                                         prior: prior, priorName: prior == .none ? "" : "test", vanishingForHost: true)
    }

    /// Every feature row of every cluster site vanishes for a host atom in its own crystal, and
    /// not for a foreign impurity; the l = 0 fits have no intercept, so the trained model
    /// predicts exactly ΔV = 0 for host in host; the flag survives the model file; predictions
    /// of rotated environments rotate with D^l(R).
    @Test func hostInHostIsExactlyZeroAndPredictionsRotate() throws {
        let c = try Self.configuration()
        let assembly = try FeatureAssembly(configuration: c)
        let lattice = try CrystalLattice(.fcc, latticeConstantBohr: 6.82)
        let provider = ElementFeatureTable()
        for (impurity, vanishes) in [("Cu", true), ("Fe", false)] {
            let cluster = try ImpurityCluster(lattice: lattice, host: element("Cu"), impurity: element(impurity), shellCount: 1)
            let inputs = try assembly.inputs(for: cluster, provider: provider)
            var largest = 0.0
            for input in inputs {
                for l in 0...c.targetLMax {
                    let rows = try EmulatorModelTests.rows(assembly, l: l, input)
                    largest = max(largest, rows.elements.map(abs).max() ?? 0)
                }
            }
            #expect((largest == 0) == vanishes, "\(impurity) in Cu: largest feature \(largest)")
        }

        var rng = SplitMix64(seed: 7)
        let records = try EmulatorModelTests.records(&rng)
        let (model, _) = try EmulatorTrainer.train(records: records, configuration: c, selection: .evidence())
        #expect(model.fits.allSatisfy { $0.allSatisfy { !$0.hasIntercept } })
        let p = try model.predict(host: element("Cu"), impurity: element("Cu"), lattice: lattice)
        #expect(p.sites.allSatisfy { $0.mean.coefficients.allSatisfy { $0 == 0 } })
        let q = try model.predict(host: element("Cu"), impurity: element("Fe"), lattice: lattice)
        #expect(q.sites[0].mean.coefficients.contains { $0 != 0 })

        let path = temporaryPath("vanishing.h5")
        defer { try? FileManager.default.removeItem(atPath: path) }
        try model.save(to: path)
        let loaded = try EmulatorModel.load(from: path)
        #expect(loaded.configuration.vanishingForHost)
        #expect(loaded.configuration == model.configuration)
        let reloaded = try loaded.predict(host: element("Cu"), impurity: element("Fe"), lattice: lattice)
        #expect(reloaded == q)

        // Equivariance: a shell-1 environment rotated by R gives D(R) times the prediction.
        let cluster = try ImpurityCluster(lattice: lattice, host: element("Cu"), impurity: element("Fe"), shellCount: 1)
        let environment = try cluster.environments(cutoffBohr: c.descriptor.rCut * lattice.nearestNeighbourDistanceBohr)[1]
        let pair = try assembly.pairValues(host: element("Cu"), impurity: element("Fe"), provider: provider, prior: nil)
        let base = try model.predict(inputs: [try assembly.input(for: environment, lattice: lattice, host: element("Cu"),
                                                                  provider: provider, pairValues: pair)], shells: [1])
        for improper in [false, true] {
            let r = randomRotation(&rng, improper: improper)
            let rotatedInput = try assembly.input(for: environment.rotated(by: r), lattice: lattice, host: element("Cu"),
                                                  provider: provider, pairValues: pair)
            let rotated = try model.predict(inputs: [rotatedInput], shells: [1])
            let d = try RealHarmonicRotation(r, lmax: c.targetLMax)
            for comp in SpinComponent.allCases {
                for k in 0..<c.radialBasis.count {
                    let original = (0..<lmCount(c.targetLMax)).map { base.sites[0].mean.coefficients(comp, lm: $0)[k] }
                    let expected = d.apply(original)
                    let got = (0..<lmCount(c.targetLMax)).map { rotated.sites[0].mean.coefficients(comp, lm: $0)[k] }
                    let scale = max(1e-300, original.map(abs).max() ?? 0)
                    #expect(maxAbsDifference(expected, got) < 1e-10 * scale)
                }
            }
        }
    }

    /// Host-vanishing features need the two-body products and kernel maps off.
    @Test func vanishingNeedsOneBodyFeatures() throws {
        var c = try Self.configuration()
        c.descriptor.includeTwoBody = true
        #expect(throws: EmulatorError.self) { try c.validate() }
    }

    /// `PriorMode.correction`: the targets are ΔV − prior, the prior's coefficients are not
    /// features, and the prediction adds the prior back.
    @Test func correctionModeAddsThePriorBack() throws {
        let c = try Self.configuration(prior: .correction)
        #expect(c.pairScalarNames.count == 3 && c.pairScalarNames[0] == "pair.foreign")
        #expect(c.prior.isResidual && !c.prior.priorScalars)
        var rng = SplitMix64(seed: 9)
        let records = try EmulatorModelTests.records(&rng)
        let mesh = testMesh(rmax: 2.6, count: 161)
        var priors: [String: [SitePotentialData]] = [:]
        for r in records {
            priors[r.key] = r.sites.map { _ in .onMesh(syntheticSitePotential(&rng, mesh: mesh, lMax: 0, scale: 0.3)) }
        }
        let (model, _) = try EmulatorTrainer.train(records: records, configuration: c, selection: .evidence(), priors: priors)
        let lattice = try CrystalLattice(.fcc, latticeConstantBohr: 6.82)
        let prior = try syntheticSitePotential(&rng, mesh: mesh, lMax: 0, scale: 0.3).projected(on: c.radialBasis, lMax: 0)
        let zero = try ProjectedSitePotential(lMax: 0, basisCount: 8, coefficients: [Double](repeating: 0, count: 16))
        let priorsOfCluster = [prior] + [ProjectedSitePotential](repeating: zero, count: 12)
        // Host in host: the correction vanishes, the prediction is the prior itself.
        let p = try model.predict(host: element("Cu"), impurity: element("Cu"), lattice: lattice, priors: priorsOfCluster)
        for comp in SpinComponent.allCases {
            #expect(maxAbsDifference(p.sites[0].mean.coefficients(comp, lm: 0), prior.coefficients(comp, lm: 0)) == 0)
        }
        #expect(throws: EmulatorError.self) {
            try model.predict(host: element("Cu"), impurity: element("Fe"), lattice: lattice)
        }
    }

    /// The decomposition of the validation metric: the parts add in quadrature to `rmsSize`, a
    /// constant potential c is all shift (= c), and the spin components are separated.
    @Test func errorDecompositionAddsUpAndSeparatesAShift() throws {
        var rng = SplitMix64(seed: 11)
        let mesh = testMesh()
        let v = syntheticSitePotential(&rng, mesh: mesh, lMax: 2)
        let parts = EmulatorErrorDecomposition(v)
        let rms = v.rmsSize
        #expect(abs(parts.total(.charge) - rms.charge) < 1e-12 * rms.charge)
        #expect(abs(parts.total(.magnetic) - rms.magnetic) < 1e-12 * rms.magnetic)

        let c = 0.37, s4p = (4 * Double.pi).squareRoot()
        let zero = [Double](repeating: 0, count: mesh.count)
        let constant = try SitePotentialChange(mesh: mesh, lMax: 1,
                                               up: [[Double](repeating: c * s4p, count: mesh.count), zero, zero, zero],
                                               down: [[Double](repeating: c * s4p, count: mesh.count), zero, zero, zero])
        let k = EmulatorErrorDecomposition(constant)
        #expect(abs(k.shift[0] - c) < 1e-6 * c)          // Simpson weights on the exponential mesh
        #expect(k.shape[0] < 1e-3 * c && k.nonSpherical[0] == 0)
        #expect(k.shift[1] == 0 && k.total(.magnetic) == 0)
    }
}
