import Foundation
import Elements
import KKRNumerics
import Lattice

/// A site's potential change in a record: on the run's own radial mesh, or already projected on
/// a radial basis (then the basis travels with it so that it can be checked against a model's).
public enum SitePotentialData: Sendable, Equatable {
    case onMesh(SitePotentialChange)
    case projected(ProjectedSitePotential, basis: RadialTargetBasis)

    /// Radial coefficients on `basis` up to `lMax` (projecting if needed). `projectors` caches one
    /// projector per mesh across calls (sites of a run usually share their mesh).
    public func projected(on basis: RadialTargetBasis, lMax: Int,
                          projectors: inout [RadialProjector]) throws -> ProjectedSitePotential {
        switch self {
        case .onMesh(let v):
            if let cached = projectors.first(where: { $0.mesh == v.mesh && $0.basis == basis }) {
                return try v.projected(with: cached, lMax: lMax)
            }
            let projector = try basis.projector(on: v.mesh)
            projectors.append(projector)
            return try v.projected(with: projector, lMax: lMax)
        case .projected(let p, let stored):
            guard stored == basis else {
                throw EmulatorError.invalidInput("record holds coefficients on a different radial basis (\(stored.kind.rawValue), "
                    + "K = \(stored.count)) than the model's (\(basis.kind.rawValue), K = \(basis.count)); store ΔV on the mesh instead")
            }
            guard p.lMax >= lMax else {
                throw EmulatorError.invalidInput("record holds ΔV_L up to l = \(p.lMax) only; the model needs l ≤ \(lMax)")
            }
            if p.lMax == lMax { return p }
            let nIn = lmCount(p.lMax), nOut = lmCount(lMax)
            var c = [Double](repeating: 0, count: 2 * nOut * p.basisCount)
            for comp in 0..<2 {
                for lm in 0..<nOut {
                    for k in 0..<p.basisCount {
                        c[(comp * nOut + lm) * p.basisCount + k] = p.coefficients[(comp * nIn + lm) * p.basisCount + k]
                    }
                }
            }
            return try ProjectedSitePotential(lMax: lMax, basisCount: p.basisCount, coefficients: c)
        }
    }

    /// Radial coefficients on `basis` up to `lMax` (projecting if needed).
    public func projected(on basis: RadialTargetBasis, lMax: Int) throws -> ProjectedSitePotential {
        var projectors: [RadialProjector] = []
        return try projected(on: basis, lMax: lMax, projectors: &projectors)
    }
}

/// One cluster site of a converged impurity run.
public struct ImpuritySiteRecord: Sendable, Equatable {
    public var element: Element
    /// Position relative to the impurity, in units of the lattice constant a.
    public var positionInUnitsOfA: Vector3
    /// Spin moment m = N↑ − N↓ in the sphere (μ_B).
    public var momentBohrMagneton: Double
    /// Net charge of the sphere Z − N (e; positive = fewer electrons than protons).
    public var netChargeElectrons: Double
    /// Smooth ΔV (nuclear term removed) of this site.
    public var potential: SitePotentialData

    public init(element: Element, positionInUnitsOfA: Vector3, momentBohrMagneton: Double, netChargeElectrons: Double,
                potential: SitePotentialData) {
        self.element = element
        self.positionInUnitsOfA = positionInUnitsOfA
        self.momentBohrMagneton = momentBohrMagneton
        self.netChargeElectrons = netChargeElectrons
        self.potential = potential
    }
}

/// Optional SCF history of a run: the rms error per iteration and, optionally, the intermediate
/// potentials (per iteration, per site) for training iterate → converged maps later.
public struct SCFHistory: Sendable, Equatable {
    public var rms: [Double]
    /// iterates[iteration][site]; empty if not stored.
    public var iterates: [[SitePotentialData]]

    public init(rms: [Double], iterates: [[SitePotentialData]] = []) {
        self.rms = rms
        self.iterates = iterates
    }
}

/// One converged impurity calculation (docs/emulator.md §6).
public struct ImpurityRecord: Sendable, Equatable {
    public var host: Element
    public var impurity: Element
    public var lattice: LatticeType
    public var latticeConstantBohr: Double
    /// Cluster sites, impurity first.
    public var sites: [ImpuritySiteRecord]
    /// Solver settings and code version (string key → string value), stored as attributes.
    public var provenance: [String: String]
    public var scf: SCFHistory?

    public init(host: Element, impurity: Element, lattice: LatticeType, latticeConstantBohr: Double,
                sites: [ImpuritySiteRecord], provenance: [String: String] = [:], scf: SCFHistory? = nil) {
        self.host = host; self.impurity = impurity; self.lattice = lattice; self.latticeConstantBohr = latticeConstantBohr
        self.sites = sites; self.provenance = provenance; self.scf = scf
    }

    /// The record key "<impurity>_in_<host>" (e.g. "Fe_in_Cu"); unique in a data set.
    public var key: String { ImpurityRecord.key(host: host.symbol, impurity: impurity.symbol) }

    public static func key(host: String, impurity: String) -> String { "\(impurity)_in_\(host)" }

    public var trainingPair: TrainingPair {
        TrainingPair(host: host.symbol, impurity: impurity.symbol, lattice: lattice, latticeConstantBohr: latticeConstantBohr)
    }

    /// Checks the record for internal consistency (impurity first at the origin, finite values).
    public func validate() throws {
        guard latticeConstantBohr.isFinite, latticeConstantBohr > 0 else {
            throw EmulatorError.invalidInput("record \(key): lattice constant must be positive, got \(latticeConstantBohr)")
        }
        guard let first = sites.first, first.element == impurity, length(first.positionInUnitsOfA) < 1e-12 else {
            throw EmulatorError.invalidInput("record \(key): site 0 must be the impurity \(impurity.symbol) at the origin")
        }
        for (i, s) in sites.enumerated() where !(s.momentBohrMagneton.isFinite && s.netChargeElectrons.isFinite) {
            throw EmulatorError.invalidInput("record \(key), site \(i): moment and charge must be finite")
        }
    }
}
