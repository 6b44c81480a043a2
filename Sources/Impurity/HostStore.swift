import Foundation
import KKR
import SCF

/// Converged hosts and their cluster Green functions cached on disk (one HDF5 host file per host
/// and set of settings, `HostFile`), computed on first use.
public enum HostStore {
    /// File name encoding the settings that change the result.
    public static func fileName(_ s: HostSettings) -> String {
        String(format: "%@-%@-a%.4f-l%d-%@%@-T%.0f.h5", s.elementSymbol, s.lattice, s.latticeConstantBohr, s.lmax, s.functional,
               s.spinPolarized ? "-spin" : "", s.temperatureK)
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
            guard host.settings == settings else {
                throw ImpurityError.hostMismatch("\(path) was computed with other settings; remove it or use another directory")
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
