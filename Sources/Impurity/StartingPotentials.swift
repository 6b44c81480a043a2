import Atom
import Elements
import Foundation
import KKR
import PotentialIO
import Radial

/// What a starting-potential provider may use.
public struct ImpurityStartContext: Sendable {
    public var host: ConvergedHost
    public var geometry: ImpurityGeometry
    public var impurity: Element
    public var spinCount: Int

    public init(host: ConvergedHost, geometry: ImpurityGeometry, impurity: Element, spinCount: Int) {
        self.host = host; self.geometry = geometry; self.impurity = impurity; self.spinCount = spinCount
    }

    /// The host potential with `spinCount` channels (a non-magnetic host potential is duplicated).
    public var hostPotential: SphericalPotential {
        var v = host.potential
        if spinCount == 2 && v.spinCount == 1 { v.smooth = [v.smooth[0], v.smooth[0]] }
        return v
    }
}

/// A starting guess of the impurity SCF (`../shared/STYLE.md` rule 3): potentials of all cluster
/// sites in cluster order, impurity first.
public protocol StartingPotentialProvider: Sendable {
    /// Short name used in reports ("host", "atomic", "emulator", "file").
    var name: String { get }
    func potentials(_ context: ImpurityStartContext) throws -> [SphericalPotential]
    /// Whether a start without a magnetic part on the impurity gets the exchange-splitting push
    /// of the first iterations (`ImpuritySettings.pushSplittingRy`). True for uninformed starts
    /// (host, atomic); an informed start (a converged or predicted potential) that is
    /// non-magnetic means it and is not pushed.
    var acceptsMagneticPush: Bool { get }
}

extension StartingPotentialProvider {
    public var acceptsMagneticPush: Bool { true }
}

/// The host potential on every site; the impurity site keeps the host's smooth part with the
/// impurity's nuclear charge (V = v_host − 2Z_imp/r).
public struct HostStart: StartingPotentialProvider {
    public init() {}
    public var name: String { "host" }
    public func potentials(_ c: ImpurityStartContext) throws -> [SphericalPotential] {
        var sites = [SphericalPotential](repeating: c.hostPotential, count: c.geometry.count)
        sites[0].atomicNumber = c.impurity.atomicNumber
        return sites
    }
}

/// The atomic-superposition start, the usual practice of KKR impurity workflows: on the impurity
/// site the potential of the superposed free-atom densities (impurity atom at the centre, host
/// atoms on the neighbour sites, Mattheiss construction, renormalised to a neutral sphere) with
/// V_H + v_xc; the neighbours keep the host potential. In a spin-polarised run the impurity atom
/// is the LSDA atom with Hund's-rule occupations, so the start carries the atomic exchange
/// splitting (a magnetic start without an extra push).
public struct AtomicSuperpositionStart: StartingPotentialProvider {
    public init() {}
    public var name: String { "atomic" }
    public func potentials(_ c: ImpurityStartContext) throws -> [SphericalPotential] {
        var sites = try HostStart().potentials(c)
        let hs = c.host.settings
        let impAtom = try HostCalculation.freeAtom(c.impurity, settings: hs, spinPolarized: c.spinCount == 2)
        let hostAtom = try HostCalculation.freeAtom(try PeriodicTable.element(atomicNumber: c.host.potential.atomicNumber), settings: hs)
        let mesh = c.host.potential.mesh
        let parts = try HostCalculation.superposedDensityParts(centreDensities: impAtom.densities, centreMesh: impAtom.mesh,
                                                               neighbours: hostAtom, lattice: c.geometry.lattice, mesh: mesh)
        let perChannel: [[Double]]
        if c.spinCount == 2 {
            let up = parts.centre[0], down = parts.centre.count == 2 ? parts.centre[1] : parts.centre[0].map { $0 / 2 }
            let centreUp = parts.centre.count == 2 ? up : up.map { $0 / 2 }
            perChannel = [zip(centreUp, parts.neighbours).map { $0 + $1 / 2 }, zip(down, parts.neighbours).map { $0 + $1 / 2 }]
        } else {
            perChannel = [zip(parts.centre.reduce([Double](repeating: 0, count: mesh.count)) { zip($0, $1).map { $0 + $1 } },
                              parts.neighbours).map { $0 + $1 }]
        }
        let q = perChannel.reduce(0.0) { $0 + Electrostatics.charge(sphericalDensity: $1, mesh: mesh) }
        let scale = Double(c.impurity.atomicNumber) / q
        let builder = try SitePotentialBuilder(lpot: 0, functional: hs.functional == "pw92" ? .pw92 : .vwn,
                                               spinPolarized: c.spinCount == 2)
        let y00 = 1 / (4 * Double.pi).squareRoot()
        let lm = perChannel.map { [$0.map { $0 * scale / y00 }] }
        var (sph, _) = try builder.build(density: lm, mesh: mesh, intercell: nil, nonSpherical: false)
        // Potential zero: a superposition potential is not in the zero of the self-consistent host
        // (scf-practice: shift a start to the solver's zero). Align the charge part at the sphere
        // radius with the host potential, where the impurity's influence is smallest.
        // (compare total potentials V = v − 2Z/r: the smooth parts differ by 2ΔZ/R through Z)
        let last = mesh.count - 1
        let radius = mesh.rmax
        let hostR = c.hostPotential.smooth.map { $0[last] }.reduce(0, +) / Double(c.spinCount)
            - 2 * Double(c.host.potential.atomicNumber) / radius
        let startR = sph.map { $0[last] }.reduce(0, +) / Double(sph.count) - 2 * Double(c.impurity.atomicNumber) / radius
        let shift = hostR - startR
        sph = sph.map { $0.map { $0 + shift } }
        sites[0] = SphericalPotential(atomicNumber: c.impurity.atomicNumber, mesh: mesh, smooth: sph)
        return sites
    }
}

/// Potentials read from a JuKKR/KKRimp potential file with one block per cluster site (and spin),
/// in cluster order, on the host mesh (same number of points and radius).
public struct FileStart: StartingPotentialProvider {
    public let path: String
    public init(path: String) { self.path = path }
    public var name: String { "file" }
    /// A restart or predicted potential is taken as it is (no exchange-splitting push), moved
    /// into the host's potential zero: a stored potential is V_es + VBC (FORMATS.md 'Energy
    /// zero'), so each site is shifted by VBC_host − VBC_file (0 when file and host share the
    /// zero; ≈ 0.74 Ry for a prediction made with an electrostatic-zero host file and run in a
    /// muffin-tin-shell-zero Cu host).
    public var acceptsMagneticPush: Bool { false }
    public func potentials(_ c: ImpurityStartContext) throws -> [SphericalPotential] {
        let file = try PotentialFile.read(path: path)
        let hostVBC = try c.host.potentialZeroShiftRy()
        let nspin = file.spinCount
        guard file.blocks.count == nspin * c.geometry.count else {
            throw ImpurityError.startingPotential("\(path) has \(file.blocks.count) blocks; the cluster needs \(c.geometry.count) sites × \(nspin) spins")
        }
        let hostMesh = c.host.potential.mesh
        return try (0..<c.geometry.count).map { n in
            let blocks = Array(file.blocks[(n * nspin)..<((n + 1) * nspin)])
            let site = try SitePotential(blocks: blocks, mesh: try SiteMesh(block: blocks[0]))
            var v = try SphericalPotential(site: site)
            guard v.mesh.count == hostMesh.count, abs(v.mesh.rmax - hostMesh.rmax) < 1e-6 else {
                throw ImpurityError.startingPotential("\(path) site \(n + 1): mesh of \(v.mesh.count) points to \(v.mesh.rmax) bohr does not match the host mesh (\(hostMesh.count) points to \(hostMesh.rmax) bohr)")
            }
            let fileVBC = blocks.map(\.vbcRy).reduce(0, +) / Double(blocks.count)
            v = SphericalPotential(atomicNumber: v.atomicNumber, mesh: hostMesh, smooth: v.smooth.map { $0.map { $0 + hostVBC - fileVBC } })
            if c.spinCount == 2 && v.spinCount == 1 { v.smooth = [v.smooth[0], v.smooth[0]] }
            if c.spinCount == 1 && v.spinCount == 2 { v.smooth = [zip(v.smooth[0], v.smooth[1]).map { ($0 + $1) / 2 }] }
            if n == 0 && v.atomicNumber != c.impurity.atomicNumber {
                throw ImpurityError.startingPotential("\(path): the first block has Z = \(v.atomicNumber), the impurity is \(c.impurity.symbol) (Z = \(c.impurity.atomicNumber))")
            }
            return v
        }
    }
}

/// Explicit potentials (e.g. from the emulator or a previous run).
public struct GivenStart: StartingPotentialProvider {
    public let name: String
    public let sites: [SphericalPotential]
    public init(name: String, sites: [SphericalPotential]) { self.name = name; self.sites = sites }
    public func potentials(_ c: ImpurityStartContext) throws -> [SphericalPotential] {
        guard sites.count == c.geometry.count else {
            throw ImpurityError.startingPotential("\(name): \(sites.count) site potentials for a cluster of \(c.geometry.count)")
        }
        return sites.map { s in
            var v = s
            if c.spinCount == 2 && v.spinCount == 1 { v.smooth = [v.smooth[0], v.smooth[0]] }
            if c.spinCount == 1 && v.spinCount == 2 { v.smooth = [zip(v.smooth[0], v.smooth[1]).map { ($0 + $1) / 2 }] }
            return v
        }
    }
}
