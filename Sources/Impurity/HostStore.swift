import Foundation
import KKR
import SCF

/// Converged hosts and their cluster Green functions cached on disk (one HDF5 host file per host
/// and set of settings, `HostFile`), computed on first use.
public enum HostStore {
    /// File name encoding the settings that change the result. Hosts in the muffin-tin-shell
    /// potential zero carry "-mtz" (files without it are in the electrostatic zero, as every host
    /// computed before the convention existed).
    public static func fileName(_ s: HostSettings) -> String {
        String(format: "%@-%@-a%.4f-l%d-%@%@-T%.0f%@.h5", s.elementSymbol, s.lattice, s.latticeConstantBohr, s.lmax, s.functional,
               s.spinPolarized ? "-spin" : "", s.temperatureK, s.resolvedPotentialZero == .muffinTinShell ? "-mtz" : "")
    }

    /// Whether a cached host computed with `stored` serves a request for `requested`: the same
    /// physics and numerics, converged at least as tightly. The SCF controls (mixing, iteration
    /// limit) do not change a converged host, and a host converged to rms 1e-9 (the shipped
    /// Potentials/hostcache) serves a request for 1e-8.
    public static func satisfies(stored: HostSettings, requested: HostSettings) -> Bool {
        var s = stored, requested = requested
        s.potentialZero = s.resolvedPotentialZero
        requested.potentialZero = requested.resolvedPotentialZero
        s.mixing = requested.mixing
        s.maxIterations = requested.maxIterations
        if s.rmsTolerance <= requested.rmsTolerance { s.rmsTolerance = requested.rmsTolerance }
        return s == requested
    }

    /// Names of the settings that differ (as "name: stored → requested"), for error messages.
    static func differingFields(_ stored: HostSettings, _ requested: HostSettings) -> [String] {
        func flat(_ s: HostSettings) -> [String: String] {
            guard let data = try? JSONEncoder().encode(s),
                  let object = try? JSONSerialization.jsonObject(with: data) as? [String: Any] else { return [:] }
            return object.mapValues { value in
                (try? JSONSerialization.data(withJSONObject: value, options: [.sortedKeys, .fragmentsAllowed]))
                    .map { String(decoding: $0, as: UTF8.self) } ?? "\(value)"
            }
        }
        let a = flat(stored), b = flat(requested)
        return Set(a.keys).union(b.keys).sorted().compactMap { key in
            a[key] == b[key] ? nil : "\(key): \(a[key] ?? "–") → \(b[key] ?? "–")"
        }
    }

    /// The host Green function for `shells`, computing the host SCF and/or the Green function if
    /// they are not cached in `directory`.
    public static func greenFunction(settings: HostSettings, shells: Int, directory: String,
                                     log: @escaping @Sendable (String) -> Void = { _ in }) throws -> HostClusterGreenFunction {
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        let path = (directory as NSString).appendingPathComponent(fileName(settings))
        var host: ConvergedHost
        var stored: [HostClusterGreenFunction] = []
        if FileManager.default.fileExists(atPath: path) {
            host = try HostFile.readHost(path: path)
            guard Self.satisfies(stored: host.settings, requested: settings) else {
                let fields = Self.differingFields(host.settings, settings).joined(separator: ", ")
                throw ImpurityError.hostMismatch("\(path) was computed with other settings (\(fields)); "
                                                 + "use it with --host-file, remove it, or use another directory")
            }
            for s in try HostFile.storedShells(path: path) {
                let g = try HostFile.readGreenFunction(path: path, shells: s)
                if s == shells { log("host \(settings.elementSymbol): cached in \(path)"); return g }
                stored.append(g)
            }
        } else {
            log("host \(settings.elementSymbol) \(settings.lattice) a = \(settings.latticeConstantBohr): self-consistent host (not cached)…")
            let t0 = Date()
            let r = try HostCalculation.run(settings) { rec, _ in
                log(String(format: "  host iter %3d  rms %.3e  E_F %.6f Ry  %.0f s", rec.iteration, rec.rms,
                           rec.diagnostics["fermiEnergyRy"] ?? .nan, Date().timeIntervalSince(t0)))
            }
            host = try ConvergedHost(r)
        }
        log("host Green function on the \(shells)-shell cluster…")
        let lattice = try KKRLatticeFactory.lattice(settings)
        let structure = try HostStructure(lattice: lattice, settings: settings)
        let g = try HostClusterGreenFunction.compute(host: host, structure: structure, shells: shells)
        try HostFile.write(host: host, greenFunctions: stored + [g], to: path, overwrite: true)
        log("host file written: \(path)")
        return g
    }
}
