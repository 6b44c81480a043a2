import BatchRunner
import Elements
import Emulator
import Foundation
import KKRNumerics
import Radial
import Storage

/// One converged impurity run as the emulator's trainer sees it: the record (converged ΔV of
/// every cluster site) and, when the run stored it, the ΔV of its starting potential (the input
/// of SCF iteration 1 — the atomic-superposition start of the default database), spherical
/// (lMax 0) per site. The start is the baseline the emulator must beat and, for models with a
/// prior, the prior the model corrects.
public struct EmulatorTrainingRecord: Sendable {
    public var record: ImpurityRecord
    /// The run's start as stored (the baseline of the validation).
    public var start: [SitePotentialChange]?
    /// The semicore guard's constant (Ry, ≤ 0; 0 without a guard) in the start's impurity site
    /// (site 0, the impurity in the BatchRunner payload's order): the payload's
    /// `semicoreStartShiftRy`. `prior(removingGuard: true)` removes it. nil: unknown — a record
    /// written before the payload stored it; `StartGuardRecovery` recomputes it from the host.
    public var startGuardShiftRy: Double?

    public init(record: ImpurityRecord, start: [SitePotentialChange]?, startGuardShiftRy: Double? = 0) {
        self.record = record
        self.start = start
        self.startGuardShiftRy = startGuardShiftRy
    }

    /// The prior of a model: the stored start, or with `removingGuard` the start without the
    /// semicore guard's constant, i.e. the plain atomic superposition (`EmulatorPredictor
    /// .plainPriorName`, what `SuperpositionStartBuilder` builds). The guard lowers the impurity
    /// site by a constant only for some pairs (Y, Zr, Sn, Ga, … in the smaller hosts, docs/impurity.md
    /// 'Semicore states'); the jump it makes between neighbouring elements is not in the
    /// converged potentials, which follow the chemical trends of the plain superposition
    /// (docs/emulator.md §15.2).
    public func prior(removingGuard: Bool) throws -> [SitePotentialChange]? {
        guard var s = start else { return nil }
        guard removingGuard else { return s }
        guard let c = startGuardShiftRy else {
            throw EmulatorError.training("record \(key): the semicore-guard shift of its stored start is unknown (written before "
                + "the dataset stored semicoreStartShiftRy); recompute it from the hosts (kkr-emulator train --host-cache DIR)")
        }
        guard c != 0, let first = s.first else { return s }
        s[0] = first.addingConstant(-c)
        return s
    }

    public var key: String { record.key }
}

/// Reads training records from a dataset file of either kind.
public enum EmulatorDataLoader {
    /// What was read and what was skipped.
    public struct Result: Sendable {
        public var records: [EmulatorTrainingRecord]
        /// Pairs recorded as failed (BatchRunner files), as "host/impurity: error".
        public var failed: [String]
        /// "batchRunner" or "impurityDataset".
        public var kind: String
    }

    /// Reads `path`: a BatchRunner dataset file (merged or shard; `kkr-emulator dataset merge`)
    /// or an `ImpurityDataset` file. For BatchRunner files the start is the stored iterate of
    /// SCF iteration 1; for `ImpurityDataset` files the first stored iterate (the writer's
    /// convention: iterate 0 of `SCFHistory.iterates` is the start).
    public static func load(path: String) throws -> Result {
        guard FileManager.default.fileExists(atPath: path) else {
            throw EmulatorError.invalidInput("\(path): no such dataset file")
        }
        let isBatch: Bool
        do {
            isBatch = try HDF5File.withFile(path) { f in try f.hasAttribute("content") || f.exists("/pairs") }
        } catch {
            throw EmulatorError.corruptFile(file: path, detail: "cannot open as HDF5: \(error)")
        }
        if isBatch {
            let reader = try DatasetFileReader(path: path)
            defer { reader.close() }
            var records: [EmulatorTrainingRecord] = []
            var failed: [String] = []
            for entry in reader.entries {
                let r = try reader.record(entry.pair)
                guard r.status == .ok else {
                    failed.append("\(entry.pair.id): \(r.error ?? "failed")")
                    continue
                }
                do {
                    records.append(try trainingRecord(payload: r.payload))
                } catch {
                    throw EmulatorError.invalidInput("\(path): pair \(entry.pair.id): \(error)")
                }
            }
            return Result(records: records, failed: failed, kind: "batchRunner")
        }
        let records = try ImpurityDataset.read(path).map { r -> EmulatorTrainingRecord in
            var start: [SitePotentialChange]?
            if let first = r.scf?.iterates.first, first.count == r.sites.count {
                start = first.compactMap { if case .onMesh(let v) = $0 { return v } else { return nil } }
                if start?.count != r.sites.count { start = nil }
            }
            // Written by `write`: the guard's constant of the start; absent: the stored start is
            // taken as the plain prior.
            var shift = 0.0
            if let text = r.provenance[guardShiftKey] {
                guard let v = Double(text), v.isFinite else {
                    throw EmulatorError.corruptFile(file: path, detail: "record \(r.key): \(guardShiftKey) = '\(text)' is not a number")
                }
                shift = v
            }
            return EmulatorTrainingRecord(record: r, start: start, startGuardShiftRy: shift)
        }
        return Result(records: records, failed: [], kind: "impurityDataset")
    }

    /// Payload attribute (BatchRunner) and record provenance key (`ImpurityDataset` export) of
    /// the semicore guard's constant of the stored start, in Ry.
    public static let guardShiftKey = "semicoreStartShiftRy"

    /// The record and the iteration-1 start of a pair payload (`PairPayload`).
    public static func trainingRecord(payload p: RecordPayload) throws -> EmulatorTrainingRecord {
        let record = try PairPayload.record(p)
        var start: [SitePotentialChange]?
        if let indices = p.arrays["scf/iterateIndices"]?.values, let k = indices.firstIndex(of: 1),
           let its = p.arrays["scf/iterates"], its.shape.count == 4, its.shape[1] == record.sites.count {
            let (ns, nr) = (its.shape[1], its.shape[3])
            start = try (0..<ns).map { i in
                guard case .onMesh(let converged) = record.sites[i].potential, converged.mesh.count == nr else {
                    throw EmulatorError.shapeMismatch("iterate mesh of \(nr) points differs from the record's")
                }
                let o = (k * ns + i) * 2 * nr
                return try SitePotentialChange(mesh: converged.mesh, lMax: 0, up: [Array(its.values[o..<(o + nr)])],
                                               down: [Array(its.values[(o + nr)..<(o + 2 * nr)])])
            }
        }
        return EmulatorTrainingRecord(record: record, start: start,
                                      startGuardShiftRy: p.doubleAttributes[guardShiftKey])
    }

    /// Records as an `ImpurityDataset` file with the start as the first stored iterate and its
    /// semicore-guard constant in the provenance (the layout `load` reads back), e.g. to export a
    /// small test fixture. Records whose constant is unknown are refused: read back, their stored
    /// start would pass for the plain prior.
    public static func write(_ records: [EmulatorTrainingRecord], to path: String, overwrite: Bool = false) throws {
        let out = try records.map { t -> ImpurityRecord in
            var r = t.record
            if let s = t.start {
                guard let shift = t.startGuardShiftRy else {
                    throw EmulatorError.invalidInput("record \(t.key): the semicore-guard shift of its start is unknown; "
                        + "recompute it (StartGuardRecovery) before exporting")
                }
                r.scf = SCFHistory(rms: r.scf?.rms ?? [], iterates: [s.map { .onMesh($0) }])
                r.provenance[guardShiftKey] = String(shift)
            }
            return r
        }
        try ImpurityDataset.write(out, to: path, overwrite: overwrite)
    }
}
