import Elements
import Emulator
import Foundation
import Impurity
import KKR
import Lattice

/// The emulator as a starting-potential provider of the impurity SCF (`../shared/STYLE.md`
/// rule 3): V^σ = V_host^σ + ΔV_00^σ/√(4π) on every cluster site, with ΔV predicted by the
/// model (for models with the atomic-superposition prior: that start plus the learned
/// correction). Deterministic, and fast: no atom solver, no SCF (≈ 1 ms, docs/results/emulator-benchmark.md).
///
///     let start = try EmulatorStart(modelPath: "Potentials/model.h5")
///     let r = try ImpurityCalculation.run(settings, green: g, start: start)
///
/// Cluster sites beyond the model's shells (a larger cluster than the model's site classes)
/// keep the host potential (ΔV = 0); a cluster with fewer shells takes the model's prediction
/// of its sites. Sites are matched by position.
public struct EmulatorStart: StartingPotentialProvider {
    public let predictor: EmulatorPredictor
    /// Only the impurity site takes the prediction; the neighbour shells keep the host potential
    /// (a diagnostic start of the benchmark, `emulatorImpurity`: what the shells' ΔV is worth).
    public var impurityOnly = false
    public var name: String { impurityOnly ? "emulatorImpurity" : "emulator" }
    /// The prediction carries its own magnetic part (a predicted non-magnetic impurity is not pushed).
    public var acceptsMagneticPush: Bool { false }

    public init(predictor: EmulatorPredictor) {
        self.predictor = predictor
    }

    public init(model: EmulatorModel) throws {
        predictor = try EmulatorPredictor(model: model)
    }

    public init(modelPath: String) throws {
        predictor = try EmulatorPredictor.load(modelPath)
    }

    public func potentials(_ c: ImpurityStartContext) throws -> [SphericalPotential] {
        let host = try EmulatorHost(c.host)
        let p = try predictor.predict(host: host, impurity: c.impurity, spinCount: c.spinCount)
        let predicted = try p.sphericalPotentials()
        let tolerance = 1e-6 * c.geometry.lattice.latticeConstantBohr
        var out = try HostStart().potentials(c)
        for (i, r) in c.geometry.positions.enumerated() where !impurityOnly || i == 0 {
            if let j = p.positionsBohr.firstIndex(where: { length($0 - r) < tolerance }) {
                out[i] = predicted[j]
            }
        }
        guard out[0].atomicNumber == c.impurity.atomicNumber else {
            throw ImpurityError.startingPotential("emulator: the cluster's first site is not at the impurity position")
        }
        return out
    }
}
