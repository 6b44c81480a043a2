import Descriptors
import Elements
import Emulator
import Foundation
import KKR
import KKRNumerics
import Lattice
import Radial

/// A trained emulator with everything a prediction needs: the model, its free-atom table
/// (element features and the densities of the atomic-superposition prior) — no atom solver
/// and no SCF at prediction time (docs/emulator.md §11).
public struct EmulatorPredictor: Sendable {
    /// Name of the prior of `PriorMode.features`/`.residual` models trained before stop 18: the
    /// atomic-superposition start (`SuperpositionStartBuilder`) through the solver's semicore
    /// guard, as stored as the runs' iteration-1 input.
    public static let priorName = "atomicSuperposition"
    /// Name of the prior of the current recipes: the plain atomic superposition, without the
    /// semicore guard (the training records' stored starts with the guard's constant removed,
    /// `EmulatorTrainingRecord.prior(removingGuard:)`; docs/emulator.md §15.2).
    public static let plainPriorName = "plainAtomicSuperposition"
    public static let priorNames = [plainPriorName, priorName]

    public let model: EmulatorModel
    public let atoms: EmulatorAtomTable?
    /// Radial projectors of the prior by host mesh (building one costs ≈ 4 ms, half of a
    /// prediction; docs/results/benchmarks.md).
    private let projectors = ProjectorCache()

    public init(model: EmulatorModel, path: String = "<model>") throws {
        self.model = model
        atoms = try EmulatorAtomTable(attachments: model.attachments, file: path)
        let c = model.configuration
        if c.prior != .none {
            guard Self.priorNames.contains(c.priorName) else {
                throw EmulatorError.corruptFile(file: path, detail: "the model uses the prior '\(c.priorName)', which this code "
                    + "cannot compute (known: \(Self.priorNames.joined(separator: ", ")))")
            }
            guard atoms != nil else {
                throw EmulatorError.corruptFile(file: path, detail: "the model needs the atomic-superposition prior but stores no "
                    + "free-atom table (attachments freeAtoms_*)")
            }
        }
    }

    /// Loads a model file.
    public static func load(_ path: String) throws -> EmulatorPredictor {
        try EmulatorPredictor(model: try EmulatorModel.load(from: path), path: path)
    }

    /// The element-feature provider of predictions: the model's stored table.
    public var provider: any ElementFeatureProvider { model.elementFeatures }

    /// The prior builder for a host (reuse it for many impurities in one host: the neighbour
    /// part of the superposition is computed once).
    public func superposition(for host: EmulatorHost) throws -> SuperpositionStartBuilder? {
        guard model.configuration.prior != .none, let atoms else { return nil }
        return try SuperpositionStartBuilder(table: atoms, host: host)
    }

    /// Predicts ΔV on every cluster site of `impurity` in `host` (cluster order, impurity first).
    /// `spinCount` 2 (default) gives the spin-polarised prediction; 1 averages the spins.
    public func predict(host: EmulatorHost, impurity: Element, spinCount: Int = 2,
                        superposition: SuperpositionStartBuilder? = nil) throws -> EmulatorHostPrediction {
        let c = model.configuration
        let cluster = try Descriptors.ImpurityCluster(lattice: host.lattice, host: host.element, impurity: impurity,
                                                      shellCount: c.shellCount)
        var start: SitePotentialChange?
        var priors: [ProjectedSitePotential]?
        if c.prior != .none {
            guard let builder = try superposition ?? self.superposition(for: host) else {
                throw EmulatorError.prediction("no prior builder")
            }
            guard builder.host.element == host.element, builder.host.potential == host.potential else {
                throw EmulatorError.invalidInput("the superposition builder belongs to another host")
            }
            // The model was trained on spin-polarised runs (magnetic start); the prior is always
            // the LSDA atom, spins are averaged afterwards for spinCount 1.
            var s = try builder.impurityChange(impurity, spinCount: 2)
            // Models of the guarded prior: the solver's semicore guard, as in the stored starts
            // they were trained on.
            if c.priorName == Self.priorName, let g = host.semicoreGuard {
                s = s.addingConstant(try g.shift(for: s, impurity: impurity, host: host))
            }
            start = s
            let p0 = try projectors.project(s, on: c.radialBasis)
            let zero = try ProjectedSitePotential(lMax: 0, basisCount: c.radialBasis.count,
                                                  coefficients: [Double](repeating: 0, count: 2 * c.radialBasis.count))
            priors = [p0] + [ProjectedSitePotential](repeating: zero, count: cluster.siteCount - 1)
        }
        let p = try model.predict(host: host.element, impurity: impurity, lattice: host.lattice, provider: provider, priors: priors)
        return EmulatorHostPrediction(host: host, impurity: impurity, spinCount: spinCount, prediction: p, start: start,
                                      positionsBohr: cluster.positionsBohr, shells: cluster.shellIndices,
                                      chemicalSpace: try chemicalSpaceCheck(host: host.element, impurity: impurity))
    }

    /// Whether host and impurity are inside the model's training chemistry.
    public func chemicalSpaceCheck(host: Element, impurity: Element) throws -> [String] {
        var notes: [String] = []
        let hosts = Set(model.trainingPairs.map(\.host)), impurities = Set(model.trainingPairs.map(\.impurity))
        if !hosts.contains(host.symbol) {
            notes.append("host \(host.symbol) is not among the training hosts (\(hosts.sorted().joined(separator: ", ")))")
        }
        if !impurities.contains(impurity.symbol) {
            notes.append("impurity \(impurity.symbol) is not among the training impurities (\(impurities.count) elements)")
        }
        if hosts.contains(host.symbol) && impurities.contains(impurity.symbol)
            && !model.trainingPairs.contains(where: { $0.host == host.symbol && $0.impurity == impurity.symbol }) {
            // Both seen, pair not: interpolation in chemical space, no note.
        }
        return notes
    }
}

/// A prediction for one impurity in one host, on the host's own mesh.
public struct EmulatorHostPrediction: Sendable {
    public let host: EmulatorHost
    public let impurity: Element
    public let spinCount: Int
    public let prediction: Prediction
    /// The prior (atomic-superposition start) ΔV of the impurity site on the host mesh, if the
    /// model uses one.
    public let start: SitePotentialChange?
    public let positionsBohr: [Vector3]
    public let shells: [Int]
    /// Reasons the pair is outside the training chemistry (empty: inside).
    public let chemicalSpace: [String]

    public var siteCount: Int { shells.count }

    /// Smooth ΔV_L^σ of site i on the host mesh (the prior's full radial detail kept on the
    /// impurity site), all L ≤ the model's lMax. For spinCount 1 both spins carry the charge part.
    public func potentialChange(site i: Int) throws -> SitePotentialChange {
        let v = try prediction.potentialChange(site: i, on: host.potential.mesh, prior: i == 0 ? start : nil)
        if spinCount == 2 { return v }
        let avg = zip(v.up, v.down).map { zip($0, $1).map { ($0 + $1) / 2 } }
        return try SitePotentialChange(mesh: v.mesh, lMax: v.lMax, up: avg, down: avg)
    }

    /// The starting potentials of all cluster sites for the SCF: V^σ = V_host^σ + ΔV_00^σ/√(4π)
    /// (spherical smooth parts on the host mesh; Z of the impurity on site 0).
    public func sphericalPotentials() throws -> [SphericalPotential] {
        let h = host.potential
        let inv = 1 / NuclearTerm.sphericalAverageToL00
        return try (0..<siteCount).map { i in
            let dv = try potentialChange(site: i)
            let channels = (0..<spinCount).map { s -> [Double] in
                let base = h.smooth[min(s, h.spinCount - 1)]
                let d = s == 0 ? dv.up[0] : dv.down[0]
                return zip(base, d).map { $0 + $1 * inv }
            }
            return SphericalPotential(atomicNumber: i == 0 ? impurity.atomicNumber : h.atomicNumber, mesh: h.mesh, smooth: channels)
        }
    }

    /// Predicted spin moment (μ_B) and net charge (e) of site i with their predictive σ, if the
    /// model has property regressions.
    public func properties(site i: Int) -> (moment: Double, momentSigma: Double, charge: Double, chargeSigma: Double)? {
        let s = prediction.sites[i]
        guard s.properties.count == 2, s.propertyVariances.count == 2 else { return nil }
        return (s.properties[0], max(s.propertyVariances[0], 0).squareRoot(), s.properties[1], max(s.propertyVariances[1], 0).squareRoot())
    }

    /// rms predictive σ of ΔV on site i (Ry; `SitePrediction.rmsStandardDeviation`).
    public func sigma(site i: Int) -> SitePotentialError { prediction.sites[i].rmsStandardDeviation }
}

/// The radial projectors of the prior, one per host mesh (`SitePotentialData.projected(on:lMax:
/// projectors:)`), shared by the copies of one predictor (thread-safe).
final class ProjectorCache: @unchecked Sendable {
    private var projectors: [RadialProjector] = []
    private let lock = NSLock()

    /// The L = 00 projection of `v` on `basis`.
    func project(_ v: SitePotentialChange, on basis: RadialTargetBasis) throws -> ProjectedSitePotential {
        lock.lock()
        defer { lock.unlock() }
        return try SitePotentialData.onMesh(v).projected(on: basis, lMax: 0, projectors: &projectors)
    }
}
