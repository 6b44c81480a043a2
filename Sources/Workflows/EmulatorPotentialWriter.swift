import Elements
import Emulator
import Foundation
import Impurity
import KKR
import KKRNumerics
import Lattice
import PotentialIO
import Radial

/// Options of `predict-potential` (docs/emulator.md §14).
public struct PredictPotentialOptions: Sendable {
    public var host: String
    public var impurity: String
    /// Host potential file (JuKKR format); nil: the shipped `Potentials/hosts/<Host>.potential`.
    public var hostPotentialPath: String?
    /// Shape functions of a full-potential host file.
    public var shapefunPath: String?
    /// Neighbour shells of the cluster (default and maximum: the model's).
    public var shells: Int?
    /// Lattice type (default: the host element's structure, `HostCatalog`).
    public var lattice: String?
    /// Model file; nil: the shipped `Potentials/model.h5`.
    public var modelPath: String?
    public var outputPath: String
    /// scoef path; nil: `scoef` in the directory of the output.
    public var scoefPath: String?
    public var force = false
    /// Spin channels of the written potential (2: spin-polarised impurity, as trained).
    public var spinCount = 2
    /// Warn when the rms predictive σ of the impurity site exceeds this many times the model's
    /// typical σ over its training pairs.
    public var sigmaWarningFactor = 3.0

    public init(host: String, impurity: String, outputPath: String) {
        self.host = host
        self.impurity = impurity
        self.outputPath = outputPath
    }

    public var resolvedScoefPath: String {
        scoefPath ?? ((outputPath as NSString).deletingLastPathComponent as NSString).appendingPathComponent("scoef")
    }
}

/// What `predict-potential` wrote and predicted.
public struct PredictPotentialResult: Sendable {
    public var host: String
    public var impurity: String
    public var modelPath: String
    public var hostPotentialPath: String
    public var outputPath: String
    public var scoefPath: String
    public var sites: Int
    public var spinCount: Int
    public var latticeConstantBohr: Double
    public var lattice: String
    /// Predicted impurity moment (μ_B) and net charge Z − N (e) with predictive σ (nil: the
    /// model has no property regressions).
    public var impurityMoment: (value: Double, sigma: Double)?
    public var impurityNetCharge: (value: Double, sigma: Double)?
    /// rms predictive σ of ΔV on the impurity site and on the first shell (Ry).
    public var impuritySigma: SitePotentialError
    public var shellSigma: SitePotentialError?
    /// Typical impurity σ of the model's training pairs (Ry), if stored.
    public var referenceSigmaRy: Double?
    /// rms size of the predicted ΔV on the impurity site and its change w.r.t. the atomic start (Ry).
    public var impurityDeltaV: SitePotentialError
    public var correctionToStart: SitePotentialError?
    public var insideChemicalSpace: Bool
    public var warnings: [String]
    public var notes: [String]
    public var wallSeconds: Double

    public func json() -> [String: Any] {
        var d: [String: Any] = [
            "host": host, "impurity": impurity, "model": modelPath, "hostPotential": hostPotentialPath, "output": outputPath,
            "scoef": scoefPath, "sites": sites, "spinCount": spinCount, "latticeConstantBohr": latticeConstantBohr, "lattice": lattice,
            "impuritySigmaChargeRy": impuritySigma.charge, "impuritySigmaMagneticRy": impuritySigma.magnetic,
            "impuritySigmaRy": impuritySigma.total, "impurityDeltaVRmsRy": impurityDeltaV.total,
            "insideChemicalSpace": insideChemicalSpace, "warnings": warnings, "notes": notes, "wallSeconds": wallSeconds,
        ]
        if let m = impurityMoment { d["impurityMomentMuB"] = m.value; d["impurityMomentSigmaMuB"] = m.sigma }
        if let q = impurityNetCharge { d["impurityNetChargeElectrons"] = q.value; d["impurityNetChargeSigmaElectrons"] = q.sigma }
        if let s = shellSigma { d["shell1SigmaRy"] = s.total }
        if let r = referenceSigmaRy { d["referenceSigmaRy"] = r }
        if let c = correctionToStart { d["correctionToStartRmsRy"] = c.total }
        return d
    }
}

/// Errors of `predict-potential` (bad input): what is wrong and what to do.
public struct PredictPotentialError: Error, CustomStringConvertible, Equatable {
    public let message: String
    public init(_ message: String) { self.message = message }
    public var description: String { message }
}

/// The library behind `predict-potential`: a KKRimp-ready starting potential of an impurity
/// cluster from the emulator (FORMATS.md §1c "What this means for a Swift drop-in writer").
public enum PredictPotential {
    /// Environment variable naming the directory with `model.h5` and `hosts/`.
    public static let environmentVariable = "KKR_EMULATOR_POTENTIALS"

    /// The directory of the shipped model and host potentials: `$KKR_EMULATOR_POTENTIALS`, else
    /// `Potentials/` of the package the executable was built in (`<root>/.build/<config>/exe`),
    /// else `./Potentials`.
    public static func potentialsDirectory(executablePath: String = CommandLine.arguments.first ?? "") -> String? {
        if let env = ProcessInfo.processInfo.environment[environmentVariable], !env.isEmpty { return env }
        var candidates: [String] = []
        let exe = URL(fileURLWithPath: executablePath).resolvingSymlinksInPath()
        var dir = exe.deletingLastPathComponent()
        for _ in 0..<5 {
            candidates.append(dir.appendingPathComponent("Potentials").path)
            dir = dir.deletingLastPathComponent()
        }
        candidates.append(FileManager.default.currentDirectoryPath + "/Potentials")
        return candidates.first { FileManager.default.fileExists(atPath: $0 + "/model.h5") }
    }

    /// Host potentials shipped in `<directory>/hosts/<Symbol>.potential`.
    public static func shippedHosts(in directory: String) -> [String] {
        let files = (try? FileManager.default.contentsOfDirectory(atPath: directory + "/hosts")) ?? []
        return files.filter { $0.hasSuffix(".potential") }.map { String($0.dropLast(".potential".count)) }.sorted()
    }

    static func element(_ symbol: String, role: String) throws -> Element {
        do {
            return try PeriodicTable.element(symbol: symbol)
        } catch {
            throw PredictPotentialError("unknown \(role) element '\(symbol)': give a chemical symbol such as Cu or Fe")
        }
    }

    public static func run(_ o: PredictPotentialOptions) throws -> PredictPotentialResult {
        let t0 = Date()
        let host = try element(o.host, role: "host")
        let impurity = try element(o.impurity, role: "impurity")
        guard o.spinCount == 1 || o.spinCount == 2 else { throw PredictPotentialError("spin count must be 1 or 2") }
        let scoefPath = o.resolvedScoefPath
        if !o.force {
            for p in [o.outputPath, scoefPath] where FileManager.default.fileExists(atPath: p) {
                throw PredictPotentialError("\(p) exists; use --force to overwrite")
            }
        }
        // Model and host potential locations.
        let shippedDirectory = potentialsDirectory()
        guard let modelPath = o.modelPath ?? shippedDirectory.map({ $0 + "/model.h5" }) else {
            throw PredictPotentialError("no model: pass --model FILE, or set \(environmentVariable) to the directory with "
                + "model.h5 and hosts/ (the repository's Potentials/)")
        }
        let predictor: EmulatorPredictor
        do {
            predictor = try EmulatorPredictor.load(modelPath)
        } catch {
            throw PredictPotentialError("cannot use the model \(modelPath): \(error)")
        }
        let hostPath: String
        if let p = o.hostPotentialPath {
            hostPath = p
        } else {
            let dir = o.modelPath == nil ? shippedDirectory : (shippedDirectory ?? ((modelPath as NSString).deletingLastPathComponent))
            let candidate = (dir ?? ".") + "/hosts/\(host.symbol).potential"
            guard FileManager.default.fileExists(atPath: candidate) else {
                let available = dir.map(shippedHosts(in:)) ?? []
                throw PredictPotentialError("no shipped host potential for \(host.symbol) (looked for \(candidate)); available: "
                    + (available.isEmpty ? "none" : available.joined(separator: ", "))
                    + ". Pass a converged host potential with --host-potential FILE (kkr-emulator host … -o FILE)")
            }
            hostPath = candidate
        }

        // Host potential file → the host as the emulator sees it.
        let hostInput = try readHost(path: hostPath, shapefun: o.shapefunPath, host: host, latticeName: o.lattice)
        let c = predictor.model.configuration
        let shells = o.shells ?? c.shellCount
        guard shells >= 1, shells <= c.shellCount else {
            throw PredictPotentialError("--shells \(shells): the model predicts the impurity and \(c.shellCount) shell(s); use 1…\(c.shellCount)")
        }
        let prediction: EmulatorHostPrediction
        do {
            prediction = try predictor.predict(host: hostInput.emulatorHost, impurity: impurity, spinCount: o.spinCount)
        } catch {
            throw PredictPotentialError("cannot predict \(impurity.symbol) in \(host.symbol): \(error)")
        }
        let sites = (0..<prediction.siteCount).filter { prediction.shells[$0] <= shells }

        // Warnings: chemical space and uncertainty.
        var warnings = prediction.chemicalSpace.map { "outside the trained chemical space: \($0)" }
        let sigma = prediction.sigma(site: 0)
        let reference = predictor.model.provenance["referenceImpuritySigmaRy"].flatMap(Double.init)
        if let reference, sigma.total > o.sigmaWarningFactor * reference {
            warnings.append(String(format: "large predictive uncertainty: rms σ of ΔV on the impurity site %.3g Ry is %.1f× the "
                                   + "typical training value %.3g Ry; treat the start with care (or use the atomic start)",
                                   sigma.total, sigma.total / reference, reference))
        }
        var notes = hostInput.notes

        // ΔV on the file's mesh per site and spin; impurity substitution; cluster.
        let a = hostInput.emulatorHost.lattice.latticeConstantBohr
        let clusterSites = sites.map { i -> PotentialIO.ImpurityCluster.Site in
            let p = prediction.positionsBohr[i] / a
            return .init(positionAlat: [p.x, p.y, p.z], hostSiteNumber: 1, hostNuclearCharge: Double(host.atomicNumber),
                         distanceAlat: (p.x * p.x + p.y * p.y + p.z * p.z).squareRoot())
        }
        let cluster = PotentialIO.ImpurityCluster(sites: clusterSites)
        let hostFile = try spinExpanded(hostInput.file, spinCount: o.spinCount)
        let hostBlock = hostFile.blocks[0]
        let lmMax = hostBlock.fullPotential.map { $0.lmpot } ?? 1
        let deltas = try sites.map { i -> SiteDelta in
            let dv = try prediction.potentialChange(site: i)
            return SiteDelta(spins: try (0..<o.spinCount).map { s in
                try hostInput.delta(dv, spin: s, block: hostBlock, lmpot: lmMax)
            })
        }
        if lmMax == 1 && c.targetLMax > 0 {
            notes.append("the host file is spherical (INS = 0): only the spherical ΔV is written (the model's l = 1…\(c.targetLMax) "
                + "components need a full-potential host file)")
        }
        let lmax = Self.runLmax(lmpot: lmMax)
        let cores = try coreLines(impurity, fermiEnergyRy: hostBlock.fermiEnergyRy, lmax: lmax,
                                  contourBottomBelowFermiRy: defaultContourDepthRy, notes: &notes)
        let out = try PotentialFile.clusterPotential(
            host: hostFile, cluster: cluster,
            impurity: .substitution(nuclearCharge: Double(impurity.atomicNumber),
                                    label: PotentialTitle.label(symbol: impurity.symbol, atomicNumber: impurity.atomicNumber),
                                    coreLevels: cores),
            perSiteDelta: deltas)
        let problems = out.kkrimpCompatibilityProblems()
        guard problems.isEmpty else {
            throw PredictPotentialError("the assembled potential would be rejected by KKRimp: " + problems.joined(separator: "; "))
        }
        try out.write(to: o.outputPath, overwrite: o.force)
        try cluster.write(to: scoefPath, overwrite: o.force)

        let props = prediction.properties(site: 0)
        let dv0 = try prediction.potentialChange(site: 0)
        let shellSigma = prediction.shells.firstIndex(of: 1).map { prediction.sigma(site: $0) }
        return PredictPotentialResult(
            host: host.symbol, impurity: impurity.symbol, modelPath: modelPath, hostPotentialPath: hostPath,
            outputPath: o.outputPath, scoefPath: scoefPath, sites: sites.count, spinCount: o.spinCount,
            latticeConstantBohr: a, lattice: hostInput.emulatorHost.lattice.type.rawValue,
            impurityMoment: props.map { ($0.moment, $0.momentSigma) }, impurityNetCharge: props.map { ($0.charge, $0.chargeSigma) },
            impuritySigma: sigma, shellSigma: shellSigma, referenceSigmaRy: reference,
            impurityDeltaV: dv0.rmsSize, correctionToStart: try prediction.start.map { try dv0.rmsDifference(to: $0) },
            insideChemicalSpace: prediction.chemicalSpace.isEmpty, warnings: warnings, notes: notes,
            wallSeconds: Date().timeIntervalSince(t0))
    }

    // MARK: Host file

    /// A host potential file prepared for the emulator.
    struct HostInput {
        var file: PotentialFile
        var siteMesh: SiteMesh
        var emulatorHost: EmulatorHost
        var latticeConstantBohr: Double
        var notes: [String]

        /// ΔV of spin s on the file's mesh as a `PotentialDelta`: spherical Δvm2z = ΔV_00/√4π on
        /// all points; lm ≥ 2 components on the outer IRNS+1 points (full-potential files).
        /// The emulator's mesh is exponential up to the sphere radius R; beyond R (cell corners
        /// of a full-potential mesh) ΔV is continued with its value at R.
        func delta(_ dv: SitePotentialChange, spin s: Int, block: PotentialBlock, lmpot: Int) throws -> PotentialDelta {
            let mesh = dv.mesh
            let values = s == 0 ? dv.up : dv.down
            func onFile(_ f: [Double]) throws -> [Double] {
                try siteMesh.r.map { r in r >= mesh.rmax ? f[mesh.count - 1] : try mesh.interpolate(f, at: r) }
            }
            let sph = try onFile(values[0]).map { $0 / NuclearTerm.sphericalAverageToL00 }
            var ns: [LMIndex: [Double]] = [:]
            if let fp = block.fullPotential {
                for lm in 1..<min(values.count, lmpot) {
                    let (l, m) = lmPair(lm)
                    let v = try onFile(values[lm])
                    let outer = Array(v.suffix(fp.irns + 1))
                    if outer.contains(where: { abs($0) > 1e-12 }) { ns[LMIndex(l: l, m: m)] = outer }
                }
            }
            return PotentialDelta(sphericalRy: sph, nonSphericalRy: ns)
        }
    }

    static func readHost(path: String, shapefun: String?, host: Element, latticeName: String?) throws -> HostInput {
        let file: PotentialFile
        do {
            file = try PotentialFile.read(path: path)
        } catch {
            throw PredictPotentialError("cannot read the host potential: \(error)")
        }
        guard file.siteCount == 1 else {
            throw PredictPotentialError("\(path): \(file.siteCount) sites; the emulator supports one-site (Bravais) hosts, "
                + "i.e. one block per spin")
        }
        let block = file.blocks[0]
        guard block.nuclearCharge == Double(host.atomicNumber) else {
            throw PredictPotentialError(String(format: "%@: the host potential has Z = %g (%@), not the host %@ (Z = %d): wrong file?",
                                               path, block.nuclearCharge, block.label, host.symbol, host.atomicNumber))
        }
        let typeName = latticeName ?? HostCatalog.entry(for: host)?.lattice
        guard let typeName, let type = LatticeType(rawValue: typeName.lowercased()), type != .sc else {
            throw PredictPotentialError("\(host.symbol): unknown host lattice; pass --lattice fcc or bcc")
        }
        let alat = block.latticeConstantBohr
        let lattice: CrystalLattice
        do { lattice = try CrystalLattice(type, latticeConstantBohr: alat) } catch {
            throw PredictPotentialError("\(path): ALAT = \(alat) bohr is not a valid lattice constant: \(error)")
        }
        let rws = lattice.wignerSeitzRadiusBohr
        guard abs(block.wignerSeitzRadiusBohr - rws) <= 1e-3 * rws else {
            throw PredictPotentialError(String(format: "%@: RWS = %.6f bohr does not match the Wigner–Seitz radius %.6f bohr of %@ %@ "
                                               + "with ALAT = %.6f bohr (wrong lattice? pass --lattice; or not a potential of this host)",
                                               path, block.wignerSeitzRadiusBohr, rws, type.rawValue, host.symbol, alat))
        }
        var shape: ShapeCell?
        if block.isFullPotential, let shapefun {
            do {
                let s = try ShapeFunctionFile.read(path: shapefun)
                guard let cell = s.cells.first else { throw PredictPotentialError("\(shapefun): no shape cell") }
                shape = cell
            } catch let e as PredictPotentialError { throw e } catch {
                throw PredictPotentialError("cannot read the shape functions: \(error)")
            }
        }
        let siteMesh: SiteMesh
        do { siteMesh = try SiteMesh(block: block, shape: shape) } catch {
            throw PredictPotentialError("\(path): \(error)" + (block.isFullPotential && shapefun == nil ? " (pass --shapefun)" : ""))
        }
        let site: SitePotential
        do { site = try SitePotential(blocks: file.blocks(ofSite: 0), mesh: siteMesh) } catch {
            throw PredictPotentialError("\(path): \(error)")
        }
        var notes: [String] = []
        let potential: SphericalPotential
        if !siteMesh.isFullPotential {
            guard abs(siteMesh.rmax - rws) <= 1e-3 * rws else {
                throw PredictPotentialError(String(format: "%@: the mesh ends at %.6f bohr, not at RWS = %.6f bohr", path, siteMesh.rmax, rws))
            }
            potential = try SphericalPotential(site: site)
        } else {
            // Exponential mesh with the file's A up to R_WS; r·vm2z interpolated from the file's
            // mesh (cubic on the exponential part, linear on the shape-function panels).
            let mesh = try RadialMesh.covering(rmax: rws, firstPoint: siteMesh.r[1], a: siteMesh.a)
            potential = SphericalPotential(atomicNumber: host.atomicNumber, mesh: mesh,
                                           smooth: try site.spins.map { try interpolate($0.vm2zRy, from: siteMesh, onto: mesh) })
            notes.append(String(format: "full-potential host: ΔV is predicted on the ASA sphere (R_WS = %.4f bohr) and continued "
                                + "with its value at R_WS beyond it (cell corners up to %.4f bohr)", rws, siteMesh.rmax))
        }
        let xc = block.exchangeCorrelationName ?? ""
        let functional = xc.lowercased().contains("perdew") ? "pw92" : "vwn"
        let guardContext = SemicoreGuardContext(fermiEnergyRy: block.fermiEnergyRy,
                                                lmax: runLmax(lmpot: block.fullPotential.map { $0.lmpot } ?? 1))
        return HostInput(file: file, siteMesh: siteMesh,
                         emulatorHost: try EmulatorHost(element: host, lattice: lattice, potential: potential, functional: functional,
                                                        semicoreGuard: guardContext),
                         latticeConstantBohr: alat, notes: notes)
    }

    /// f tabulated on a (possibly full-potential) site mesh, interpolated onto an exponential
    /// mesh via r·f: cubic in the index on the exponential part, linear in r on the panels.
    static func interpolate(_ f: [Double], from site: SiteMesh, onto mesh: RadialMesh) throws -> [Double] {
        let exp = site.exponentialPart
        let rf = zip(site.r, f).map { $0 * $1 }
        let rfExp = Array(rf.prefix(exp.count))
        return try mesh.r.map { r -> Double in
            if r == 0 { return f[0] }
            let v: Double
            if r <= exp.rmax {
                v = try exp.interpolate(rfExp, at: r)
            } else {
                guard let j = site.r.indices.dropFirst(exp.count).first(where: { site.r[$0] >= r }) else { return rf.last! / r }
                let (r0, r1) = (site.r[j - 1], site.r[j])
                v = r1 > r0 ? rf[j - 1] + (rf[j] - rf[j - 1]) * (r - r0) / (r1 - r0) : rf[j]
            }
            return v / r
        }
    }

    /// A spin-polarised copy of a non-polarised file (each block twice, titled SPIN DOWN / SPIN UP),
    /// or the file itself when it already has `spinCount` spins; a polarised file is averaged
    /// for spinCount 1.
    static func spinExpanded(_ file: PotentialFile, spinCount: Int) throws -> PotentialFile {
        if file.spinCount == spinCount { return file }
        var blocks: [PotentialBlock] = []
        if spinCount == 2 {
            for b in file.blocks {
                for spin in [PotentialIO.SpinChannel.down, .up] {
                    var c = b
                    c.title = PotentialTitle.make(label: b.label, spin: spin, exchangeCorrelation: b.exchangeCorrelationName ?? "",
                                                  serial: "kkr-emulator")
                    blocks.append(c)
                }
            }
        } else {
            for site in 0..<file.siteCount {
                let pair = file.blocks(ofSite: site)
                var c = pair[0]
                c.vm2zRy = zip(pair[0].vm2zRy, pair[1].vm2zRy).map { ($0 + $1) / 2 }
                for (k, comp) in c.nonSpherical.enumerated() {
                    if let other = pair[1].component(comp.lm) {
                        c.nonSpherical[k].valuesRy = zip(comp.valuesRy, other).map { ($0 + $1) / 2 }
                    }
                }
                c.title = PotentialTitle.make(label: c.label, spin: .unpolarized, exchangeCorrelation: c.exchangeCorrelationName ?? "",
                                              serial: "kkr-emulator")
                blocks.append(c)
            }
        }
        return try PotentialFile(blocks: blocks, spinCount: spinCount)
    }

    /// Core-level lines of the impurity: the core sub-shells of the free atom as the impurity
    /// solver chooses them (`HostCalculation.coreAndValence`: more than 1.2 Ry below the highest
    /// occupied level, and occupied shells with l > lmax), with starting energies = the atom's
    /// eigenvalues shifted so that its highest occupied level sits at E_F, and at most
    /// EMIN − 0.05 Ry (EMIN = E_F − contour depth: KKRimp needs all core levels below the
    /// contour, FORMATS.md §1c step 5).
    static func coreLines(_ impurity: Element, fermiEnergyRy: Double, lmax: Int, contourBottomBelowFermiRy: Double,
                          notes: inout [String]) throws -> [CoreLevelLine] {
        let d = HostSettings(elementSymbol: impurity.symbol, lattice: "fcc", latticeConstantBohr: 6.82)
        let atom = try FreeAtomCache.shared.atom(impurity, functional: d.functional, relativity: d.relativity,
                                                 speedOfLight: d.speedOfLight)
        let (core, _) = HostCalculation.coreAndValence(atom, lmax: lmax)
        let homo = atom.orbitals.filter { $0.occupation > 0 }.map(\.energyRy).max() ?? 0
        let emin = fermiEnergyRy - contourBottomBelowFermiRy
        var lines: [CoreLevelLine] = []
        var clamped: [String] = []
        for c in core.sorted(by: { ($0.l, $0.n) < ($1.l, $1.n) }) {
            guard let e = atom.eigenvalueRy(n: c.n, l: c.l) else { continue }
            var shifted = e - homo + fermiEnergyRy
            if shifted > emin - 0.05 {
                clamped.append("\(c.n)\(Orbital.letter(c.l))")
                shifted = emin - 0.05
            }
            lines.append(CoreLevelLine(l: c.l, energyRy: shifted))
        }
        if !clamped.isEmpty {
            notes.append("core levels \(clamped.joined(separator: ", ")) of \(impurity.symbol) start at EMIN − 0.05 Ry "
                + "(their free-atom energy lies above the contour bottom; the core solver relaxes them)")
        }
        return lines
    }
}

extension PredictPotential {
    /// LMAX of the run for a host file with LMPOT components: LPOT/2 of a full-potential file,
    /// else the database's l_max.
    static func runLmax(lmpot: Int) -> Int {
        lmpot > 1 ? (Int(Double(lmpot).squareRoot().rounded()) - 1) / 2 : DatasetPreset.standard.lmax
    }

    /// Depth of the energy contour below E_F (Ry) of the project's host settings (EMIN = E_F − depth).
    static let defaultContourDepthRy = HostSettings(elementSymbol: "Cu", lattice: "fcc", latticeConstantBohr: 6.82).contourBottomBelowFermiRy

    /// Writes the converged host of a host cache file (`HostFile`, e.g. `<db>/hostcache/*.h5`
    /// of `dataset generate`) as a JuKKR potential file with its lm components (l ≥ 1, the
    /// project's ASA layout with IRNS + 1 = NR): the host potentials shipped in
    /// `Potentials/hosts/` are exactly the hosts the model was trained on.
    public static func writeHostPotential(hostFile: String, to path: String, overwrite: Bool = false) throws -> String {
        let host = try HostFile.readHost(path: hostFile)
        let s = host.settings
        let lpot = 2 * s.lmax
        let nonSpherical = host.nonSpherical.map { perSpin -> [LMIndex: [Double]] in
            var d: [LMIndex: [Double]] = [:]
            for lm in 1..<perSpin.count where perSpin[lm].contains(where: { abs($0) > 1e-10 }) {
                let (l, m) = lmPair(lm)
                d[LMIndex(l: l, m: m)] = perSpin[lm]
            }
            return d
        }
        let site = host.potential.sitePotential(latticeConstantBohr: s.latticeConstantBohr, fermiEnergyRy: host.fermiEnergyRy,
                                                coreLevels: host.coreLevels,
                                                exchangeCorrelationName: s.functional == "pw92" ? "Perdew,Wang" : "Vosko,Wilk,Nusair",
                                                nonSpherical: nonSpherical, lmpot: (lpot + 1) * (lpot + 1),
                                                vbcRy: try host.potentialZeroShiftRy())
        let file = try PotentialFile(blocks: try site.potentialBlocks(), spinCount: host.potential.spinCount)
        try file.write(to: path, overwrite: overwrite)
        return String(format: "%@ %@ a = %.4f bohr, l_max %d, %@, E_F = %.6f Ry, %d SCF iterations (rms %.1e)",
                      s.elementSymbol, s.lattice, s.latticeConstantBohr, s.lmax, s.spinPolarized ? "spin-polarised" : "non-polarised",
                      host.fermiEnergyRy, host.iterations, host.finalRms)
    }
}
