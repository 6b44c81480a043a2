import Foundation
import KKRNumerics
import Lattice

/// The potential-independent part of a one-atom-per-cell host: lattice, screening cluster,
/// reference system, free structure constants, k-meshes (irreducible wedge) and the cache of
/// screened structure constants per energy point (KKR_NOTES §5; scf-practice: the reference
/// Green function dominates the cost and depends only on the energy).
public final class HostStructure: @unchecked Sendable {
    public let lattice: CrystalLattice
    public let lmax: Int
    public let reference: ReferenceSystem
    public let structureConstants: FreeStructureConstants
    /// Screening-cluster positions (bohr), origin first.
    public let screeningCluster: [Vector3]
    public let kSchedule: KMeshSchedule
    public let symmetrizer: LMSymmetrizer
    private let reducedMeshes: [Int: [WeightedKPoint]]

    private let lock = NSLock()
    private var cache: [EnergyKey: ScreenedStructureConstants] = [:]

    struct EnergyKey: Hashable { let re: UInt64; let im: UInt64
        init(_ e: ComplexDouble) { re = e.real.bitPattern; im = e.imaginary.bitPattern }
    }

    public init(lattice: CrystalLattice, lmax: Int, referencePotentialRy: Double, referenceRadiusFraction: Double,
                screeningClusterRadiusBohr: Double, kSchedule: KMeshSchedule) throws {
        self.lattice = lattice
        self.lmax = lmax
        let rref = referenceRadiusFraction * lattice.nearestNeighbourDistanceBohr / 2
        reference = ReferenceSystem(potentialRy: referencePotentialRy, radiusBohr: rref, lmax: lmax)
        structureConstants = FreeStructureConstants(lmax: lmax)
        screeningCluster = try Cluster(lattice: lattice, radiusBohr: screeningClusterRadiusBohr).positionsBohr
        self.kSchedule = kSchedule
        symmetrizer = try LMSymmetrizer(group: lattice.type.pointGroup, lmax: lmax)
        var meshes: [Int: [WeightedKPoint]] = [:]
        for n in kSchedule.allDivisions {
            let mesh = try KMesh(lattice: lattice, divisions: n, kind: .gammaCentred).irreducible()
            let total = Double(mesh.totalWeight)
            meshes[n] = mesh.points.map { WeightedKPoint(k: $0.cartesianPerBohr, weight: Double($0.weight) / total) }
        }
        reducedMeshes = meshes
    }

    /// Screened structure constants at E (computed once, then cached).
    public func screened(at e: ComplexDouble) throws -> ScreenedStructureConstants {
        let key = EnergyKey(e)
        lock.lock()
        if let s = cache[key] { lock.unlock(); return s }
        lock.unlock()
        let s = try ScreenedStructureConstants(positions: screeningCluster, reference: reference,
                                               structureConstants: structureConstants, energy: e)
        lock.lock()
        cache[key] = s
        lock.unlock()
        return s
    }

    /// Drops cached energies that are not in `keep` (called when the contour moves).
    public func retainCache(for energies: [ComplexDouble]) {
        let keys = Set(energies.map(EnergyKey.init))
        lock.lock()
        cache = cache.filter { keys.contains($0.key) }
        lock.unlock()
    }

    /// The irreducible k-points used at energy E (weights sum to 1).
    public func kpoints(for e: ComplexDouble) -> [WeightedKPoint] {
        reducedMeshes[kSchedule.divisions(forImaginaryPart: e.imaginary)]!
    }

    /// On-site structural Green function G^{00}(E) for Δt = t − t^ref (diagonal in L):
    /// Σ_{k ∈ IBZ} w_k G(k) symmetrised over the point group (KKR_NOTES §5.6).
    public func onSiteGreenFunction(energy e: ComplexDouble, tMatrix t: [ComplexDouble]) throws -> ComplexMatrix {
        let s = try screened(at: e)
        let dt = (0..<t.count).map { t[$0] - s.referenceT[lmPair($0).l] }
        let kg = KSpaceGreenFunction(screened: s, kpoints: kpoints(for: e))
        return symmetrizer.symmetrize(try kg.onSite(deltaT: dt))
    }
}

extension HostStructure {
    /// Full-mesh k-points (weights 1/n³) with the density used at energy E.
    func fullMesh(for e: ComplexDouble) throws -> [WeightedKPoint] {
        let n = kSchedule.divisions(forImaginaryPart: e.imaginary)
        let mesh = try KMesh(lattice: lattice, divisions: n, kind: .gammaCentred)
        let w = 1 / Double(mesh.totalWeight)
        return mesh.points.map { WeightedKPoint(k: $0.cartesianPerBohr, weight: w) }
    }

    /// Structural Green function for site pairs, G^{(d)} = Σ_k w_k G(k) e^{−i k·d} for each
    /// displacement d = R_{n'} − R_n (KKR_NOTES §9), over the full k-mesh of energy E. The k-sum
    /// runs in chunks; Fourier transforms and phase sums are zgemm calls.
    public func sitePairGreenFunction(energy e: ComplexDouble, tMatrix t: [ComplexDouble],
                                      displacements: [Vector3]) throws -> [ComplexMatrix] {
        let s = try screened(at: e)
        let nl = lmCount(lmax)
        let dt = (0..<t.count).map { t[$0] - s.referenceT[lmPair($0).l] }
        let kpts = try fullMesh(for: e)
        let nd = displacements.count
        var acc = ComplexMatrix(rows: nd, cols: nl * nl)
        let chunk = 2048
        var start = 0
        while start < kpts.count {
            let part = Array(kpts[start..<min(start + chunk, kpts.count)])
            let kg = KSpaceGreenFunction(screened: s, kpoints: part)
            var gk = ComplexMatrix(rows: part.count, cols: nl * nl)
            for ik in 0..<part.count {
                let g = try kg.greenFunction(at: ik, deltaT: dt)
                for el in 0..<(nl * nl) { gk[ik, el] = g.elements[el] }
            }
            var phases = ComplexMatrix(rows: nd, cols: part.count)
            for (id, d) in displacements.enumerated() {
                for (ik, kp) in part.enumerated() {
                    let arg = -(kp.k * d).sum()
                    phases[id, ik] = kp.weight * ComplexDouble(cos(arg), sin(arg))
                }
            }
            ComplexMatrix.gemm(phases, gk, beta: .one, into: &acc)
            start += chunk
        }
        return (0..<nd).map { id in
            var b = ComplexMatrix(rows: nl, cols: nl)
            for el in 0..<(nl * nl) { b.elements[el] = acc[id, el] }
            return b
        }
    }
}

extension HostStructure {
    /// The structure of `settings` on `lattice` (l_max, reference system, screening cluster,
    /// k-mesh schedule): the one construction shared by the host SCF, the host cache and tests.
    public convenience init(lattice: CrystalLattice, settings: HostSettings) throws {
        try self.init(lattice: lattice, lmax: settings.lmax, referencePotentialRy: settings.referencePotentialRy,
                      referenceRadiusFraction: settings.referenceRadiusFraction,
                      screeningClusterRadiusBohr: settings.screeningClusterRadiusBohr, kSchedule: settings.kMesh)
    }
}
