import Elements
import Foundation
import PotentialIO
import Radial

/// Errors converting between potential files and solver potentials.
public enum PotentialConversionError: Error, CustomStringConvertible {
    case notSpherical(String)
    case meshMismatch(String)

    public var description: String {
        switch self {
        case .notSpherical(let s): return "potential is not usable as an ASA start: \(s)"
        case .meshMismatch(let s): return "potential mesh does not match: \(s)"
        }
    }
}

extension SphericalPotential {
    /// The JuKKR file view of this site potential (`../shared/FORMATS.md` §1a): vm2z = v (the
    /// smooth part, V + 2Z/r, already in the host's potential zero), VBC = `vbcRy` (the shift
    /// the zero convention added, as JuKKR records it; 0 for the electrostatic zero),
    /// RMT = RMTNEW = RWS = R (atomic spheres), core levels from the solver.
    /// `nonSpherical` adds lm components (l ≥ 1) on all mesh points (INS = 1 layout).
    public func sitePotential(label: String? = nil, latticeConstantBohr: Double, fermiEnergyRy: Double,
                              coreLevels: [[CoreLevel]], exchangeCorrelationName: String,
                              nonSpherical: [[LMIndex: [Double]]]? = nil, lmpot: Int = 1, vbcRy: Double = 0) -> SitePotential {
        let symbol = (try? PeriodicTable.element(atomicNumber: atomicNumber).symbol) ?? "X"
        let lab = label ?? "\(symbol)\(atomicNumber)"
        let channels: [PotentialIO.SpinChannel] = spinCount == 1 ? [.unpolarized] : [.down, .up]
        let spins = (0..<spinCount).map { s in
            SpinPotential(channel: channels[s], vm2zRy: smooth[s], nonSphericalRy: nonSpherical?[s] ?? [:],
                          coreStates: (coreLevels.count > s ? coreLevels[s] : coreLevels.first ?? []).map {
                              CoreState(n: $0.n, l: $0.l, energyRy: $0.energyRy)
                          },
                          vbcRy: vbcRy)
        }
        let hasLM = nonSpherical?.contains { !$0.isEmpty } ?? false
        return SitePotential(nuclearCharge: Double(atomicNumber), label: lab, exchangeCorrelationName: exchangeCorrelationName,
                             mesh: SiteMesh(exponential: mesh), latticeConstantBohr: latticeConstantBohr,
                             muffinTinRadiusBohr: mesh.rmax, adaptedMuffinTinRadiusBohr: mesh.rmax,
                             wignerSeitzRadiusBohr: mesh.rmax, fermiEnergyRy: fermiEnergyRy,
                             nonSphericalPointCount: hasLM ? mesh.count : 0, lmpot: hasLM ? lmpot : 1, spins: spins)
    }

    /// A solver potential from a spherical (INS = 0 or exponential-mesh) site of a potential file.
    /// The file's VBC shift is kept (the potential is used as stored).
    public init(site: SitePotential) throws {
        guard !site.mesh.isFullPotential else {
            throw PotentialConversionError.notSpherical("site \(site.label) has a full-potential (shape-function) mesh; the ASA solver needs an exponential mesh ending at R_WS")
        }
        let mesh = try RadialMesh(a: site.mesh.a, b: site.mesh.b, count: site.mesh.count)
        guard abs(mesh.rmax - site.mesh.rmax) < 1e-6 * site.mesh.rmax else {
            throw PotentialConversionError.meshMismatch("r(NR) = \(mesh.rmax) from A, B differs from the stored \(site.mesh.rmax)")
        }
        self.init(atomicNumber: Int(site.nuclearCharge.rounded()), mesh: site.mesh.exponentialPart, smooth: site.spins.map(\.vm2zRy))
    }
}
