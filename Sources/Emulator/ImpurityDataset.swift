import Foundation
import Elements
import KKRNumerics
import Lattice
import Radial
import Storage

/// What to do when two records have the same (host, impurity) key.
public enum DuplicatePolicy: Sendable, Equatable {
    /// Throw `EmulatorError.duplicateRecord` (default).
    case error
    /// Keep the record seen first (earlier shard, or the file's own record when appending).
    case keepFirst
    /// Keep the record seen last.
    case keepLast
}

/// The training data set in HDF5 (layout in docs/emulator.md §6). Every write goes to a temporary
/// file that is moved into place (`HDF5File.writeAtomically`), so a crash never leaves a
/// half-written data set.
public enum ImpurityDataset {
    public static let formatName = "kkr-emulator-dataset"
    public static let formatVersion = 1

    /// Writes `records` (keys must be unique) and `splits` to a new file at `path`.
    public static func write(_ records: [ImpurityRecord], splits: [DatasetSplit] = [], to path: String,
                             overwrite: Bool = false) throws {
        let keys = records.map(\.key)
        if let dup = Dictionary(grouping: keys, by: { $0 }).first(where: { $0.value.count > 1 })?.key {
            throw EmulatorError.duplicateRecord(key: dup, detail: "appears more than once in the records to write")
        }
        for r in records { try r.validate() }
        try HDF5File.writeAtomically(to: path, overwrite: overwrite) { file in
            try file.setAttribute("format", formatName)
            try file.setAttribute("formatVersion", Int64(formatVersion))
            try file.createGroup("records")
            for r in records { try writeRecord(r, to: file, at: "records/\(r.key)") }
            for s in splits { try writeSplit(s, to: file) }
        }
    }

    /// All records, sorted by key.
    public static func read(_ path: String) throws -> [ImpurityRecord] {
        try HDF5File.withFile(path) { file in
            try checkHeader(file)
            return try file.children(of: "records").map { try readRecord(file, at: "records/\($0)") }
        }
    }

    /// The stored splits (possibly none).
    public static func readSplits(_ path: String) throws -> [DatasetSplit] {
        try HDF5File.withFile(path) { file in
            try checkHeader(file)
            guard try file.exists("splits") else { return [] }
            return try file.children(of: "splits").map { try readSplit(file, name: $0) }
        }
    }

    /// Adds records to a data set (creating it if missing), keeping every existing record and
    /// the stored splits (which do not contain the new keys; recompute them). The file is
    /// rewritten atomically.
    public static func append(_ records: [ImpurityRecord], to path: String, duplicates: DuplicatePolicy = .error) throws {
        guard FileManager.default.fileExists(atPath: path) else {
            try write(records, to: path)
            return
        }
        let existing = try read(path)
        let splits = try readSplits(path)
        let combined = try combine([(path, existing), ("new records", records)], duplicates: duplicates)
        try write(combined.records, splits: splits, to: path, overwrite: true)
    }

    /// Result of a merge.
    public struct MergeReport: Sendable, Equatable {
        public let recordCount: Int
        /// Keys found in more than one input, with the file whose record was kept.
        public let duplicates: [(key: String, keptFrom: String)]

        public static func == (a: MergeReport, b: MergeReport) -> Bool {
            a.recordCount == b.recordCount && a.duplicates.map(\.key) == b.duplicates.map(\.key)
                && a.duplicates.map(\.keptFrom) == b.duplicates.map(\.keptFrom)
        }
    }

    /// Merges shard files (e.g. one per Slurm array task) into one data set, detecting duplicate
    /// (host, impurity) keys. Splits of the shards are not carried over.
    @discardableResult
    public static func merge(shards: [String], into path: String, duplicates: DuplicatePolicy = .error,
                             overwrite: Bool = false) throws -> MergeReport {
        guard !shards.isEmpty else { throw EmulatorError.invalidInput("merge: no shard files given") }
        let inputs = try shards.map { ($0, try read($0)) }
        let combined = try combine(inputs, duplicates: duplicates)
        try write(combined.records, to: path, overwrite: overwrite)
        return MergeReport(recordCount: combined.records.count, duplicates: combined.duplicates)
    }

    static func combine(_ inputs: [(String, [ImpurityRecord])],
                        duplicates policy: DuplicatePolicy) throws -> (records: [ImpurityRecord], duplicates: [(key: String, keptFrom: String)]) {
        var byKey: [String: (record: ImpurityRecord, source: String)] = [:]
        var order: [String] = []
        var dups: [(key: String, keptFrom: String)] = []
        for (source, records) in inputs {
            for r in records {
                if let old = byKey[r.key] {
                    switch policy {
                    case .error:
                        throw EmulatorError.duplicateRecord(key: r.key, detail: "in \(old.source) and in \(source); "
                            + "pass duplicates: .keepFirst or .keepLast to choose one")
                    case .keepFirst:
                        dups.append((r.key, old.source))
                    case .keepLast:
                        byKey[r.key] = (r, source)
                        dups.append((r.key, source))
                    }
                } else {
                    byKey[r.key] = (r, source)
                    order.append(r.key)
                }
            }
        }
        return (order.sorted().map { byKey[$0]!.record }, dups)
    }

    // MARK: - Header

    static func checkHeader(_ file: HDF5File) throws {
        guard try file.hasAttribute("format"), try file.stringAttribute("format") == formatName else {
            throw EmulatorError.corruptFile(file: file.path, detail: "not a kkr-emulator data set (root attribute format ≠ \(formatName))")
        }
        let version = Int(try file.attribute("formatVersion", as: Int64.self))
        guard version == formatVersion else {
            throw EmulatorError.unsupportedVersion(file: file.path, kind: "data set", found: version, supported: formatVersion)
        }
        guard try file.exists("records") else {
            throw EmulatorError.corruptFile(file: file.path, detail: "group /records is missing")
        }
    }

    // MARK: - Records

    static func writeRecord(_ r: ImpurityRecord, to file: HDF5File, at path: String) throws {
        try file.createGroup(path)
        try file.setAttribute("host", r.host.symbol, on: path)
        try file.setAttribute("impurity", r.impurity.symbol, on: path)
        try file.setAttribute("lattice", r.lattice.rawValue, on: path)
        try file.setAttribute("latticeConstantBohr", r.latticeConstantBohr, on: path)
        try file.createGroup("\(path)/provenance")
        for (k, v) in r.provenance.sorted(by: { $0.key < $1.key }) { try file.setAttribute(k, v, on: "\(path)/provenance") }
        let n = r.sites.count
        try file.write(r.sites.flatMap { [$0.positionInUnitsOfA.x, $0.positionInUnitsOfA.y, $0.positionInUnitsOfA.z] },
                       shape: [n, 3], to: "\(path)/positionsInUnitsOfA")
        try file.write(r.sites.map(\.element.symbol), to: "\(path)/elements")
        try file.write(r.sites.map(\.momentBohrMagneton), to: "\(path)/momentsBohrMagneton")
        try file.write(r.sites.map(\.netChargeElectrons), to: "\(path)/netChargesElectrons")
        for (i, s) in r.sites.enumerated() { try writePotential(s.potential, to: file, at: "\(path)/sites/\(siteName(i))") }
        if let scf = r.scf {
            try file.write(scf.rms, to: "\(path)/scf/rms")
            for (it, sites) in scf.iterates.enumerated() {
                for (i, p) in sites.enumerated() {
                    try writePotential(p, to: file, at: "\(path)/scf/iterates/\(String(format: "%04d", it))/sites/\(siteName(i))")
                }
            }
        }
    }

    static func siteName(_ i: Int) -> String { String(format: "%03d", i) }

    static func readRecord(_ file: HDF5File, at path: String) throws -> ImpurityRecord {
        func fail(_ detail: String) -> EmulatorError { .corruptFile(file: file.path, detail: "\(path): \(detail)") }
        let host = try element(try file.stringAttribute("host", of: path), file: file, path: path)
        let impurity = try element(try file.stringAttribute("impurity", of: path), file: file, path: path)
        let latticeName = try file.stringAttribute("lattice", of: path)
        guard let lattice = LatticeType(rawValue: latticeName) else { throw fail("unknown lattice type '\(latticeName)'") }
        let a = try file.attribute("latticeConstantBohr", of: path, as: Double.self)
        var provenance: [String: String] = [:]
        for k in try file.attributeNames(of: "\(path)/provenance") {
            provenance[k] = try file.stringAttribute(k, of: "\(path)/provenance")
        }
        let positions = try file.read(Double.self, from: "\(path)/positionsInUnitsOfA")
        let n = positions.shape.first ?? 0
        guard positions.shape == [n, 3] else { throw fail("positionsInUnitsOfA has shape \(positions.shape), expected [n, 3]") }
        let elements = try file.readStrings(from: "\(path)/elements").values
        let moments = try file.read(Double.self, from: "\(path)/momentsBohrMagneton").values
        let charges = try file.read(Double.self, from: "\(path)/netChargesElectrons").values
        guard elements.count == n, moments.count == n, charges.count == n else {
            throw fail("per-site arrays disagree on the number of sites (\(n) positions, \(elements.count) elements, "
                + "\(moments.count) moments, \(charges.count) charges)")
        }
        let siteNames = try file.children(of: "\(path)/sites")
        guard siteNames == (0..<n).map(siteName) else { throw fail("sites/ holds \(siteNames), expected 000…\(siteName(n - 1))") }
        var sites: [ImpuritySiteRecord] = []
        for i in 0..<n {
            let p = Vector3(positions.values[3 * i], positions.values[3 * i + 1], positions.values[3 * i + 2])
            sites.append(ImpuritySiteRecord(element: try element(elements[i], file: file, path: path), positionInUnitsOfA: p,
                                            momentBohrMagneton: moments[i], netChargeElectrons: charges[i],
                                            potential: try readPotential(file, at: "\(path)/sites/\(siteName(i))")))
        }
        var scf: SCFHistory?
        if try file.exists("\(path)/scf") {
            let rms = try file.read(Double.self, from: "\(path)/scf/rms").values
            var iterates: [[SitePotentialData]] = []
            if try file.exists("\(path)/scf/iterates") {
                for it in try file.children(of: "\(path)/scf/iterates") {
                    let base = "\(path)/scf/iterates/\(it)/sites"
                    iterates.append(try file.children(of: base).map { try readPotential(file, at: "\(base)/\($0)") })
                }
            }
            scf = SCFHistory(rms: rms, iterates: iterates)
        }
        let record = ImpurityRecord(host: host, impurity: impurity, lattice: lattice, latticeConstantBohr: a, sites: sites,
                                    provenance: provenance, scf: scf)
        guard path.hasSuffix("/" + record.key) else { throw fail("group name does not match its key \(record.key)") }
        return record
    }

    static func element(_ symbol: String, file: HDF5File, path: String) throws -> Element {
        do { return try PeriodicTable.element(symbol: symbol) } catch {
            throw EmulatorError.corruptFile(file: file.path, detail: "\(path): \(error)")
        }
    }

    // MARK: - Potentials

    static func writePotential(_ p: SitePotentialData, to file: HDF5File, at path: String) throws {
        try file.createGroup(path)
        switch p {
        case .onMesh(let v):
            try file.setAttribute("storage", "mesh", on: path)
            try file.setAttribute("lMax", Int64(v.lMax), on: path)
            try file.setAttribute("meshA", v.mesh.a, on: path)
            try file.setAttribute("meshB", v.mesh.b, on: path)
            try file.setAttribute("meshCount", Int64(v.mesh.count), on: path)
            try file.setAttribute("sphereRadiusBohr", v.mesh.rmax, on: path)
            let values = v.up.flatMap { $0 } + v.down.flatMap { $0 }
            try file.write(values, shape: [2, lmCount(v.lMax), v.mesh.count], to: "\(path)/deltaV")
        case .projected(let c, let basis):
            try file.setAttribute("storage", "projected", on: path)
            try file.setAttribute("lMax", Int64(c.lMax), on: path)
            try file.write(c.coefficients, shape: [2, lmCount(c.lMax), c.basisCount], to: "\(path)/coefficients")
            try writeBasis(basis, to: file, at: "\(path)/basis")
        }
    }

    static func readPotential(_ file: HDF5File, at path: String) throws -> SitePotentialData {
        func fail(_ detail: String) -> EmulatorError { .corruptFile(file: file.path, detail: "\(path): \(detail)") }
        let storage = try file.stringAttribute("storage", of: path)
        let lMax = Int(try file.attribute("lMax", of: path, as: Int64.self))
        guard lMax >= 0, lMax <= 20 else { throw fail("lMax = \(lMax) out of range") }
        let nLM = lmCount(lMax)
        switch storage {
        case "mesh":
            let a = try file.attribute("meshA", of: path, as: Double.self)
            let b = try file.attribute("meshB", of: path, as: Double.self)
            let count = Int(try file.attribute("meshCount", of: path, as: Int64.self))
            let rmax = try file.attribute("sphereRadiusBohr", of: path, as: Double.self)
            let mesh: RadialMesh
            do {
                // Meshes made from (a, b, N) reproduce exactly; meshes made to end at R are rebuilt that way.
                let direct = try RadialMesh(a: a, b: b, count: count)
                mesh = direct.rmax == rmax ? direct : try RadialMesh(rmax: rmax, a: a, count: count)
            } catch { throw fail("invalid radial mesh: \(error)") }
            guard abs(mesh.b - b) <= 1e-12 * b else { throw fail("mesh parameters a, b, N and r_max are inconsistent") }
            let v = try file.read(Double.self, from: "\(path)/deltaV")
            guard v.shape == [2, nLM, count] else { throw fail("deltaV has shape \(v.shape), expected [2, \(nLM), \(count)]") }
            let half = nLM * count
            func split(_ offset: Int) -> [[Double]] {
                (0..<nLM).map { lm in Array(v.values[(offset + lm * count)..<(offset + (lm + 1) * count)]) }
            }
            return .onMesh(try SitePotentialChange(mesh: mesh, lMax: lMax, up: split(0), down: split(half)))
        case "projected":
            let c = try file.read(Double.self, from: "\(path)/coefficients")
            guard c.rank == 3, c.shape[0] == 2, c.shape[1] == nLM else {
                throw fail("coefficients have shape \(c.shape), expected [2, \(nLM), K]")
            }
            let basis = try readBasis(file, at: "\(path)/basis")
            guard c.shape[2] == basis.count else { throw fail("coefficients have K = \(c.shape[2]), the basis \(basis.count)") }
            return .projected(try ProjectedSitePotential(lMax: lMax, basisCount: basis.count, coefficients: c.values), basis: basis)
        default:
            throw fail("unknown potential storage '\(storage)' (expected mesh or projected)")
        }
    }

    /// Radial basis: attributes kind, primitiveCount; dataset combination [M, K] (row-major).
    static func writeBasis(_ basis: RadialTargetBasis, to file: HDF5File, at path: String) throws {
        try file.createGroup(path)
        try file.setAttribute("kind", basis.kind.rawValue, on: path)
        try file.setAttribute("primitiveCount", Int64(basis.primitiveCount), on: path)
        try file.setAttribute("definition", "phi_k(s) = sum_m U[m,k] sqrt(2m+3) P_m^(0,2)(2s-1), s = r/R, "
                              + "orthonormal with weight s^2 on [0,1]", on: path)
        let m = basis.primitiveCount, k = basis.count
        var rowMajor = [Double](repeating: 0, count: m * k)
        for r in 0..<m { for c in 0..<k { rowMajor[r * k + c] = basis.combination[r + c * m] } }
        try file.write(rowMajor, shape: [m, k], to: "\(path)/combination")
    }

    static func readBasis(_ file: HDF5File, at path: String) throws -> RadialTargetBasis {
        let kindName = try file.stringAttribute("kind", of: path)
        guard let kind = RadialTargetBasis.Kind(rawValue: kindName) else {
            throw EmulatorError.corruptFile(file: file.path, detail: "\(path): unknown radial basis kind '\(kindName)'")
        }
        let u = try file.read(Double.self, from: "\(path)/combination")
        guard u.rank == 2 else {
            throw EmulatorError.corruptFile(file: file.path, detail: "\(path)/combination has shape \(u.shape), expected [M, K]")
        }
        let m = u.shape[0], k = u.shape[1]
        guard Int(try file.attribute("primitiveCount", of: path, as: Int64.self)) == m else {
            throw EmulatorError.corruptFile(file: file.path, detail: "\(path): primitiveCount disagrees with the combination shape")
        }
        var columnMajor = [Double](repeating: 0, count: m * k)
        for r in 0..<m { for c in 0..<k { columnMajor[r + c * m] = u.values[r * k + c] } }
        do {
            return try RadialTargetBasis(kind: kind, primitiveCount: m, combination: columnMajor, count: k)
        } catch {
            throw EmulatorError.corruptFile(file: file.path, detail: "\(path): \(error)")
        }
    }

    // MARK: - Splits

    static func writeSplit(_ s: DatasetSplit, to file: HDF5File) throws {
        let path = "splits/\(s.name)"
        try file.createGroup(path)
        try file.setAttribute("kind", s.kind.rawValue, on: path)
        try file.setAttribute("seed", Int64(bitPattern: s.seed), on: path)
        try file.write(s.keys, to: "\(path)/keys")
        try file.write(s.folds.map { Int64($0) }, to: "\(path)/folds")
    }

    static func readSplit(_ file: HDF5File, name: String) throws -> DatasetSplit {
        let path = "splits/\(name)"
        let kindName = try file.stringAttribute("kind", of: path)
        guard let kind = SplitKind(rawValue: kindName) else {
            throw EmulatorError.corruptFile(file: file.path, detail: "\(path): unknown split kind '\(kindName)'")
        }
        let seed = UInt64(bitPattern: try file.attribute("seed", of: path, as: Int64.self))
        let keys = try file.readStrings(from: "\(path)/keys").values
        let folds = try file.read(Int64.self, from: "\(path)/folds").values.map { Int($0) }
        do {
            return try DatasetSplit(name: name, kind: kind, seed: seed, keys: keys, folds: folds)
        } catch {
            throw EmulatorError.corruptFile(file: file.path, detail: "\(path): \(error)")
        }
    }
}
