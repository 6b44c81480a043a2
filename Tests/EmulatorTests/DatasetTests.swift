import Foundation
import Elements
import KKRNumerics
import Lattice
import Radial
import Storage
import Testing
@testable import Emulator

/// The HDF5 data set: round trip, append, merge with duplicate detection, splits, clear errors.
@Suite struct DatasetTests {
    /// A synthetic fcc record (impurity + first shell, 13 sites) with mesh potentials, or
    /// projected ones on a Jacobi basis, and optionally SCF iterates.
    static func record(_ rng: inout SplitMix64, host: String, impurity: String, projected: Bool = false,
                       withSCF: Bool = false, impurityMoment: Double = 2.1) throws -> ImpurityRecord {
        let lattice = try CrystalLattice(.fcc, latticeConstantBohr: 6.82)
        let cluster = try Cluster(lattice: lattice, shellCount: 1)
        let mesh = testMesh(rmax: lattice.wignerSeitzRadiusBohr, count: 101)
        let basis = try RadialTargetBasis.jacobi(count: 5)
        func potential() throws -> SitePotentialData {
            let v = syntheticSitePotential(&rng, mesh: mesh, lMax: 2)
            return projected ? .projected(try v.projected(on: basis, lMax: 2), basis: basis) : .onMesh(v)
        }
        let sites = try cluster.positionsInUnitsOfA.enumerated().map { (i, p) in
            ImpuritySiteRecord(element: element(i == 0 ? impurity : host), positionInUnitsOfA: p,
                               momentBohrMagneton: i == 0 ? impurityMoment : 0.01 * gaussian(&rng),
                               netChargeElectrons: 0.1 * gaussian(&rng), potential: try potential())
        }
        let scf = withSCF ? SCFHistory(rms: [1e-1, 3e-3, 2e-5], iterates: [try sites.map { _ in try potential() }]) : nil
        return ImpurityRecord(host: element(host), impurity: element(impurity), lattice: .fcc, latticeConstantBohr: 6.82,
                              sites: sites, provenance: ["codeVersion": "test 1.0", "lmax": "2", "xc": "LDA-VWN"], scf: scf)
    }

    @Test func roundTripIsExact() throws {
        var rng = SplitMix64(seed: 31)
        let records = [try Self.record(&rng, host: "Cu", impurity: "Fe", withSCF: true),
                       try Self.record(&rng, host: "Cu", impurity: "Co", projected: true),
                       try Self.record(&rng, host: "Ag", impurity: "Mn")]
        let split = try DatasetSplit.make(.randomPairs, records: records, foldCount: 2, seed: 7)
        let path = temporaryPath("dataset.h5")
        defer { try? FileManager.default.removeItem(atPath: path) }
        try ImpurityDataset.write(records, splits: [split], to: path)
        let back = try ImpurityDataset.read(path)
        #expect(back == records.sorted { $0.key < $1.key })
        #expect(try ImpurityDataset.readSplits(path) == [split])
        #expect(throws: StorageError.self) { try ImpurityDataset.write(records, to: path) }   // no silent overwrite
    }

    @Test func appendKeepsOldRecordsAndDetectsDuplicates() throws {
        var rng = SplitMix64(seed: 32)
        let path = temporaryPath("append.h5")
        defer { try? FileManager.default.removeItem(atPath: path) }
        let first = [try Self.record(&rng, host: "Cu", impurity: "Fe"), try Self.record(&rng, host: "Cu", impurity: "Ni")]
        try ImpurityDataset.append(first, to: path)        // creates the file
        let split = try DatasetSplit.make(.leaveOneImpurityOut, records: first)
        try ImpurityDataset.write(first, splits: [split], to: path, overwrite: true)
        let more = try Self.record(&rng, host: "Ag", impurity: "Fe")
        try ImpurityDataset.append([more], to: path)
        let all = try ImpurityDataset.read(path)
        #expect(all.map(\.key) == ["Fe_in_Ag", "Fe_in_Cu", "Ni_in_Cu"])
        #expect(all.first { $0.key == "Fe_in_Cu" } == first[0])
        #expect(try ImpurityDataset.readSplits(path) == [split])
        let replacement = try Self.record(&rng, host: "Cu", impurity: "Fe")
        do {
            try ImpurityDataset.append([replacement], to: path)
            Issue.record("expected a duplicate error")
        } catch let e as EmulatorError {
            #expect(e.description.contains("Fe_in_Cu") && e.description.contains("keepFirst"))
        }
        #expect(try ImpurityDataset.read(path) == all)    // the failed append left the file unchanged
        try ImpurityDataset.append([replacement], to: path, duplicates: .keepLast)
        #expect(try ImpurityDataset.read(path).first { $0.key == "Fe_in_Cu" } == replacement)
    }

    @Test func mergeShardsWithDuplicateDetection() throws {
        var rng = SplitMix64(seed: 33)
        let a = temporaryPath("shard-a.h5"), b = temporaryPath("shard-b.h5"), out = temporaryPath("merged.h5")
        defer { for p in [a, b, out] { try? FileManager.default.removeItem(atPath: p) } }
        let shared = try Self.record(&rng, host: "Cu", impurity: "Fe")
        let sharedAgain = try Self.record(&rng, host: "Cu", impurity: "Fe")
        try ImpurityDataset.write([shared, try Self.record(&rng, host: "Cu", impurity: "Co")], to: a)
        try ImpurityDataset.write([sharedAgain, try Self.record(&rng, host: "Ag", impurity: "V")], to: b)
        #expect(throws: EmulatorError.duplicateRecord(key: "Fe_in_Cu", detail: "in \(a) and in \(b); pass duplicates: .keepFirst or .keepLast to choose one")) {
            try ImpurityDataset.merge(shards: [a, b], into: out)
        }
        #expect(!FileManager.default.fileExists(atPath: out))
        let report = try ImpurityDataset.merge(shards: [a, b], into: out, duplicates: .keepFirst)
        #expect(report.recordCount == 3)
        #expect(report.duplicates.map(\.key) == ["Fe_in_Cu"] && report.duplicates[0].keptFrom == a)
        let merged = try ImpurityDataset.read(out)
        #expect(merged.map(\.key) == ["Co_in_Cu", "Fe_in_Cu", "V_in_Ag"])
        #expect(merged[1] == shared)
    }

    /// Splits are deterministic functions of (records, kind, seed); leave-one-out folds group by
    /// element.
    @Test func splits() throws {
        var rng = SplitMix64(seed: 34)
        var records: [ImpurityRecord] = []
        for host in ["Cu", "Ag"] {
            for imp in ["Fe", "Co", "Mn"] { records.append(try Self.record(&rng, host: host, impurity: imp, projected: true)) }
        }
        let s1 = try DatasetSplit.make(.randomPairs, records: records, foldCount: 3, seed: 99)
        let s2 = try DatasetSplit.make(.randomPairs, records: records.reversed(), foldCount: 3, seed: 99)
        #expect(s1 == s2)
        #expect(s1.foldCount == 3 && (0..<3).allSatisfy { f in s1.folds.filter { $0 == f }.count == 2 })
        let s3 = try DatasetSplit.make(.randomPairs, records: records, foldCount: 3, seed: 100)
        #expect(s3.folds != s1.folds)
        let imp = try DatasetSplit.make(.leaveOneImpurityOut, records: records)
        #expect(imp.foldCount == 3)
        #expect(try imp.fold(of: "Fe_in_Cu") == imp.fold(of: "Fe_in_Ag"))
        #expect(try imp.fold(of: "Fe_in_Cu") != imp.fold(of: "Co_in_Cu"))
        let host = try DatasetSplit.make(.leaveOneHostOut, records: records)
        #expect(host.foldCount == 2)
        #expect(try host.fold(of: "Fe_in_Ag") == 0 && host.fold(of: "Mn_in_Cu") == 1)
        #expect(throws: EmulatorError.self) { try host.fold(of: "Ti_in_Cu") }
    }

    /// Files that are not data sets, or of another version, give errors that say so.
    @Test func corruptAndForeignFiles() throws {
        let path = temporaryPath("foreign.h5")
        defer { try? FileManager.default.removeItem(atPath: path) }
        try HDF5File.withNewFile(path) { try $0.setAttribute("format", "something-else") }
        do {
            _ = try ImpurityDataset.read(path)
            Issue.record("expected an error")
        } catch let e as EmulatorError {
            #expect(e.description.contains("not a kkr-emulator data set"))
        }
        try HDF5File.withNewFile(path, overwrite: true) {
            try $0.setAttribute("format", ImpurityDataset.formatName)
            try $0.setAttribute("formatVersion", Int64(7))
        }
        #expect(throws: EmulatorError.unsupportedVersion(file: path, kind: "data set", found: 7, supported: 1)) {
            try ImpurityDataset.read(path)
        }
        var rng = SplitMix64(seed: 35)
        try ImpurityDataset.write([try Self.record(&rng, host: "Cu", impurity: "Fe")], to: path, overwrite: true)
        try HDF5File.withFile(path, writable: true) { try $0.remove("records/Fe_in_Cu/momentsBohrMagneton") }
        #expect(throws: (any Error).self) { try ImpurityDataset.read(path) }
        try HDF5File.withFile(path, writable: true) {
            try $0.write([1.0, 2.0], to: "records/Fe_in_Cu/momentsBohrMagneton")
        }
        do {
            _ = try ImpurityDataset.read(path)
            Issue.record("expected an error")
        } catch let e as EmulatorError {
            #expect(e.description.contains("per-site arrays disagree"))
        }
    }
}
