import Elements
import Emulator
import Foundation
import Impurity
import KKR

/// Recomputes the semicore guard of the stored starts of training records from their hosts
/// (docs/emulator.md §15.2).
///
/// The solver lowers the impurity site of a start by a constant when the start puts a semicore
/// level inside the valence contour (`ImpurityCalculation.semicoreGuardShift`, docs/impurity.md
/// 'Semicore states'). Models of the plain prior (`EmulatorPredictor.plainPriorName`) learn the
/// converged potential relative to the start *without* that constant, so training needs it per
/// record. Payloads written before the dataset stored `semicoreStartShiftRy` (217 of the 264
/// records of the stop-17 database, among them guarded ones such as Sn and Zr in Pd, Y and Sn in
/// Au) do not carry it. For each record this rebuilds the plain superposition of the impurity
/// site from the host file and the free-atom table (`SuperpositionStartBuilder`, what the
/// predictor uses), applies the solver's guard to it, and checks that the result reproduces the
/// stored start: the r²-weighted rms of (stored start − plain − guard) over the sphere must stay
/// below `tolerance`, otherwise the host file or the atom table is not the run's and the record
/// is reported instead of being given a wrong shift.
public enum StartGuardRecovery {
    /// What the recovery did.
    public struct Report: Sendable {
        /// Records whose shift was unknown and is now set.
        public var recovered: [String] = []
        /// Records that already stored a shift and whose recomputed one agrees with it.
        public var confirmed: [String] = []
        /// Records with a non-zero recomputed guard shift, as "key: shift Ry".
        public var guarded: [String] = []
        /// Largest r²-weighted rms (Ry) of stored start − (plain superposition + guard), over all records.
        public var largestMismatchRy = 0.0
    }

    /// Default tolerance (Ry) of the start reconstruction: the stored start is the same
    /// construction on the same mesh, so the difference is round-off plus the atom table's
    /// interpolation (measured ≤ 1e-3 Ry on the stop-17 database, docs/emulator.md §15.2); a
    /// wrong host or table differs by ≥ 0.05 Ry.
    public static let defaultToleranceRy = 0.01

    /// Sets `startGuardShiftRy` of every record with a stored start from the host files in
    /// `hostDirectory` (`*.h5` host files of the solver, e.g. a dataset's `hostcache/`), matched
    /// by host element, lattice type and lattice constant. Records that stored a shift are
    /// checked against the recomputed one (agreement within `toleranceRy`).
    public static func recover(_ records: inout [EmulatorTrainingRecord], hostDirectory: String, table: EmulatorAtomTable,
                               toleranceRy: Double = defaultToleranceRy, log: (String) -> Void = { _ in }) throws -> Report {
        let hosts = try hostFiles(in: hostDirectory)
        var builders: [String: SuperpositionStartBuilder] = [:]
        var report = Report()
        for i in records.indices {
            let t = records[i]
            guard let start = t.start, let stored = start.first else { continue }
            let r = t.record
            let hostKey = "\(r.host.symbol)-\(r.lattice.rawValue)-\(String(format: "%.4f", r.latticeConstantBohr))"
            let builder: SuperpositionStartBuilder
            if let b = builders[hostKey] {
                builder = b
            } else {
                guard let path = hosts[hostKey] else {
                    throw EmulatorError.invalidInput("record \(t.key): no host file for \(hostKey) in \(hostDirectory) "
                        + "(found: \(hosts.keys.sorted().joined(separator: ", ")))")
                }
                let host = try EmulatorHost(try HostFile.readHost(path: path))
                builder = try SuperpositionStartBuilder(table: table, host: host)
                builders[hostKey] = builder
            }
            let host = builder.host
            guard stored.mesh == host.potential.mesh else {
                throw EmulatorError.shapeMismatch("record \(t.key): the stored start is not on the mesh of host file \(hosts[hostKey]!)")
            }
            let plain = try builder.impurityChange(r.impurity, spinCount: 2)
            let shift = try host.semicoreGuard.map { try $0.shift(for: plain, impurity: r.impurity, host: host) } ?? 0
            // r²-weighted rms over the sphere of stored − (plain + shift), charge and magnetic, in Ry.
            let mismatch = try stored.rmsDifference(to: plain.addingConstant(shift)).total
            report.largestMismatchRy = max(report.largestMismatchRy, mismatch)
            guard mismatch <= toleranceRy else {
                throw EmulatorError.training(String(format: "record %@: the rebuilt superposition start differs from the stored one by "
                    + "%.3g Ry (r²-weighted rms, guard %.3f Ry included; tolerance %.3g Ry): the host file %@ or the atom table "
                    + "is not the run's", t.key, mismatch, shift, toleranceRy, hosts[hostKey]!))
            }
            if shift != 0 { report.guarded.append(String(format: "%@: %.3f Ry", t.key, shift)) }
            if let known = t.startGuardShiftRy {
                guard abs(known - shift) <= toleranceRy else {
                    throw EmulatorError.training(String(format: "record %@ stores a semicore-guard shift of %.3f Ry, the host file "
                        + "gives %.3f Ry", t.key, known, shift))
                }
                report.confirmed.append(t.key)
            } else {
                records[i].startGuardShiftRy = shift
                report.recovered.append(t.key)
            }
        }
        log(String(format: "semicore guard of the stored starts: %d recomputed, %d confirmed, %d guarded; largest start mismatch %.2g Ry",
                   report.recovered.count, report.confirmed.count, report.guarded.count, report.largestMismatchRy))
        return report
    }

    /// Host files of a directory by "element-lattice-a" (a in bohr, 4 decimals).
    static func hostFiles(in directory: String) throws -> [String: String] {
        guard let names = try? FileManager.default.contentsOfDirectory(atPath: directory) else {
            throw EmulatorError.invalidInput("\(directory): no such host directory")
        }
        var out: [String: String] = [:]
        for name in names.sorted() where name.hasSuffix(".h5") {
            let path = (directory as NSString).appendingPathComponent(name)
            let host = try HostFile.readHost(path: path)
            let lattice = try KKRLatticeFactory.lattice(host.settings)
            let element = try PeriodicTable.element(atomicNumber: host.potential.atomicNumber)
            out["\(element.symbol)-\(lattice.type.rawValue)-\(String(format: "%.4f", lattice.latticeConstantBohr))"] = path
        }
        guard !out.isEmpty else { throw EmulatorError.invalidInput("\(directory): no host files (*.h5)") }
        return out
    }
}
