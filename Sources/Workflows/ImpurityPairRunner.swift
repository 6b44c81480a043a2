import BatchRunner
import Elements
import Emulator
import Foundation
import Impurity
import KKR
import KKRNumerics
import Lattice
import Radial
import Storage

/// The physics of `dataset generate`: converges each host once (`HostStore`, cached as an HDF5
/// host file with its cluster Green function under `<output>/hostcache/`) and runs every
/// host/impurity pair with the impurity solver from the atomic-superposition start, returning
/// the record payload (layout in `PairPayload`).
public final class ImpurityPairRunner: PairJobRunner, @unchecked Sendable {
    public let preset: DatasetPreset
    public let cacheDirectory: String
    private let lock = NSLock()
    private var greens: [String: HostClusterGreenFunction] = [:]

    public init(preset: DatasetPreset, cacheDirectory: String) {
        self.preset = preset
        self.cacheDirectory = cacheDirectory
    }

    public func hostSettings(_ host: HostKey) throws -> HostSettings {
        guard let entry = HostCatalog.entry(for: host.element) else {
            throw ImpurityError.invalidSettings("no lattice constant known for host \(host.symbol)")
        }
        guard entry.lattice == host.lattice.rawValue else {
            throw ImpurityError.invalidSettings("host \(host.id): the catalogue has \(host.symbol) as \(entry.lattice)")
        }
        return preset.hostSettings(element: host.symbol, lattice: entry.lattice, latticeConstantBohr: entry.latticeConstantBohr,
                                   spinPolarized: MagneticHosts.symbols.contains(host.symbol))
    }

    public func prepareHost(_ host: HostKey) throws -> RecordPayload {
        let s = try hostSettings(host)
        let g = try HostStore.greenFunction(settings: s, shells: preset.shells, directory: cacheDirectory)
        lock.lock(); greens[host.id] = g; lock.unlock()
        var p = RecordPayload()
        p.stringAttributes["hostFile"] = (cacheDirectory as NSString).appendingPathComponent(HostStore.fileName(s))
        p.stringAttributes["hostSettings"] = String(decoding: try JSONEncoder().encode(s), as: UTF8.self)
        p.doubleAttributes["fermiEnergyRy"] = g.host.fermiEnergyRy
        p.doubleAttributes["hostIterations"] = Double(g.host.iterations)
        p.doubleAttributes["hostFinalRms"] = g.host.finalRms
        return p
    }

    public func green(for host: HostArtifact) throws -> HostClusterGreenFunction {
        lock.lock()
        if let g = greens[host.host.id] { lock.unlock(); return g }
        lock.unlock()
        guard let path = host.payload.stringAttributes["hostFile"] else {
            throw ImpurityError.cacheFile("host artifact of \(host.host.id) has no hostFile attribute")
        }
        let g = try HostFile.readGreenFunction(path: path, shells: preset.shells)
        lock.lock(); greens[host.host.id] = g; lock.unlock()
        return g
    }

    public func run(pair: PairKey, host: HostArtifact) throws -> RecordPayload {
        let g = try green(for: host)
        let s = preset.impuritySettings(impurity: pair.impurity.symbol)
        // As `kkr-emulator impurity`: an unscreened (lost-shell) result is retried once with a
        // stricter Anderson restart (docs/impurity.md 'Screening check'); the record is the retry's.
        let (r, discarded) = try ImpurityCalculation.runScreened(s, green: g, start: AtomicSuperpositionStart())
        try r.checkScreening()
        var p = try PairPayload.make(result: r, storedIterates: preset.storedIterates, settingsJSON: preset.json)
        if discarded > 0 { p.doubleAttributes["discardedUnscreenedIterations"] = Double(discarded) }
        return p
    }
}

/// The payload of one pair (arrays and attributes stored by the batch runner) and its
/// conversion to an emulator `ImpurityRecord`:
///
///     attrs  host, impurity, lattice, start, settings (JSON); latticeConstantBohr, hostFermiEnergyRy,
///            iterations, wallSeconds, deltaZ, clusterScreeningCharge, impurityMomentMuB
///     positionsInUnitsOfA [n, 3]; atomicNumbers [n]; moments [n]; charges [n]
///     mesh [4] = (a, b, count, rmax)
///     deltaV [n, 2, (lpot+1)², N]   smooth ΔV_L^σ (L = 00 is √4π × spherical), spin (up, down)
///     scf/rms [iterations]; scf/iterateIndices [k]; scf/iterates [k, n, 2, N] (L = 00 only)
public enum PairPayload {
    public static func make(result r: ImpurityResult, storedIterates: [Int], settingsJSON: String) throws -> RecordPayload {
        var p = RecordPayload()
        let n = r.state.sites.count
        let mesh = r.state.sites[0].mesh
        let a = r.host.settings.latticeConstantBohr
        p.stringAttributes["host"] = try PeriodicTable.element(atomicNumber: r.host.potential.atomicNumber).symbol
        p.stringAttributes["impurity"] = try PeriodicTable.element(atomicNumber: r.state.sites[0].atomicNumber).symbol
        p.stringAttributes["lattice"] = r.host.settings.lattice
        p.stringAttributes["start"] = r.startName
        p.stringAttributes["settings"] = settingsJSON
        p.doubleAttributes["latticeConstantBohr"] = a
        p.doubleAttributes["hostFermiEnergyRy"] = r.host.fermiEnergyRy
        p.doubleAttributes["iterations"] = Double(r.history.count)
        p.doubleAttributes["wallSeconds"] = r.wallSeconds
        let (dz, dn) = r.friedel
        p.doubleAttributes["deltaZ"] = dz
        p.doubleAttributes["clusterScreeningCharge"] = dn
        p.doubleAttributes["impurityMomentMuB"] = r.last.moments[0]
        // The constant the semicore guard added to the impurity site of the start (≤ 0): the stored
        // iteration-1 input includes it, and the trainer removes it from the prior
        // (`EmulatorTrainingRecord.prior(removingGuard:)`, docs/emulator.md §15.2).
        p.doubleAttributes[EmulatorDataLoader.guardShiftKey] = r.semicoreStartShiftRy
        p.setArray("positionsInUnitsOfA", r.geometry.positions.flatMap { [$0.x / a, $0.y / a, $0.z / a] }, shape: [n, 3])
        p.setArray("atomicNumbers", r.state.sites.map { Double($0.atomicNumber) }, shape: [n])
        p.setArray("moments", r.last.moments, shape: [n])
        p.setArray("charges", r.last.charges, shape: [n])
        p.setArray("mesh", [mesh.a, mesh.b, Double(mesh.count), mesh.rmax], shape: [4])
        let dv = r.potentialChange   // [site][spin][L][r]
        let nlm = dv[0][0].count
        var flat: [Double] = []
        flat.reserveCapacity(n * 2 * nlm * mesh.count)
        for site in dv { for s in 0..<2 { let ch = site[min(s, site.count - 1)]; for comp in ch { flat += comp } } }
        p.setArray("deltaV", flat, shape: [n, 2, nlm, mesh.count])
        p.setArray("scf/rms", r.history.map(\.rms), shape: [r.history.count])
        let kept = r.iterates.filter { storedIterates.contains($0.iteration) }
        p.setArray("scf/iterateIndices", kept.map { Double($0.iteration) }, shape: [kept.count])
        let sqrt4pi = (4 * Double.pi).squareRoot()
        var it: [Double] = []
        for k in kept {
            for (i, site) in k.input.sites.enumerated() {
                let hs = r.host.potential
                for s in 0..<2 {
                    let v = site.smooth[min(s, site.spinCount - 1)], h = hs.smooth[min(s, hs.spinCount - 1)]
                    _ = i
                    it += zip(v, h).map { ($0 - $1) * sqrt4pi }
                }
            }
        }
        p.setArray("scf/iterates", it, shape: [kept.count, n, 2, mesh.count])
        return p
    }

    /// The emulator record of a payload (`Emulator.ImpurityRecord`, docs/emulator.md §6).
    public static func record(_ p: RecordPayload, provenance extra: [String: String] = [:]) throws -> ImpurityRecord {
        func arr(_ name: String) throws -> HDF5Array<Double> {
            guard let a = p.arrays[name] else { throw EmulatorError.invalidInput("pair payload has no array '\(name)'") }
            return a
        }
        guard let hostSym = p.stringAttributes["host"], let impSym = p.stringAttributes["impurity"],
              let latName = p.stringAttributes["lattice"], let lattice = LatticeType(rawValue: latName),
              let a = p.doubleAttributes["latticeConstantBohr"] else {
            throw EmulatorError.invalidInput("pair payload lacks host/impurity/lattice attributes")
        }
        let meshArr = try arr("mesh").values
        let mesh = try RadialMesh(rmax: meshArr[3], a: meshArr[0], count: Int(meshArr[2]))
        let pos = try arr("positionsInUnitsOfA"), z = try arr("atomicNumbers"), m = try arr("moments"), q = try arr("charges")
        let dv = try arr("deltaV")
        let (n, nlm, nr) = (dv.shape[0], dv.shape[2], dv.shape[3])
        guard nr == mesh.count, dv.shape[1] == 2 else { throw EmulatorError.shapeMismatch("deltaV shape \(dv.shape) vs mesh \(mesh.count)") }
        let lMax = Int(Double(nlm).squareRoot().rounded()) - 1
        func slice(_ site: Int, _ spin: Int, _ lm: Int) -> [Double] {
            let o = ((site * 2 + spin) * nlm + lm) * nr
            return Array(dv.values[o..<(o + nr)])
        }
        var sites: [ImpuritySiteRecord] = []
        for i in 0..<n {
            let change = try SitePotentialChange(mesh: mesh, lMax: lMax, up: (0..<nlm).map { slice(i, 0, $0) },
                                                 down: (0..<nlm).map { slice(i, 1, $0) })
            sites.append(ImpuritySiteRecord(element: try PeriodicTable.element(atomicNumber: Int(z.values[i])),
                                            positionInUnitsOfA: SIMD3(pos.values[3 * i], pos.values[3 * i + 1], pos.values[3 * i + 2]),
                                            momentBohrMagneton: m.values[i], netChargeElectrons: q.values[i],
                                            potential: .onMesh(change)))
        }
        var scf: SCFHistory?
        if let rms = p.arrays["scf/rms"] {
            var iterates: [[SitePotentialData]] = []
            if let its = p.arrays["scf/iterates"], its.shape.count == 4 {
                let (k, ns, nr2) = (its.shape[0], its.shape[1], its.shape[3])
                for j in 0..<k {
                    var row: [SitePotentialData] = []
                    for i in 0..<ns {
                        let o = (j * ns + i) * 2 * nr2
                        let up = [Array(its.values[o..<(o + nr2)])], down = [Array(its.values[(o + nr2)..<(o + 2 * nr2)])]
                        row.append(.onMesh(try SitePotentialChange(mesh: mesh, lMax: 0, up: up, down: down)))
                    }
                    iterates.append(row)
                }
            }
            scf = SCFHistory(rms: rms.values, iterates: iterates)
        }
        var prov = extra
        for (k, v) in p.stringAttributes where k != "host" && k != "impurity" && k != "lattice" { prov[k] = v }
        for (k, v) in p.doubleAttributes { prov[k] = String(v) }
        return ImpurityRecord(host: try PeriodicTable.element(symbol: hostSym), impurity: try PeriodicTable.element(symbol: impSym),
                              lattice: lattice, latticeConstantBohr: a, sites: sites, provenance: prov, scf: scf)
    }
}
